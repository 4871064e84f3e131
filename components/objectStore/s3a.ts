/*
 * Hadoop's S3A file system on the platform's object store, as every Hadoop-based client (the Hive
 * metastore, Spark's Delta and Hive tables) configures it: path-style addressing, a static key of
 * the client's own, and `s3://` locations (what Trino writes) read through S3A as well.
 */

/** The endpoint and key a Hadoop client reaches the object store with, resolved. */
export interface S3aInputs {
    readonly endpoint: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
}

/** The `fs.s3a.*` settings (and `fs.s3.impl`), unprefixed: a Hadoop XML file takes them as they are, Spark under `spark.hadoop.`. */
export function s3aSettings(i: S3aInputs): Record<string, string | boolean> {
    return {
        "fs.s3a.endpoint": i.endpoint,
        "fs.s3a.endpoint.region": i.region,
        "fs.s3a.path.style.access": true,
        "fs.s3a.connection.ssl.enabled": i.endpoint.startsWith("https:"),
        "fs.s3a.access.key": i.accessKeyId,
        "fs.s3a.secret.key": i.secretAccessKey,
        "fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
    };
}
