import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { IcebergCatalogAccess, Resources, S3Access } from "../../src/types";
import { resolveCatalog, type ResolvedCatalog, type ResolvedS3 } from "./catalog-config";
import { SPARK_BLOCK_MANAGER_PORT, SPARK_DRIVER_PORT, SPARK_USER_ID } from "./spark-cluster";

/*
 * Spark as the apache/spark image runs it: SPARK_HOME=/opt/spark, user spark (185), work dir
 * /opt/spark/work-dir. lakeforge runs the Spark Connect server (the driver, gRPC on 15002) with the
 * platform's Iceberg catalog as its default catalog. The Iceberg runtime, its AWS bundle and the
 * PostgreSQL driver are Maven packages Spark resolves at start (spark.jars.packages) into an Ivy
 * cache on a volume, so a restart does not fetch them again. The config file carries the catalog
 * password and the S3 secret key, so it is a secret file; Spark redacts both in its UI.
 */

export const SPARK_CONNECT_PORT = 15002;
export const SPARK_UI_PORT = 4040;
export const SPARK_CONF = "/opt/spark/conf/spark-defaults.conf";
/** The image's work dir (owned by spark): a volume, so its Ivy cache survives a new container. */
export const SPARK_WORK_DIR = "/opt/spark/work-dir";
export const SPARK_IVY_DIR = `${SPARK_WORK_DIR}/ivy`;

/** Maven packages of the Spark 4.1 / Scala 2.13 line the pinned image runs; bump with IMAGES.spark. */
export const SPARK_PACKAGES = [
    "org.apache.iceberg:iceberg-spark-runtime-4.1_2.13:1.12.0",
    "org.apache.iceberg:iceberg-aws-bundle:1.12.0",
    "org.postgresql:postgresql:42.7.14",
] as const;

/** Where the Connect server runs its work: in its own JVM, or on a standalone cluster. */
export type SparkCluster =
    | { readonly kind: "local" }
    | { readonly kind: "standalone"; readonly masterUrl: string; readonly driverHost: string; readonly executorMemoryMb: number };

/** spark-defaults.conf: `key value` lines, the catalog (JDBC or REST with OAuth2) as the default catalog. */
export function renderSparkDefaults(
    catalog: ResolvedCatalog,
    s3: ResolvedS3,
    driverMemoryMb: number,
    cluster: SparkCluster = { kind: "local" },
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
        ["spark.jars.ivy", SPARK_IVY_DIR],
        ["spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"],
        ["spark.sql.defaultCatalog", catalog.name],
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
}

/** The Spark Connect server, in the foreground, with the catalog and S3 in spark-defaults.conf. */
export function sparkSpec(a: SparkSpecArgs): ServiceSpec {
    const driverMemoryMb = Math.max(512, Math.floor(a.resources.memoryMb * 0.6));
    const cluster = a.cluster ?? { kind: "local" };
    const conf = resolveCatalog(a.catalog, a.s3).apply((r) => renderSparkDefaults(r.catalog, r.s3, driverMemoryMb, cluster));
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
