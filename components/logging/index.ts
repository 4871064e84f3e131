import * as pulumi from "@pulumi/pulumi";
import type { LogDelivery, Runtime, ServiceSpec } from "../../src/runtime/spec";
import type { Endpoint, Resources, S3Access } from "../../src/types";
import { ALLOY_CONFIG_FILE, ALLOY_DATA_DIR, ALLOY_HTTP_PORT, renderAlloyConfig } from "./alloy-config";
import { LOGGING_DEFAULTS } from "./defaults";
import { LOKI_CONFIG_FILE, LOKI_DATA_DIR, LOKI_HTTP_PORT, renderLokiConfig } from "./loki-config";

export { LOGGING_DEFAULTS } from "./defaults";
export { renderAlloyConfig } from "./alloy-config";
export { renderLokiConfig, retentionHours } from "./loki-config";

/*
 * Loki (single binary) and Grafana Alloy as its collector. How Alloy receives every service's
 * output is the runtime's choice (`Runtime.logDelivery`): on docker the engine pushes it (GELF over
 * UDP), so Alloy needs no Docker socket; on kubernetes Alloy reads it through the API server with a
 * namespaced read-only role, so no host path breaks the `restricted` Pod Security level.
 */

/** Loki's image (distroless static, no shell) runs as its own user. */
export const LOKI_USER_ID = "10001:10001";
/** The Alloy image's own `alloy` user: neither delivery needs root. */
export const ALLOY_USER_ID = "473:473";

/** Where Loki keeps chunks and index: its own bucket through its own key, or the data volume only. */
export type LoggingStorage = { readonly kind: "volume" } | { readonly kind: "s3"; readonly access: S3Access; readonly bucket: string };

/** Inputs of Loki's spec. */
export interface LokiSpecArgs {
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    readonly storage: LoggingStorage;
    readonly retention: string;
}

/** The config file: plain with a volume store, a secret file (it holds the S3 key) with a bucket. */
function lokiConfigFile(storage: LoggingStorage, retention: string): ServiceSpec["files"][number] {
    if (storage.kind === "volume") {
        return { path: LOKI_CONFIG_FILE, content: renderLokiConfig({ kind: "volume" }, retention), secret: false };
    }
    const a = storage.access;
    const content = pulumi
        .all([a.credentials.accessKeyId, a.credentials.secretAccessKey])
        .apply(([accessKeyId, secretAccessKey]) =>
            renderLokiConfig(
                { kind: "s3", url: a.internalUrl, bucket: storage.bucket, region: a.region, accessKeyId, secretAccessKey },
                retention,
            ),
        );
    return { path: LOKI_CONFIG_FILE, content: pulumi.secret(content), secret: true };
}

export function lokiSpec(a: LokiSpecArgs): ServiceSpec {
    return {
        name: a.name,
        image: a.image,
        command: [`-config.file=${LOKI_CONFIG_FILE}`],
        env: {},
        secretEnv: {},
        files: [lokiConfigFile(a.storage, a.retention)],
        ports: [{ name: "http", port: LOKI_HTTP_PORT, scheme: "http", publishAs: "logging" }],
        // WAL, TSDB head and compactor state live here even when chunks go to the bucket.
        volumes: [{ name: "data", path: LOKI_DATA_DIR }],
        // The image is distroless: the binary checks its own /ready (`-health`, Loki 3.6.5 and later).
        healthCheck: { command: ["/usr/bin/loki", "-health"], intervalSeconds: 10, timeoutSeconds: 6, retries: 6, startPeriodSeconds: 30 },
        resources: a.resources,
        user: LOKI_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: true,
        // Its bucket and key are made by the bootstrap.
        afterBootstrap: a.storage.kind === "s3",
    };
}

/** Inputs of Alloy's spec. */
export interface AlloySpecArgs {
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    readonly delivery: LogDelivery;
    /** Loki's push URL in the platform network. */
    readonly pushUrl: string;
}

/** An HTTP GET of Alloy's readiness with bash alone: the image has no curl or wget to rely on. */
export const ALLOY_HEALTH_COMMAND = [
    "bash",
    "-c",
    `exec 3<>/dev/tcp/127.0.0.1/${ALLOY_HTTP_PORT} && printf 'GET /-/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '`,
];

export function alloySpec(a: AlloySpecArgs): ServiceSpec {
    return {
        name: a.name,
        image: a.image,
        command: [
            "run",
            ALLOY_CONFIG_FILE,
            `--storage.path=${ALLOY_DATA_DIR}`,
            // The default 127.0.0.1 would hide /-/ready from the kubelet.
            `--server.http.listen-addr=0.0.0.0:${ALLOY_HTTP_PORT}`,
            "--disable-reporting",
        ],
        env: {},
        secretEnv: {},
        files: [
            {
                path: ALLOY_CONFIG_FILE,
                content: renderAlloyConfig({ delivery: a.delivery, pushUrl: a.pushUrl, collector: a.name }),
                secret: false,
            },
        ],
        ports: [{ name: "http", port: ALLOY_HTTP_PORT, scheme: "http" }],
        // Positions of the tailed pods' logs, so a restart neither repeats nor skips lines.
        volumes: [{ name: "data", path: ALLOY_DATA_DIR }],
        healthCheck: { command: ALLOY_HEALTH_COMMAND, intervalSeconds: 10, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 10 },
        resources: a.resources,
        user: ALLOY_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: true,
        collectsLogs: true,
    };
}

/** Inputs of the Logging capability. */
export interface LoggingArgs {
    readonly runtime: Runtime;
    /** @default "loki" */
    readonly engine?: "loki";
    /** @default IMAGES.loki */
    readonly image?: string;
    /** @default { memoryMb: 1024, cpus: 1 } */
    readonly resources?: Resources;
    /** @default "alloy" */
    readonly collector?: "alloy";
    /** @default IMAGES.alloy */
    readonly collectorImage?: string;
    /** @default { memoryMb: 256, cpus: 0.25 } */
    readonly collectorResources?: Resources;
    /** Loki's own bucket and key, or the data volume only. */
    readonly storage: LoggingStorage;
    /** How long lines are kept: whole days as `168h`, `30d` or `4w`. @default "168h" */
    readonly retention?: string;
}

/** Loki and its collector: `endpoint` is `LOKI_URL`. */
export class Logging extends pulumi.ComponentResource {
    public readonly endpoint: Endpoint;

    constructor(name: string, args: LoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:logging:Logging", name, {}, opts);
        const loki = args.runtime.deploy(
            lokiSpec({
                name: args.engine ?? LOGGING_DEFAULTS.engine,
                image: args.image ?? LOGGING_DEFAULTS.image,
                resources: args.resources ?? LOGGING_DEFAULTS.resources,
                storage: args.storage,
                retention: args.retention ?? LOGGING_DEFAULTS.retention,
            }),
            this,
        );
        this.endpoint = loki.endpoint("http");
        // Loki's in-network address, tied to no resource: the collector starts at once and retries until Loki is ready.
        const push = loki.internal("http");
        args.runtime.deploy(
            alloySpec({
                name: args.collector ?? LOGGING_DEFAULTS.collector,
                image: args.collectorImage ?? LOGGING_DEFAULTS.collectorImage,
                resources: args.collectorResources ?? LOGGING_DEFAULTS.collectorResources,
                delivery: args.runtime.logDelivery,
                pushUrl: `http://${push.host}:${push.port}/loki/api/v1/push`,
            }),
            this,
        );
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
