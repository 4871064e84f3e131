import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { IcebergCatalogAccess, Resources, S3Access } from "../../src/types";
import { resolveCatalog, type ResolvedCatalog, type ResolvedS3 } from "./catalog-config";

/*
 * Trino as the trinodb/trino image runs it: config under /etc/trino (one properties file per
 * catalog in catalog/), state under /data/trino, uid 1000, health through the image's own
 * health-check script. Everything here is a pure function of its inputs; credentials reach the
 * process only in the catalog file, a secret file (`${ENV:...}` references would put them in
 * environment variables, which `docker inspect` shows).
 */

export const TRINO_ETC = "/etc/trino";
export const TRINO_DATA_DIR = "/data/trino";
export const TRINO_PORT = 8080;
/** The trino user of the trinodb/trino image. */
export const TRINO_USER_ID = "1000:1000";

/** `key=value` lines, in order. */
export function renderProperties(entries: Readonly<Record<string, string | number | boolean>>): string {
    return (
        Object.entries(entries)
            .map(([k, v]) => `${k}=${v}`)
            .join("\n") + "\n"
    );
}

/** config.properties of the coordinator (`discoveryUri` undefined) or of a worker. */
export function renderTrinoConfig(role: "coordinator" | "worker", workers: number, coordinatorHost: string): string {
    return renderProperties({
        coordinator: role === "coordinator",
        // With no worker the coordinator runs the queries itself.
        ...(role === "coordinator" ? { "node-scheduler.include-coordinator": workers === 0 } : {}),
        "http-server.http.port": TRINO_PORT,
        "discovery.uri": `http://${role === "coordinator" ? "localhost" : coordinatorHost}:${TRINO_PORT}`,
    });
}

/** node.properties: no node.id, so the image's launcher names each node after its host name. */
export function renderNodeProperties(environment: string): string {
    return renderProperties({ "node.environment": environment, "node.data-dir": TRINO_DATA_DIR });
}

/** jvm.config: the heap follows the container's memory limit. */
export function renderJvmConfig(): string {
    return (
        [
            "-server",
            "-XX:InitialRAMPercentage=75",
            "-XX:MaxRAMPercentage=75",
            "-XX:G1HeapRegionSize=32M",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:-OmitStackTraceInFastThrow",
            "-XX:ReservedCodeCacheSize=256M",
            "-XX:PerMethodRecompilationCutoff=10000",
            "-XX:PerBytecodeRecompilationCutoff=10000",
            "-Djdk.attach.allowAttachSelf=true",
            "-Djdk.nio.maxCachedBufferSize=2000000",
            "-Dfile.encoding=UTF-8",
            "-XX:+EnableDynamicAgentLoading",
        ].join("\n") + "\n"
    );
}

/**
 * catalog/<name>.properties for the Iceberg connector on the platform's catalog (JDBC, or REST with
 * OAuth2 or without authentication), with S3 through Trino's native file system (`fs.native-s3.enabled`; the legacy
 * `hive.s3.*` keys are gone) and the engine's own static key. It holds credentials, so it is a
 * secret file: environment variables (`${ENV:...}`) would show in `docker inspect`.
 */
export function renderIcebergCatalog(catalog: ResolvedCatalog, s3: ResolvedS3): string {
    const connection: Record<string, string | boolean> =
        catalog.kind === "jdbc"
            ? {
                  "iceberg.catalog.type": "jdbc",
                  "iceberg.jdbc-catalog.driver-class": "org.postgresql.Driver",
                  "iceberg.jdbc-catalog.connection-url": catalog.jdbcUrl,
                  "iceberg.jdbc-catalog.connection-user": catalog.user,
                  "iceberg.jdbc-catalog.connection-password": catalog.password,
                  "iceberg.jdbc-catalog.catalog-name": catalog.name,
                  "iceberg.jdbc-catalog.default-warehouse-dir": catalog.location,
                  "iceberg.jdbc-catalog.schema-version": "V1",
              }
            : {
                  "iceberg.catalog.type": "rest",
                  "iceberg.rest-catalog.uri": catalog.uri,
                  "iceberg.rest-catalog.warehouse": catalog.name,
                  ...(catalog.credential === undefined
                      ? { "iceberg.rest-catalog.security": "NONE" }
                      : {
                            "iceberg.rest-catalog.security": "OAUTH2",
                            "iceberg.rest-catalog.oauth2.credential": catalog.credential,
                            "iceberg.rest-catalog.oauth2.scope": catalog.scope ?? "",
                            "iceberg.rest-catalog.oauth2.server-uri": `${catalog.uri}/v1/oauth/tokens`,
                        }),
                  // Polaris (stsUnavailable) and Lakekeeper (no STS, no remote signing, which Trino
                  // lacks) vend nothing: engines bring their own key.
                  "iceberg.rest-catalog.vended-credentials-enabled": false,
              };
    return renderProperties({
        "connector.name": "iceberg",
        ...connection,
        ...s3Properties(s3),
    });
}

/** Trino's S3 keys for the native file system with the engine's own static key. */
function s3Properties(s3: ResolvedS3): Record<string, string | boolean> {
    return {
        "fs.native-s3.enabled": true,
        "s3.endpoint": s3.endpoint,
        "s3.region": s3.region,
        "s3.path-style-access": true,
        "s3.aws-access-key": s3.accessKeyId,
        "s3.aws-secret-key": s3.secretAccessKey,
    };
}

/** The Hive metastore's catalogs: `hive` (plain tables; HMS 4 records them external) and `delta` (Delta Lake). */
export function renderMetastoreCatalogs(metastoreUri: string, s3: ResolvedS3): { hive: string; delta: string } {
    const common = { "hive.metastore.uri": metastoreUri, ...s3Properties(s3) };
    return {
        hive: renderProperties({ "connector.name": "hive", ...common, "hive.non-managed-table-writes-enabled": true }),
        delta: renderProperties({ "connector.name": "delta_lake", ...common, "delta.register-table-procedure.enabled": true }),
    };
}

/** Inputs of one Trino process's spec. */
export interface TrinoSpecArgs {
    readonly name: string;
    readonly role: "coordinator" | "worker";
    readonly coordinatorHost: string;
    readonly workers: number;
    readonly image: string;
    readonly resources: Resources;
    readonly catalog: IcebergCatalogAccess;
    readonly s3: S3Access;
    /** `thrift://host:port` of the Hive metastore: adds the `hive` and `delta` catalogs. */
    readonly metastoreUri?: string;
}

/** A coordinator or worker; both carry the catalog (workers read and write the data files). */
export function trinoSpec(a: TrinoSpecArgs): ServiceSpec {
    const resolved = resolveCatalog(a.catalog, a.s3);
    const catalogFile = resolved.apply((r) => renderIcebergCatalog(r.catalog, r.s3));
    const uri = a.metastoreUri;
    const metastoreFiles =
        uri === undefined
            ? []
            : (["hive", "delta"] as const).map((name) => ({
                  path: `${TRINO_ETC}/catalog/${name}.properties`,
                  content: pulumi.secret(resolved.apply((r) => renderMetastoreCatalogs(uri, r.s3)[name])),
                  secret: true,
              }));
    return {
        name: a.name,
        image: a.image,
        env: {
            // Java SDK v2 >= 2.30 checksums that S3-compatible stores may refuse.
            AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
            AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
        },
        secretEnv: {},
        files: [
            { path: `${TRINO_ETC}/config.properties`, content: renderTrinoConfig(a.role, a.workers, a.coordinatorHost), secret: false },
            { path: `${TRINO_ETC}/node.properties`, content: renderNodeProperties("lakeforge"), secret: false },
            { path: `${TRINO_ETC}/jvm.config`, content: renderJvmConfig(), secret: false },
            { path: `${TRINO_ETC}/catalog/${a.catalog.name}.properties`, content: pulumi.secret(catalogFile), secret: true },
            ...metastoreFiles,
        ],
        ports: [{ name: "http", port: TRINO_PORT, scheme: "http", ...(a.role === "coordinator" ? { publishAs: "trino" } : {}) }],
        volumes: [],
        healthCheck: {
            command: ["/usr/lib/trino/bin/health-check"],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 3,
            // A cold JVM loading the connectors takes a while on a small machine.
            startPeriodSeconds: 120,
        },
        resources: a.resources,
        user: TRINO_USER_ID,
        capabilities: [],
        // node.data-dir (/data/trino) holds the launcher's pid file and nothing to keep.
        readOnlyRootFilesystem: false,
    };
}
