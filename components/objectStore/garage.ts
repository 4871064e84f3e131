import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { Endpoint, S3Credentials } from "../../src/types";
import { PREFIX_MARKER_CONTENT, prefixMarkerKey, type BucketSpec, type ConsumerSpec, type EngineSpecArgs } from "./engine";
import { GarageBucket, GarageKey, GarageLayout } from "./garage-admin";

/** Garage keeps metadata and data under this directory, on the data volume. */
export const GARAGE_DIR = "/var/lib/garage";
/** The config file Garage reads by default. */
export const GARAGE_CONFIG_FILE = "/etc/garage.toml";
/** Secret files named by GARAGE_RPC_SECRET_FILE and GARAGE_ADMIN_TOKEN_FILE. */
export const GARAGE_RPC_SECRET_FILE = "/run/secrets/garage-rpc-secret";
export const GARAGE_ADMIN_TOKEN_FILE = "/run/secrets/garage-admin-token";
/** Capacity the single node declares in the layout (Garage spreads data by it; one node takes all). */
export const GARAGE_CAPACITY_BYTES = 100 * 1024 ** 3;

/** A 64-hex-character value (an RPC secret) derived from a generated secret, so it stays one. */
export function hex64(secret: string): string {
    return createHash("sha256").update(secret).digest("hex");
}

/**
 * A Garage access key ID for a consumer's secret key: `GK` + 24 hex characters, the format every
 * Garage v2 accepts. Derived from the secret, because Garage never imports an ID twice, even after
 * its key was deleted: a consumer removed and added again gets a new secret, so a new ID.
 */
export function garageKeyId(secretAccessKey: string): string {
    return `GK${createHash("sha256").update(`key-id:${secretAccessKey}`).digest("hex").slice(0, 24)}`;
}

/** garage.toml: one node, replication factor 1, no secret in it (they come from files). */
export function renderGarageConfig(region: string): string {
    return [
        `metadata_dir = "${GARAGE_DIR}/meta"`,
        `data_dir = "${GARAGE_DIR}/data"`,
        `db_engine = "sqlite"`,
        `replication_factor = 1`,
        `rpc_bind_addr = "[::]:3901"`,
        `rpc_public_addr = "127.0.0.1:3901"`,
        ``,
        `[s3_api]`,
        `s3_region = "${region}"`,
        `api_bind_addr = "[::]:3900"`,
        ``,
        `[admin]`,
        `api_bind_addr = "[::]:3903"`,
        ``,
    ].join("\n");
}

/** Garage's server: S3 on 3900, the admin API (for bootstrap) on 3903, health from `garage status`. */
export function garageSpec(a: EngineSpecArgs & { rpcSecret: pulumi.Input<string>; adminToken: pulumi.Input<string> }): ServiceSpec {
    return {
        name: a.name,
        image: a.image,
        env: {
            GARAGE_RPC_SECRET_FILE: GARAGE_RPC_SECRET_FILE,
            GARAGE_ADMIN_TOKEN_FILE: GARAGE_ADMIN_TOKEN_FILE,
            // Runtimes mount files read-only for everyone in the container; the host side stays private.
            GARAGE_ALLOW_WORLD_READABLE_SECRETS: "true",
        },
        secretEnv: {},
        files: [
            { path: GARAGE_CONFIG_FILE, content: renderGarageConfig(a.region), secret: false },
            { path: GARAGE_RPC_SECRET_FILE, content: a.rpcSecret, secret: true },
            { path: GARAGE_ADMIN_TOKEN_FILE, content: a.adminToken, secret: true },
        ],
        ports: [
            { name: "s3", port: 3900, scheme: "http", publishAs: "objectStore" },
            // Not a console: the admin API the bootstrap uses, under the console's published port.
            { name: "admin", port: 3903, scheme: "http", publishAs: "objectStoreConsole" },
        ],
        volumes: [{ name: "data", path: GARAGE_DIR }],
        healthCheck: {
            // The image is FROM scratch (no shell, no curl): its own CLI asks the node over RPC.
            command: ["/garage", "status"],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 12,
            startPeriodSeconds: 5,
        },
        resources: a.resources,
        // The image runs as root and its data directory is root-owned; every capability is still dropped.
        capabilities: [],
        readOnlyRootFilesystem: true,
    };
}

/** Layout, buckets and keys through Garage's admin API; the root key owns every bucket. */
export class GarageBootstrap {
    private readonly admin: { address: pulumi.Output<string>; token: pulumi.Input<string> };
    private readonly s3Address: pulumi.Output<string>;
    private readonly ready: pulumi.Resource[];
    private readonly buckets = new Map<string, GarageBucket>();

    constructor(
        private readonly parent: pulumi.Resource,
        private readonly baseName: string,
        endpoint: Endpoint,
        adminEndpoint: Endpoint,
        adminToken: pulumi.Input<string>,
        private readonly root: S3Credentials,
        private readonly region: string,
        ready: pulumi.Resource[],
        private readonly protectData: boolean,
    ) {
        const url = (e: Endpoint) => e.apply((i) => `http://${i.external.host}:${i.external.port}`);
        this.admin = { address: url(adminEndpoint), token: adminToken };
        this.s3Address = url(endpoint);
        const layout = new GarageLayout(
            `${baseName}-layout`,
            { ...this.admin, zone: "dc1", capacityBytes: GARAGE_CAPACITY_BYTES },
            { parent, dependsOn: ready },
        );
        const rootKey = new GarageKey(
            `${baseName}-root-key`,
            { ...this.admin, name: "lakeforge-admin", accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey },
            { parent, dependsOn: [layout] },
        );
        this.ready = [layout, rootKey];
    }

    bucket(spec: BucketSpec): void {
        const bucket = new GarageBucket(
            `${this.baseName}-${spec.name}`,
            {
                ...this.admin,
                bucket: spec.name,
                rootAccessKeyId: this.root.accessKeyId,
                rootSecretAccessKey: this.root.secretAccessKey,
                s3Endpoint: this.s3Address,
                region: this.region,
                markers: Object.fromEntries(spec.prefixes.map((p) => [prefixMarkerKey(p), PREFIX_MARKER_CONTENT])),
            },
            { parent: this.parent, dependsOn: this.ready, protect: this.protectData },
        );
        this.buckets.set(spec.name, bucket);
    }

    /** An imported key allowed to read and write one bucket (Garage has no per-prefix grants). */
    consumer(c: ConsumerSpec, secretAccessKey: pulumi.Output<string>): pulumi.Output<string> {
        const bucket = this.buckets.get(c.bucket);
        const accessKeyId = secretAccessKey.apply(garageKeyId);
        new GarageKey(
            `${this.baseName}-${c.name}`,
            { ...this.admin, name: c.name, accessKeyId, secretAccessKey, bucketId: bucket?.bucketId },
            { parent: this.parent, dependsOn: this.ready },
        );
        return pulumi.unsecret(accessKeyId);
    }
}
