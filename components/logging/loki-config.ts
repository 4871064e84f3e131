import { stringify } from "yaml";

/*
 * Loki 3 in single-binary mode, rendered from plain values so it is tested as a file. Chunks and
 * index (TSDB, schema v13) go to the object store or to the data volume; the compactor applies the
 * retention and keeps delete requests in the same store.
 */

export const LOKI_HTTP_PORT = 3100;
export const LOKI_GRPC_PORT = 9095;
export const LOKI_DATA_DIR = "/loki";
export const LOKI_CONFIG_FILE = "/etc/loki/lakeforge.yaml";

/** Where Loki keeps chunks and index: its own bucket (with its own key) or the data volume. */
export type LokiStore =
    | { readonly kind: "volume" }
    | {
          readonly kind: "s3";
          /** `http://host:port` of the S3 endpoint in the platform network. */
          readonly url: string;
          readonly bucket: string;
          readonly region: string;
          readonly accessKeyId: string;
          readonly secretAccessKey: string;
      };

/** `168h`, `30d` or `2w` in hours. */
export function retentionHours(retention: string): number {
    const m = /^([1-9][0-9]*)(h|d|w)$/.exec(retention);
    if (m === null) throw new Error(`not a retention: ${retention}`);
    return Number(m[1]) * { h: 1, d: 24, w: 168 }[m[2] as "h" | "d" | "w"];
}

/** Loki's `common.storage` for the store: the legacy S3 client takes `host:port` and `insecure` for plain HTTP. */
function commonStorage(store: LokiStore): Record<string, unknown> {
    if (store.kind === "volume") {
        return { filesystem: { chunks_directory: `${LOKI_DATA_DIR}/chunks`, rules_directory: `${LOKI_DATA_DIR}/rules` } };
    }
    const url = new URL(store.url);
    return {
        s3: {
            endpoint: url.host,
            insecure: url.protocol === "http:",
            bucketnames: store.bucket,
            region: store.region,
            access_key_id: store.accessKeyId,
            secret_access_key: store.secretAccessKey,
            s3forcepathstyle: true,
        },
    };
}

/** Loki's whole configuration file (YAML). Holds the S3 secret key with an `s3` store: a secret file then. */
export function renderLokiConfig(store: LokiStore, retention: string): string {
    const objectStore = store.kind === "volume" ? "filesystem" : "s3";
    const config = {
        auth_enabled: false,
        server: { http_listen_port: LOKI_HTTP_PORT, grpc_listen_port: LOKI_GRPC_PORT, log_level: "info" },
        common: {
            instance_addr: "127.0.0.1",
            path_prefix: LOKI_DATA_DIR,
            replication_factor: 1,
            ring: { kvstore: { store: "inmemory" } },
            storage: commonStorage(store),
        },
        schema_config: {
            configs: [
                { from: "2024-01-01", store: "tsdb", object_store: objectStore, schema: "v13", index: { prefix: "index_", period: "24h" } },
            ],
        },
        // Pinned: the default flips to the Thanos client in Loki 4, whose S3 keys differ.
        storage_config: { use_thanos_objstore: false },
        compactor: {
            working_directory: `${LOKI_DATA_DIR}/compactor`,
            retention_enabled: true,
            delete_request_store: objectStore,
        },
        limits_config: { retention_period: `${retentionHours(retention)}h` },
        analytics: { reporting_enabled: false },
    };
    return stringify(config);
}
