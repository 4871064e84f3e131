import * as minio from "@pulumi/minio";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Runtime, ServiceSpec } from "../../src/runtime/spec";
import type { Endpoint, Resources, S3Access, S3Credentials, S3Location } from "../../src/types";
import { OBJECT_STORE_DEFAULTS } from "./defaults";
import { consumerPolicy, lakeUris } from "./policy";

export { OBJECT_STORE_DEFAULTS } from "./defaults";
export { consumerPolicy, lakeUris } from "./policy";

/** MinIO keeps objects here; it is the image's declared volume. */
export const MINIO_DATA_DIR = "/data";
/** The image reads root credentials from these docker-secret files (MINIO_ROOT_*_FILE defaults). */
export const MINIO_ROOT_USER_FILE = "/run/secrets/access_key";
export const MINIO_ROOT_PASSWORD_FILE = "/run/secrets/secret_key";

/** Key of the object that makes a lake prefix visible, e.g. `bronze/.keep`. */
export function prefixMarkerKey(prefix: string): string {
    return `${prefix}/.keep`;
}
/** Content of the prefix marker objects (never empty: see createBucket). */
export const PREFIX_MARKER_CONTENT = "lakeforge lake prefix\n";

/** A bucket and the lake prefixes created in it. */
export interface BucketSpec {
    readonly name: string;
    readonly prefixes: readonly string[];
}

/** Inputs of the ObjectStore capability. */
export interface ObjectStoreArgs {
    readonly runtime: Runtime;
    /** @default "minio" */
    readonly engine?: "minio";
    /** @default IMAGES.minio */
    readonly image?: string;
    /** @default { memoryMb: 1024, cpus: 1 } */
    readonly resources?: Resources;
    /** @default "us-east-1" */
    readonly region?: string;
    /** @default [{ name: "lake", prefixes: ["bronze", "silver", "gold"] }] */
    readonly buckets?: readonly BucketSpec[];
    /** The bucket whose root is the lake root (`LAKE_ROOT_S3`). @default "lake" */
    readonly lakeBucket?: string;
    /** Protect the data-holding resources from deletion and replacement (production). @default false */
    readonly protectData?: boolean;
}

/** The server's ServiceSpec; pure so it can be tested without a runtime. */
export function minioSpec(
    name: string,
    image: string,
    resources: Resources,
    region: string,
    rootUser: pulumi.Input<string>,
    rootPassword: pulumi.Input<string>,
): ServiceSpec {
    return {
        name,
        image,
        command: ["server", MINIO_DATA_DIR, "--address", ":9000", "--console-address", ":9001"],
        env: { MINIO_SITE_REGION: region, MINIO_BROWSER_REDIRECT: "off" },
        secretEnv: {},
        files: [
            { path: MINIO_ROOT_USER_FILE, content: rootUser, secret: true },
            { path: MINIO_ROOT_PASSWORD_FILE, content: rootPassword, secret: true },
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
        resources,
        // The image runs as root and its /data volume is root-owned; every capability is still dropped.
        capabilities: [],
        readOnlyRootFilesystem: true,
    };
}

/**
 * S3-compatible object storage with generated root credentials, the lake buckets and their
 * bronze/silver/gold prefixes; `consumer(name, ...)` gives a client its own key limited to one
 * bucket and prefix.
 */
export class ObjectStore extends pulumi.ComponentResource {
    /** The S3 API endpoint. */
    public readonly endpoint: Endpoint;
    /** The web console endpoint. */
    public readonly consoleEndpoint: Endpoint;
    public readonly region: string;
    /** Self-hosted S3 engines need path-style addressing. */
    public readonly pathStyle = true;
    /** Root credentials (secret); for bootstrap and break-glass only. */
    public readonly rootCredentials: S3Credentials;
    /** The lake root, `s3://<lakeBucket>` and `s3a://<lakeBucket>`. */
    public readonly lakeRoot: S3Location;
    /** Names of the buckets this store holds. */
    public readonly bucketNames: readonly string[];

    private readonly baseName: string;
    private readonly protectData: boolean;
    private readonly provider: minio.Provider;
    private readonly buckets = new Map<string, minio.S3Bucket>();

    constructor(name: string, args: ObjectStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:objectStore:ObjectStore", name, {}, opts);
        this.baseName = name;
        this.protectData = args.protectData ?? false;
        this.region = args.region ?? OBJECT_STORE_DEFAULTS.region;
        const buckets = args.buckets ?? OBJECT_STORE_DEFAULTS.buckets;
        const lakeBucket = args.lakeBucket ?? OBJECT_STORE_DEFAULTS.lakeBucket;
        if (!buckets.some((b) => b.name === lakeBucket)) {
            throw new Error(`ObjectStore ${name}: lakeBucket "${lakeBucket}" is not one of its buckets`);
        }

        // RandomPassword, not RandomString: a RandomString's resource ID is its result, in plaintext in state.
        const rootUser = new random.RandomPassword(`${name}-root-user`, { length: 20, special: false, upper: false }, { parent: this });
        const rootPassword = new random.RandomPassword(`${name}-root-password`, { length: 40, special: false }, { parent: this });
        // The root access key is as much a credential as the password: both stay secret.
        this.rootCredentials = { accessKeyId: pulumi.secret(rootUser.result), secretAccessKey: pulumi.secret(rootPassword.result) };

        const spec = minioSpec(
            name,
            args.image ?? OBJECT_STORE_DEFAULTS.image,
            args.resources ?? OBJECT_STORE_DEFAULTS.resources,
            this.region,
            this.rootCredentials.accessKeyId,
            this.rootCredentials.secretAccessKey,
        );
        const service = args.runtime.deploy(spec, this);
        this.endpoint = service.endpoint("s3");
        this.consoleEndpoint = service.endpoint("console");

        this.provider = new minio.Provider(
            `${name}-admin`,
            {
                minioServer: pulumi.interpolate`${this.endpoint.external.host}:${this.endpoint.external.port}`,
                minioUser: this.rootCredentials.accessKeyId,
                minioPassword: this.rootCredentials.secretAccessKey,
                minioRegion: this.region,
                minioSsl: false,
            },
            { parent: this, dependsOn: service.ready },
        );

        for (const bucket of buckets) this.createBucket(bucket);
        this.bucketNames = buckets.map((b) => b.name);
        this.lakeRoot = { bucket: lakeBucket, prefix: "", ...lakeUris(lakeBucket, "") };
        this.registerOutputs({ endpoint: this.endpoint, consoleEndpoint: this.consoleEndpoint, rootCredentials: this.rootCredentials });
    }

    private createBucket(spec: BucketSpec): void {
        const opts = { parent: this, provider: this.provider };
        const bucket = new minio.S3Bucket(
            `${this.baseName}-${spec.name}`,
            { bucket: spec.name, acl: "private", forceDestroy: false },
            { ...opts, protect: this.protectData },
        );
        this.buckets.set(spec.name, bucket);
        for (const prefix of spec.prefixes) {
            // S3 has no folders; a small object under the prefix makes consoles and `ls` show it. It must
            // not be empty: the provider reads an empty `content` as unset and refuses the object.
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

    /**
     * A consumer's own access key, allowed only under `s3://<bucket>/<prefix>`. The key is stored
     * nowhere but Pulumi state (as a secret) and, through the Secrets capability, Vault.
     */
    public consumer(name: string, location: { bucket: string; prefix?: string }): S3Access {
        const bucket = this.buckets.get(location.bucket);
        if (bucket === undefined) {
            throw new Error(
                `ObjectStore ${this.baseName}: consumer "${name}" uses bucket "${location.bucket}", which is not one of ${[...this.buckets.keys()].join(", ")}`,
            );
        }
        const prefix = location.prefix ?? "";
        const opts = { parent: this, provider: this.provider };
        const secret = new random.RandomPassword(`${this.baseName}-${name}-secret-key`, { length: 40, special: false }, { parent: this });
        const user = new minio.IamUser(`${this.baseName}-${name}`, { name, secret: secret.result, forceDestroy: false }, opts);
        const policy = new minio.IamPolicy(
            `${this.baseName}-${name}`,
            { name: `${name}-rw`, policy: consumerPolicy(location.bucket, prefix) },
            opts,
        );
        new minio.IamUserPolicyAttachment(
            `${this.baseName}-${name}`,
            { userName: user.name, policyName: policy.name },
            { ...opts, dependsOn: [bucket] },
        );
        return {
            endpoint: this.endpoint,
            region: this.region,
            pathStyle: this.pathStyle,
            credentials: { accessKeyId: user.name, secretAccessKey: pulumi.secret(secret.result) },
            location: { bucket: location.bucket, prefix, ...lakeUris(location.bucket, prefix) },
        };
    }
}
