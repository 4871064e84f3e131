import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { IcebergCatalogAccess, Resources, S3Access } from "../../src/types";

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

/** What an Iceberg catalog file needs, resolved to plain values, the credentials included. */
export interface IcebergCatalogFileArgs {
    readonly catalogName: string;
    readonly warehouse: string;
    readonly jdbcUrl: string;
    readonly jdbcUser: string;
    readonly jdbcPassword: string;
    readonly s3Endpoint: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
}

/**
 * catalog/<name>.properties for the Iceberg connector on the JDBC catalog, with S3 through
 * Trino's native file system (`fs.native-s3.enabled`; the legacy `hive.s3.*` keys are gone).
 */
export function renderIcebergCatalog(a: IcebergCatalogFileArgs): string {
    return renderProperties({
        "connector.name": "iceberg",
        "iceberg.catalog.type": "jdbc",
        "iceberg.jdbc-catalog.driver-class": "org.postgresql.Driver",
        "iceberg.jdbc-catalog.connection-url": a.jdbcUrl,
        "iceberg.jdbc-catalog.connection-user": a.jdbcUser,
        "iceberg.jdbc-catalog.connection-password": a.jdbcPassword,
        "iceberg.jdbc-catalog.catalog-name": a.catalogName,
        "iceberg.jdbc-catalog.default-warehouse-dir": a.warehouse,
        "iceberg.jdbc-catalog.schema-version": "V1",
        "fs.native-s3.enabled": true,
        "s3.endpoint": a.s3Endpoint,
        "s3.region": a.region,
        "s3.path-style-access": true,
        "s3.aws-access-key": a.accessKeyId,
        "s3.aws-secret-key": a.secretAccessKey,
    });
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
}

/** A coordinator or worker; both carry the catalog (workers read and write the data files). */
export function trinoSpec(a: TrinoSpecArgs): ServiceSpec {
    const j = a.catalog.jdbc;
    const c = a.s3.credentials;
    const catalogFile = pulumi
        .all([j.jdbcUrl, j.user, j.password, a.s3.endpoint, c.accessKeyId, c.secretAccessKey])
        .apply(([jdbcUrl, jdbcUser, jdbcPassword, endpoint, accessKeyId, secretAccessKey]) =>
            renderIcebergCatalog({
                catalogName: a.catalog.name,
                warehouse: a.catalog.warehouse,
                jdbcUrl,
                jdbcUser,
                jdbcPassword,
                s3Endpoint: `http://${endpoint.internal.host}:${endpoint.internal.port}`,
                region: a.s3.region,
                accessKeyId,
                secretAccessKey,
            }),
        );
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
