import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Runtime } from "../../src/runtime/spec";
import type { Address, Endpoint, Resources, S3Access, S3Credentials, S3Location } from "../../src/types";
import { OBJECT_STORE_DEFAULTS } from "./defaults";
import type { BucketSpec, ConsumerSpec, EngineSpecArgs, ObjectStoreEngine } from "./engine";
import { GarageBootstrap, garageSpec, hex64 } from "./garage";
import { MinioBootstrap, minioSpec } from "./minio";
import { lakeUris } from "./policy";
import { SeaweedfsBootstrap, seaweedfsSpec } from "./seaweedfs";

export { OBJECT_STORE_DEFAULTS } from "./defaults";
export { PREFIX_MARKER_CONTENT, prefixMarkerKey, type BucketSpec, type ConsumerSpec, type ObjectStoreEngine } from "./engine";
export { MINIO_DATA_DIR, MINIO_ROOT_PASSWORD_FILE, MINIO_ROOT_USER_FILE, minioSpec } from "./minio";
export { consumerPolicy, lakeUris } from "./policy";
export { consumerActions, renderIdentities, SEAWEEDFS_S3_CONFIG, seaweedfsSpec } from "./seaweedfs";
export { garageKeyId, garageSpec, renderGarageConfig } from "./garage";

/** `http://host:port` of an in-network address. */
function internalUrl(a: Address): string {
    return `http://${a.host}:${a.port}`;
}

/** Inputs of the ObjectStore capability. */
export interface ObjectStoreArgs {
    readonly runtime: Runtime;
    /** @default "seaweedfs" */
    readonly engine?: ObjectStoreEngine;
    /** @default IMAGES[engine] */
    readonly image?: string;
    /** @default { memoryMb: 1024, cpus: 1 } */
    readonly resources?: Resources;
    /** @default "us-east-1" */
    readonly region?: string;
    /** @default [{ name: "lake", prefixes: ["bronze", "silver", "gold"] }] */
    readonly buckets?: readonly BucketSpec[];
    /** The bucket whose root is the lake root (`LAKE_ROOT_S3`). @default "lake" */
    readonly lakeBucket?: string;
    /**
     * Consumers whose keys exist from the start. Engines that read keys from a file at start
     * (seaweedfs) serve only these; `consumer()` adds more on engines with an admin API (minio).
     * @default []
     */
    readonly consumers?: readonly ConsumerSpec[];
    /** Protect the data-holding resources from deletion and replacement (production). @default false */
    readonly protectData?: boolean;
}

/**
 * S3-compatible object storage with generated root credentials, the lake buckets and their
 * bronze/silver/gold prefixes; `consumer(name, ...)` gives a client its own key limited to one
 * bucket and prefix.
 */
export class ObjectStore extends pulumi.ComponentResource {
    /** The S3 API endpoint. */
    public readonly endpoint: Endpoint;
    /** `http://host:port` of the S3 API for services in the platform network. */
    public readonly internalUrl: string;
    /** The engine's web console, where it has one (minio). */
    public readonly consoleEndpoint: Endpoint | undefined;
    public readonly engine: ObjectStoreEngine;
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
    private readonly bootstrap: MinioBootstrap | SeaweedfsBootstrap | GarageBootstrap;
    private readonly keys = new Map<string, { spec: ConsumerSpec; secret: pulumi.Output<string>; access?: S3Access }>();

    constructor(name: string, args: ObjectStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:objectStore:ObjectStore", name, {}, opts);
        this.baseName = name;
        this.engine = args.engine ?? OBJECT_STORE_DEFAULTS.engine;
        this.region = args.region ?? OBJECT_STORE_DEFAULTS.region;
        const buckets = args.buckets ?? OBJECT_STORE_DEFAULTS.buckets;
        const lakeBucket = args.lakeBucket ?? OBJECT_STORE_DEFAULTS.lakeBucket;
        if (!buckets.some((b) => b.name === lakeBucket)) {
            throw new Error(`ObjectStore ${name}: lakeBucket "${lakeBucket}" is not one of its buckets`);
        }
        this.bucketNames = buckets.map((b) => b.name);

        // RandomPassword, not RandomString: a RandomString's resource ID is its result, in plaintext in state.
        const rootUser = new random.RandomPassword(`${name}-root-user`, { length: 20, special: false, upper: false }, { parent: this });
        const rootPassword = new random.RandomPassword(`${name}-root-password`, { length: 40, special: false }, { parent: this });
        // The root access key is as much a credential as the password: both stay secret.
        this.rootCredentials = { accessKeyId: pulumi.secret(rootUser.result), secretAccessKey: pulumi.secret(rootPassword.result) };
        for (const c of args.consumers ?? []) this.declare(c);

        const specArgs: EngineSpecArgs = {
            name,
            image: args.image ?? OBJECT_STORE_DEFAULTS.images[this.engine],
            resources: args.resources ?? OBJECT_STORE_DEFAULTS.resources,
            region: this.region,
            root: this.rootCredentials,
            consumers: [...this.keys.values()].map((k) => ({ ...k.spec, secretAccessKey: k.secret })),
        };
        const protectData = args.protectData ?? false;
        if (this.engine === "garage") {
            const secret = (role: string) =>
                new random.RandomPassword(`${name}-${role}`, { length: 40, special: false }, { parent: this }).result;
            const adminToken = pulumi.secret(secret("admin-token"));
            const rpcSecret = pulumi.secret(secret("rpc-secret").apply(hex64));
            const service = args.runtime.deploy(garageSpec({ ...specArgs, rpcSecret, adminToken }), this);
            this.endpoint = service.endpoint("s3");
            this.internalUrl = internalUrl(service.internal("s3"));
            this.consoleEndpoint = undefined;
            const admin = service.endpoint("admin");
            this.bootstrap = new GarageBootstrap(
                this,
                name,
                this.endpoint,
                admin,
                adminToken,
                this.rootCredentials,
                this.region,
                service.ready,
                protectData,
            );
        } else {
            const service = args.runtime.deploy(this.engine === "minio" ? minioSpec(specArgs) : seaweedfsSpec(specArgs), this);
            this.endpoint = service.endpoint("s3");
            this.internalUrl = internalUrl(service.internal("s3"));
            this.consoleEndpoint = this.engine === "minio" ? service.endpoint("console") : undefined;
            const Bootstrap = this.engine === "minio" ? MinioBootstrap : SeaweedfsBootstrap;
            this.bootstrap = new Bootstrap(this, name, this.endpoint, this.rootCredentials, this.region, service.ready, protectData);
        }
        for (const bucket of buckets) this.bootstrap.bucket(bucket);
        this.lakeRoot = { bucket: lakeBucket, prefix: "", ...lakeUris(lakeBucket, "") };
        this.registerOutputs({ endpoint: this.endpoint, rootCredentials: this.rootCredentials });
    }

    /** Generates a declared consumer's secret key. */
    private declare(c: ConsumerSpec): void {
        if (!this.bucketNames.includes(c.bucket)) {
            throw new Error(
                `ObjectStore ${this.baseName}: consumer "${c.name}" uses bucket "${c.bucket}", which is not one of ${this.bucketNames.join(", ")}`,
            );
        }
        const secret = new random.RandomPassword(`${this.baseName}-${c.name}-secret-key`, { length: 40, special: false }, { parent: this });
        this.keys.set(c.name, { spec: { ...c, prefix: c.prefix ?? "" }, secret: pulumi.secret(secret.result) });
    }

    /**
     * A consumer's own access key, allowed only under `s3://<bucket>/<prefix>`. The key is stored
     * nowhere but Pulumi state (as a secret) and, through the Secrets capability, Vault.
     */
    public consumer(name: string, location: { bucket: string; prefix?: string }): S3Access {
        const prefix = location.prefix ?? "";
        let key = this.keys.get(name);
        if (key === undefined) {
            if (this.engine === "seaweedfs") {
                throw new Error(
                    `ObjectStore ${this.baseName}: consumer "${name}" must be declared in consumers (the ${this.engine} engine reads its keys at start)`,
                );
            }
            this.declare({ name, bucket: location.bucket, prefix });
            key = this.keys.get(name) as { spec: ConsumerSpec; secret: pulumi.Output<string> };
        } else if (key.spec.bucket !== location.bucket || (key.spec.prefix ?? "") !== prefix) {
            throw new Error(
                `ObjectStore ${this.baseName}: consumer "${name}" is declared for ${key.spec.bucket}/${key.spec.prefix ?? ""}, not ${location.bucket}/${prefix}`,
            );
        }
        if (key.access !== undefined) return key.access;
        const accessKeyId =
            this.bootstrap instanceof SeaweedfsBootstrap
                ? this.bootstrap.consumer(key.spec)
                : this.bootstrap.consumer(key.spec, key.secret);
        key.access = {
            endpoint: this.endpoint,
            internalUrl: this.internalUrl,
            region: this.region,
            pathStyle: this.pathStyle,
            credentials: { accessKeyId, secretAccessKey: key.secret },
            location: { bucket: location.bucket, prefix, ...lakeUris(location.bucket, prefix) },
        };
        return key.access;
    }
}
