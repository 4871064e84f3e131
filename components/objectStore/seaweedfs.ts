import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { Endpoint, S3Credentials } from "../../src/types";
import { PREFIX_MARKER_CONTENT, prefixMarkerKey, type BucketSpec, type ConsumerSpec, type EngineSpecArgs } from "./engine";
import { S3Bucket } from "./s3-bucket";

/** SeaweedFS keeps volumes and the filer's metadata here; it is the image's declared volume. */
export const SEAWEEDFS_DATA_DIR = "/data";
/** The S3 identities file lakeforge renders (every key in it: a secret file). */
export const SEAWEEDFS_S3_CONFIG = "/etc/seaweedfs/lakeforge-s3.json";
/**
 * Healthy: the S3 gateway answers, and an object can be read back through the whole data path
 * (filer, master lookup, volume server). Right after a restart the gateway answers before reads
 * work, so a probe file outside the buckets (written once through the filer, which is not
 * published) is read on every check.
 */
export const SEAWEEDFS_HEALTH = [
    "curl -fsS -o /dev/null http://127.0.0.1:8333/healthz",
    "{ curl -fsS -o /dev/null -I http://127.0.0.1:8888/.lakeforge/health-probe || curl -fsS -o /dev/null -F file=@/etc/hostname http://127.0.0.1:8888/.lakeforge/health-probe; }",
    "curl -fsS -o /dev/null http://127.0.0.1:8888/.lakeforge/health-probe",
].join(" && ");
/** Name of the identity that holds the root key pair. */
export const SEAWEEDFS_ADMIN_IDENTITY = "lakeforge-admin";
/** The S3 actions a consumer gets on its bucket or prefix: objects read, written, listed, tagged. */
export const SEAWEEDFS_CONSUMER_ACTIONS = ["Read", "Write", "List", "Tagging"] as const;

/**
 * SeaweedFS actions limited to a bucket (`Read:lake`) or to a prefix in it (`Read:lake/bronze/*`:
 * the trailing `/*` is a glob over `bucket/key`, and a listing's `prefix` is checked the same way).
 */
export function consumerActions(bucket: string, prefix: string): string[] {
    const scope = prefix === "" ? bucket : `${bucket}/${prefix}/*`;
    return SEAWEEDFS_CONSUMER_ACTIONS.map((a) => `${a}:${scope}`);
}

/** The `-s3.config` identities file: the admin key, and one identity per consumer. */
export function renderIdentities(
    root: { accessKeyId: string; secretAccessKey: string },
    consumers: readonly (ConsumerSpec & { secretAccessKey: string })[],
): string {
    const identity = (name: string, accessKey: string, secretKey: string, actions: readonly string[]) => ({
        name,
        credentials: [{ accessKey, secretKey }],
        actions: [...actions],
    });
    return `${JSON.stringify(
        {
            identities: [
                identity(SEAWEEDFS_ADMIN_IDENTITY, root.accessKeyId, root.secretAccessKey, ["Admin", "Read", "Write", "List", "Tagging"]),
                ...consumers.map((c) => identity(c.name, c.name, c.secretAccessKey, consumerActions(c.bucket, c.prefix ?? ""))),
            ],
        },
        null,
        2,
    )}\n`;
}

/**
 * `weed server` with the S3 gateway, every component in one process on the data volume. Only the S3
 * port is published; master, volume and filer talk inside the process (bound for the container only).
 */
export function seaweedfsSpec(a: EngineSpecArgs): ServiceSpec {
    const consumers = a.consumers.map((c) => pulumi.output(c.secretAccessKey).apply((secretAccessKey) => ({ ...c, secretAccessKey })));
    const config = pulumi
        .all([pulumi.output(a.root.accessKeyId), pulumi.output(a.root.secretAccessKey), pulumi.all(consumers)])
        .apply(([accessKeyId, secretAccessKey, list]) => renderIdentities({ accessKeyId, secretAccessKey }, list));
    return {
        name: a.name,
        image: a.image,
        command: [
            "server",
            `-dir=${SEAWEEDFS_DATA_DIR}`,
            "-ip=127.0.0.1",
            "-ip.bind=0.0.0.0",
            "-s3",
            "-s3.port=8333",
            `-s3.config=${SEAWEEDFS_S3_CONFIG}`,
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            // Small volumes and room for many buckets (each is a collection of its own volumes).
            "-volume.max=64",
            "-master.volumeSizeLimitMB=128",
            "-master.telemetry=false",
        ],
        env: { WEED_MASTER_VOLUME_GROWTH_COPY_1: "1" },
        secretEnv: {},
        files: [{ path: SEAWEEDFS_S3_CONFIG, content: pulumi.secret(config), secret: true }],
        ports: [{ name: "s3", port: 8333, scheme: "http", publishAs: "objectStore" }],
        volumes: [{ name: "data", path: SEAWEEDFS_DATA_DIR }],
        healthCheck: {
            command: ["sh", "-c", SEAWEEDFS_HEALTH],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 24,
            startPeriodSeconds: 5,
        },
        resources: a.resources,
        // The image's `seaweed` user owns /data.
        user: "1000:1000",
        capabilities: [],
        readOnlyRootFilesystem: true,
        // Its components reach each other through unix sockets in /tmp.
        scratchPaths: ["/tmp"],
    };
}

/** Buckets and their prefix markers through the S3 API with the admin key; consumer keys live in the identities file. */
export class SeaweedfsBootstrap {
    private readonly address: pulumi.Output<string>;

    constructor(
        private readonly parent: pulumi.Resource,
        private readonly baseName: string,
        endpoint: Endpoint,
        private readonly root: S3Credentials,
        private readonly region: string,
        private readonly ready: pulumi.Resource[],
        private readonly protectData: boolean,
    ) {
        this.address = endpoint.apply((e) => `http://${e.external.host}:${e.external.port}`);
    }

    bucket(spec: BucketSpec): void {
        new S3Bucket(
            `${this.baseName}-${spec.name}`,
            {
                endpoint: this.address,
                region: this.region,
                accessKeyId: this.root.accessKeyId,
                secretAccessKey: this.root.secretAccessKey,
                bucket: spec.name,
                markers: Object.fromEntries(spec.prefixes.map((p) => [prefixMarkerKey(p), PREFIX_MARKER_CONTENT])),
            },
            { parent: this.parent, dependsOn: this.ready, protect: this.protectData },
        );
    }

    /** The key exists once the server runs with the identities file that names it. */
    consumer(c: ConsumerSpec): pulumi.Output<string> {
        return pulumi.output(c.name);
    }
}
