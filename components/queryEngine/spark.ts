import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { IcebergCatalogAccess, Resources, S3Access } from "../../src/types";
import { METASTORE_DEFAULTS } from "../metastore/defaults";
import { s3aSettings } from "../objectStore/s3a";
import { resolveCatalog, type ResolvedCatalog, type ResolvedS3 } from "./catalog-config";
import { SPARK_BLOCK_MANAGER_PORT, SPARK_DRIVER_PORT, SPARK_USER_ID } from "./spark-cluster";

/*
 * Spark as the apache/spark image runs it: SPARK_HOME=/opt/spark, user spark (185), work dir
 * /opt/spark/work-dir. lakeforge runs the Spark Connect server (the driver, gRPC on 15002) with the
 * platform's Iceberg catalog as its default catalog, and Delta Lake in `spark_catalog` (Spark's
 * session catalog): on the Hive metastore when one runs, so Spark and Trino share its Hive and Delta
 * tables, else in memory (Delta tables by path). Delta and Hive tables reach the object store through
 * Hadoop's S3A with the engine's own key. The Iceberg runtime, its AWS bundle, Delta, hadoop-aws and
 * the PostgreSQL driver are Maven packages Spark resolves at start (spark.jars.packages) into an Ivy
 * cache on a volume, so a restart does not fetch them again. The config file carries the catalog
 * password and the S3 secret key, so it is a secret file; Spark redacts both in its UI.
 */

export const SPARK_CONNECT_PORT = 15002;
export const SPARK_UI_PORT = 4040;
export const SPARK_CONF = "/opt/spark/conf/spark-defaults.conf";
/** The image's work dir (owned by spark): a volume, so its Ivy cache survives a new container. */
export const SPARK_WORK_DIR = "/opt/spark/work-dir";
export const SPARK_IVY_DIR = `${SPARK_WORK_DIR}/ivy`;

/**
 * Maven packages of the Spark 4.1 / Scala 2.13 line the pinned image runs (Hadoop 3.4.2); bump with
 * IMAGES.spark. hadoop-aws matches Spark's Hadoop. Its AWS SDK v2 comes from the Iceberg AWS bundle
 * (2.54.17) plus the two modules S3A needs that the bundle leaves out, at the same version, instead
 * of the SDK's 640 MB `bundle` jar.
 */
export const SPARK_PACKAGES = [
    "org.apache.iceberg:iceberg-spark-runtime-4.1_2.13:1.12.0",
    "org.apache.iceberg:iceberg-aws-bundle:1.12.0",
    "io.delta:delta-spark_4.1_2.13:4.4.0",
    "org.apache.hadoop:hadoop-aws:3.4.2",
    "software.amazon.awssdk:s3-transfer-manager:2.54.17",
    "software.amazon.awssdk:apache-client:2.54.17",
    "org.postgresql:postgresql:42.7.14",
] as const;

/**
 * Dependencies of those packages left unresolved (spark.jars.excludes): the SDK bundle above, and
 * libraries Spark's own jars already hold, so one version of each is on the classpath.
 */
export const SPARK_PACKAGE_EXCLUDES = [
    "software.amazon.awssdk:bundle",
    // S3A's SDK HTTP clients: the Iceberg bundle carries the async one (its Netty shaded).
    "software.amazon.awssdk:netty-nio-client",
    "software.amazon.awssdk:apache5-client",
    "org.apache.httpcomponents.client5:*",
    "org.apache.httpcomponents.core5:*",
    // In Spark's jars (`*` is a glob over the artifact).
    "org.apache.hadoop:hadoop-client-api",
    "org.apache.hadoop:hadoop-client-runtime",
    "io.netty:*",
    "com.fasterxml.jackson.core:*",
    "org.apache.logging.log4j:*",
    "org.slf4j:*",
    "org.apache.parquet:*",
    "org.roaringbitmap:*",
    "org.apache.httpcomponents:*",
    "commons-codec:commons-codec",
    "commons-logging:commons-logging",
    "commons-pool:commons-pool",
    "org.xerial.snappy:snappy-java",
    "com.github.luben:zstd-jni",
    "io.airlift:aircompressor",
    "org.locationtech.jts:jts-core",
    "com.google.code.findbugs:jsr305",
    "org.scala-lang:scala-library",
] as const;

/** Where the Connect server runs its work: in its own JVM, or on a standalone cluster. */
export type SparkCluster =
    | { readonly kind: "local" }
    | { readonly kind: "standalone"; readonly masterUrl: string; readonly driverHost: string; readonly executorMemoryMb: number };

/**
 * spark-defaults.conf: `key value` lines, the catalog (JDBC or REST with OAuth2) as the default
 * catalog, Delta in the session catalog, on the Hive metastore at `metastoreUri` when there is one.
 */
export function renderSparkDefaults(
    catalog: ResolvedCatalog,
    s3: ResolvedS3,
    driverMemoryMb: number,
    cluster: SparkCluster = { kind: "local" },
    metastoreUri?: string,
): string {
    const c = `spark.sql.catalog.${catalog.name}`;
    const connection: [string, string][] =
        catalog.kind === "jdbc"
            ? [
                  [`${c}.type`, "jdbc"],
                  [`${c}.uri`, catalog.jdbcUrl],
                  [`${c}.jdbc.user`, catalog.user],
                  [`${c}.jdbc.password`, catalog.password],
                  [`${c}.jdbc.schema-version`, "V1"],
                  [`${c}.warehouse`, catalog.location],
              ]
            : [
                  [`${c}.type`, "rest"],
                  [`${c}.uri`, catalog.uri],
                  [`${c}.warehouse`, catalog.name],
                  ...((catalog.credential === undefined
                      ? []
                      : [
                            [`${c}.credential`, catalog.credential],
                            [`${c}.scope`, catalog.scope ?? ""],
                            [`${c}.oauth2-server-uri`, `${catalog.uri}/v1/oauth/tokens`],
                        ]) as [string, string][]),
              ];
    const entries: [string, string][] = [
        ...(cluster.kind === "local"
            ? ([["spark.master", "local[*]"]] as [string, string][])
            : ([
                  ["spark.master", cluster.masterUrl],
                  // Executors call the driver back by its service name, on fixed ports.
                  ["spark.driver.host", cluster.driverHost],
                  ["spark.driver.bindAddress", "0.0.0.0"],
                  ["spark.driver.port", String(SPARK_DRIVER_PORT)],
                  ["spark.blockManager.port", String(SPARK_BLOCK_MANAGER_PORT)],
                  ["spark.executor.memory", `${cluster.executorMemoryMb}m`],
              ] as [string, string][])),
        ["spark.driver.memory", `${driverMemoryMb}m`],
        ["spark.jars.packages", SPARK_PACKAGES.join(",")],
        ["spark.jars.excludes", SPARK_PACKAGE_EXCLUDES.join(",")],
        ["spark.jars.ivy", SPARK_IVY_DIR],
        [
            "spark.sql.extensions",
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,io.delta.sql.DeltaSparkSessionExtension",
        ],
        ["spark.sql.defaultCatalog", catalog.name],
        // The session catalog: Delta over the Hive metastore's tables (Hive tables included), or in memory.
        ["spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog"],
        ...((metastoreUri === undefined
            ? [["spark.sql.catalogImplementation", "in-memory"]]
            : [
                  ["spark.sql.catalogImplementation", "hive"],
                  ["spark.hadoop.hive.metastore.uris", metastoreUri],
              ]) as [string, string][]),
        // Managed tables of the session catalog land where the metastore keeps its own.
        ["spark.sql.warehouse.dir", `${s3.lake}/${METASTORE_DEFAULTS.warehouse}`],
        ...Object.entries(s3aSettings(s3)).map(([k, v]): [string, string] => [`spark.hadoop.${k}`, String(v)]),
        [c, "org.apache.iceberg.spark.SparkCatalog"],
        ...connection,
        [`${c}.io-impl`, "org.apache.iceberg.aws.s3.S3FileIO"],
        [`${c}.s3.endpoint`, s3.endpoint],
        [`${c}.s3.path-style-access`, "true"],
        [`${c}.s3.access-key-id`, s3.accessKeyId],
        [`${c}.s3.secret-access-key`, s3.secretAccessKey],
        [`${c}.client.region`, s3.region],
        // Spark's UI and event logs show configuration: keep these keys' values out of them.
        ["spark.redaction.regex", "(?i)secret|password|token|credential|access[.-]?key"],
    ];
    return entries.map(([k, v]) => `${k} ${v}`).join("\n") + "\n";
}

/** Inputs of the Spark Connect server's spec. */
export interface SparkSpecArgs {
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    readonly catalog: IcebergCatalogAccess;
    readonly s3: S3Access;
    /** @default local mode */
    readonly cluster?: SparkCluster;
    /** `thrift://host:port` of the Hive metastore, when one runs: the session catalog keeps its tables there. */
    readonly metastoreUri?: string;
}

/** The Spark Connect server, in the foreground, with the catalog and S3 in spark-defaults.conf. */
export function sparkSpec(a: SparkSpecArgs): ServiceSpec {
    const driverMemoryMb = Math.max(512, Math.floor(a.resources.memoryMb * 0.6));
    const cluster = a.cluster ?? { kind: "local" };
    const conf = resolveCatalog(a.catalog, a.s3).apply((r) =>
        renderSparkDefaults(r.catalog, r.s3, driverMemoryMb, cluster, a.metastoreUri),
    );
    return {
        name: a.name,
        image: a.image,
        command: ["/opt/spark/sbin/start-connect-server.sh"],
        env: {
            SPARK_NO_DAEMONIZE: "true",
            AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
            AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
        },
        secretEnv: {},
        files: [{ path: SPARK_CONF, content: pulumi.secret(conf), secret: true }],
        ports: [
            { name: "connect", port: SPARK_CONNECT_PORT, scheme: "tcp", publishAs: "sparkConnect" },
            { name: "ui", port: SPARK_UI_PORT, scheme: "http" },
            ...(cluster.kind === "local"
                ? []
                : [
                      { name: "driver", port: SPARK_DRIVER_PORT, scheme: "tcp" as const },
                      { name: "block-manager", port: SPARK_BLOCK_MANAGER_PORT, scheme: "tcp" as const },
                  ]),
        ],
        volumes: [{ name: "work", path: SPARK_WORK_DIR }],
        healthCheck: {
            command: ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${SPARK_CONNECT_PORT}`],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 3,
            // The first start resolves the packages before the server listens.
            startPeriodSeconds: 180,
        },
        resources: a.resources,
        user: SPARK_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: false,
    };
}
