import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { IcebergCatalogAccess, Resources, S3Access } from "../../src/types";

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
/** The spark user of the apache/spark image. */
export const SPARK_USER_ID = "185:185";

/** Maven packages of the Spark 4.1 / Scala 2.13 line the pinned image runs; bump with IMAGES.spark. */
export const SPARK_PACKAGES = [
    "org.apache.iceberg:iceberg-spark-runtime-4.1_2.13:1.12.0",
    "org.apache.iceberg:iceberg-aws-bundle:1.12.0",
    "org.postgresql:postgresql:42.7.14",
] as const;

/** What spark-defaults.conf needs, resolved to plain values; the two secrets included. */
export interface SparkConfArgs {
    readonly catalogName: string;
    readonly warehouse: string;
    readonly jdbcUrl: string;
    readonly jdbcUser: string;
    readonly jdbcPassword: string;
    readonly s3Endpoint: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    /** Driver memory in MiB (the container's limit minus JVM overhead). */
    readonly driverMemoryMb: number;
}

/** spark-defaults.conf: `key value` lines. */
export function renderSparkDefaults(a: SparkConfArgs): string {
    const c = `spark.sql.catalog.${a.catalogName}`;
    const entries: [string, string][] = [
        ["spark.master", "local[*]"],
        ["spark.driver.memory", `${a.driverMemoryMb}m`],
        ["spark.jars.packages", SPARK_PACKAGES.join(",")],
        ["spark.jars.ivy", SPARK_IVY_DIR],
        ["spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"],
        ["spark.sql.defaultCatalog", a.catalogName],
        [c, "org.apache.iceberg.spark.SparkCatalog"],
        [`${c}.type`, "jdbc"],
        [`${c}.uri`, a.jdbcUrl],
        [`${c}.jdbc.user`, a.jdbcUser],
        [`${c}.jdbc.password`, a.jdbcPassword],
        [`${c}.jdbc.schema-version`, "V1"],
        [`${c}.warehouse`, a.warehouse],
        [`${c}.io-impl`, "org.apache.iceberg.aws.s3.S3FileIO"],
        [`${c}.s3.endpoint`, a.s3Endpoint],
        [`${c}.s3.path-style-access`, "true"],
        [`${c}.s3.access-key-id`, a.accessKeyId],
        [`${c}.s3.secret-access-key`, a.secretAccessKey],
        [`${c}.client.region`, a.region],
        // Spark's UI and event logs show configuration: keep these keys' values out of them.
        ["spark.redaction.regex", "(?i)secret|password|token|access[.-]?key"],
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
}

/** The Spark Connect server, in the foreground, with the catalog and S3 in spark-defaults.conf. */
export function sparkSpec(a: SparkSpecArgs): ServiceSpec {
    const j = a.catalog.jdbc;
    const conf = pulumi
        .all([j.jdbcUrl, j.user, j.password, a.s3.endpoint, a.s3.credentials.accessKeyId, a.s3.credentials.secretAccessKey])
        .apply(([jdbcUrl, jdbcUser, jdbcPassword, endpoint, accessKeyId, secretAccessKey]) =>
            renderSparkDefaults({
                catalogName: a.catalog.name,
                warehouse: a.catalog.warehouse,
                jdbcUrl,
                jdbcUser,
                jdbcPassword,
                s3Endpoint: `http://${endpoint.internal.host}:${endpoint.internal.port}`,
                region: a.s3.region,
                accessKeyId,
                secretAccessKey,
                driverMemoryMb: Math.max(512, Math.floor(a.resources.memoryMb * 0.6)),
            }),
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
