import * as pulumi from "@pulumi/pulumi";
import type { S3Access } from "../../src/types";

/*
 * A service's own S3 key, resolved to plain values for the config file it goes into, and Hadoop's
 * S3A file system on it, as every Hadoop-based client (the Hive metastore, Spark's Delta and Hive
 * tables) configures it: path-style addressing, the static key, and `s3://` locations (what Trino
 * writes) read through S3A as well.
 */

/** A service's S3 key and the in-network endpoint, resolved (the secret key included). */
export interface ResolvedS3 {
    /** `s3a://bucket[/prefix]`: where the key reaches, for Hadoop clients. */
    readonly lake: string;
    readonly endpoint: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
}

/** Resolves a service's S3 access, through the platform network, for a config file. */
export function resolveS3(s3: S3Access): pulumi.Output<ResolvedS3> {
    const c = s3.credentials;
    return pulumi.all([c.accessKeyId, c.secretAccessKey]).apply(([accessKeyId, secretAccessKey]) => ({
        lake: s3.location.s3aUri.replace(/\/$/, ""),
        endpoint: s3.internalUrl,
        region: s3.region,
        accessKeyId,
        secretAccessKey,
    }));
}

/** The `fs.s3a.*` settings (and `fs.s3.impl`), unprefixed: a Hadoop XML file takes them as they are, Spark under `spark.hadoop.`. */
export function s3aSettings(s3: ResolvedS3): Record<string, string | boolean> {
    return {
        "fs.s3a.endpoint": s3.endpoint,
        "fs.s3a.endpoint.region": s3.region,
        "fs.s3a.path.style.access": true,
        "fs.s3a.connection.ssl.enabled": s3.endpoint.startsWith("https:"),
        "fs.s3a.access.key": s3.accessKeyId,
        "fs.s3a.secret.key": s3.secretAccessKey,
        "fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
    };
}
