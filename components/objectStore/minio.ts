import * as minio from "@pulumi/minio";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { Endpoint, S3Credentials } from "../../src/types";
import { PREFIX_MARKER_CONTENT, prefixMarkerKey, type BucketSpec, type ConsumerSpec, type EngineSpecArgs } from "./engine";
import { consumerPolicy } from "./policy";

/** MinIO keeps objects here; it is the image's declared volume. */
export const MINIO_DATA_DIR = "/data";
/** The image reads root credentials from these docker-secret files (MINIO_ROOT_*_FILE defaults). */
export const MINIO_ROOT_USER_FILE = "/run/secrets/access_key";
export const MINIO_ROOT_PASSWORD_FILE = "/run/secrets/secret_key";

/** The server's ServiceSpec; pure so it can be tested without a runtime. */
export function minioSpec(a: EngineSpecArgs): ServiceSpec {
    return {
        name: a.name,
        image: a.image,
        command: ["server", MINIO_DATA_DIR, "--address", ":9000", "--console-address", ":9001"],
        env: { MINIO_SITE_REGION: a.region, MINIO_BROWSER_REDIRECT: "off" },
        secretEnv: {},
        files: [
            { path: MINIO_ROOT_USER_FILE, content: a.root.accessKeyId, secret: true },
            { path: MINIO_ROOT_PASSWORD_FILE, content: a.root.secretAccessKey, secret: true },
        ],
        ports: [
            { name: "s3", port: 9000, scheme: "http", publishAs: "objectStore" },
            { name: "console", port: 9001, scheme: "http", publishAs: "objectStoreConsole" },
        ],
        volumes: [{ name: "data", path: MINIO_DATA_DIR }],
        healthCheck: {
            command: ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:9000/minio/health/live"],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 12,
            startPeriodSeconds: 5,
        },
        resources: a.resources,
        // The image runs as root and its /data volume is root-owned; every capability is still dropped.
        capabilities: [],
        readOnlyRootFilesystem: true,
    };
}

/** Buckets, prefixes and IAM users through the MinIO admin API (`@pulumi/minio`). */
export class MinioBootstrap {
    private readonly provider: minio.Provider;
    private readonly buckets = new Map<string, minio.S3Bucket>();

    constructor(
        private readonly parent: pulumi.Resource,
        private readonly baseName: string,
        endpoint: Endpoint,
        root: S3Credentials,
        region: string,
        ready: pulumi.Resource[],
        private readonly protectData: boolean,
    ) {
        this.provider = new minio.Provider(
            `${baseName}-admin`,
            {
                minioServer: pulumi.interpolate`${endpoint.external.host}:${endpoint.external.port}`,
                minioUser: root.accessKeyId,
                minioPassword: root.secretAccessKey,
                minioRegion: region,
                minioSsl: false,
            },
            { parent, dependsOn: ready },
        );
    }

    bucket(spec: BucketSpec): void {
        const opts = { parent: this.parent, provider: this.provider };
        const bucket = new minio.S3Bucket(
            `${this.baseName}-${spec.name}`,
            { bucket: spec.name, acl: "private", forceDestroy: false },
            { ...opts, protect: this.protectData },
        );
        this.buckets.set(spec.name, bucket);
        for (const prefix of spec.prefixes) {
            // S3 has no folders; a small object under the prefix makes consoles and `ls` show it.
            new minio.S3Object(
                `${this.baseName}-${spec.name}-${prefix.replace(/\//g, "-")}`,
                {
                    bucketName: bucket.bucket,
                    objectName: prefixMarkerKey(prefix),
                    content: PREFIX_MARKER_CONTENT,
                    contentType: "text/plain",
                },
                opts,
            );
        }
    }

    /** An IAM user named after the consumer with a policy limited to its bucket and prefix. */
    consumer(c: ConsumerSpec, secretAccessKey: pulumi.Output<string>): pulumi.Output<string> {
        const opts = { parent: this.parent, provider: this.provider };
        const user = new minio.IamUser(`${this.baseName}-${c.name}`, { name: c.name, secret: secretAccessKey, forceDestroy: false }, opts);
        const policy = new minio.IamPolicy(
            `${this.baseName}-${c.name}`,
            { name: `${c.name}-rw`, policy: consumerPolicy(c.bucket, c.prefix ?? "") },
            opts,
        );
        new minio.IamUserPolicyAttachment(
            `${this.baseName}-${c.name}`,
            { userName: user.name, policyName: policy.name },
            { ...opts, dependsOn: [...(this.buckets.has(c.bucket) ? [this.buckets.get(c.bucket) as minio.S3Bucket] : [])] },
        );
        return user.name;
    }
}
