import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { DatabaseConnection, Resources, S3Access } from "../../src/types";
import { resolveS3, s3aSettings, type ResolvedS3 } from "../objectStore/s3a";
import { METASTORE_DEFAULTS } from "./defaults";

/*
 * Hive's standalone metastore as the apache/hive image runs it: its entrypoint links the files of
 * HIVE_CUSTOM_CONF_DIR into /opt/hive/conf, runs `schematool -initOrUpgradeSchema` (idempotent on
 * Hive 4: it creates the schema on the first start and leaves existing data alone) and starts the
 * Thrift server on 9083. The image has no PostgreSQL JDBC driver: the entrypoint fetches the pinned
 * jar at start from Maven Central, checks its SHA-256 and puts it on HADOOP_CLASSPATH (an image that
 * has one in /opt/hive/lib is left as it is). The database
 * password and the S3 key are in metastore-site.xml, a secret file.
 */

export const HIVE_METASTORE_PORT = 9083;
export const HIVE_CONF = "/etc/lakeforge/hive";
/** Where the fetched driver goes, in the container's own /tmp (kept across restarts, gone with the container). */
export const HIVE_DRIVERS = "/tmp/lakeforge-drivers";
/** The hive user of the apache/hive image. */
export const HIVE_USER_ID = "1000:1000";

const xmlEscape = (v: string): string => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A Hadoop configuration file. */
export function renderHadoopXml(properties: Readonly<Record<string, string | number | boolean>>): string {
    const entries = Object.entries(properties).map(
        ([k, v]) => `  <property><name>${xmlEscape(k)}</name><value>${xmlEscape(String(v))}</value></property>`,
    );
    return ['<?xml version="1.0"?>', "<configuration>", ...entries, "</configuration>", ""].join("\n");
}

/** What metastore-site.xml needs, resolved to plain values (credentials included). */
export interface HiveSiteInputs {
    readonly jdbcUrl: string;
    readonly user: string;
    readonly password: string;
    /** The metastore's own key; `lake` is `s3a://bucket` of the lake. */
    readonly s3: ResolvedS3;
}

/** metastore-site.xml: the database, both warehouse roots under the lake, S3A with the metastore's own key. */
export function renderMetastoreSite(i: HiveSiteInputs): string {
    const managed = `${i.s3.lake}/${METASTORE_DEFAULTS.warehouse}`;
    const external = `${i.s3.lake}/${METASTORE_DEFAULTS.externalWarehouse}`;
    return renderHadoopXml({
        "javax.jdo.option.ConnectionDriverName": "org.postgresql.Driver",
        "javax.jdo.option.ConnectionURL": i.jdbcUrl,
        "javax.jdo.option.ConnectionUserName": i.user,
        "javax.jdo.option.ConnectionPassword": i.password,
        "metastore.thrift.port": HIVE_METASTORE_PORT,
        // Both spellings: parts of Hive 4 still read the hive.* names.
        "metastore.warehouse.dir": managed,
        "hive.metastore.warehouse.dir": managed,
        "metastore.warehouse.external.dir": external,
        "hive.metastore.warehouse.external.dir": external,
        "fs.defaultFS": i.s3.lake,
        // Query engines write s3:// locations; the metastore reaches them through S3A too.
        ...s3aSettings(i.s3),
        // The image's own metastore-site.xml sets these three; this file replaces it. The defaults
        // name hive-exec classes a standalone metastore does not have.
        "metastore.task.threads.always": "org.apache.hadoop.hive.metastore.events.EventCleanerTask",
        "metastore.expression.proxy": "org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy",
        "metastore.event.db.notification.api.auth": false,
    });
}

/**
 * A bash script that makes sure a PostgreSQL JDBC driver is on the metastore's classpath, then runs
 * `then`: an image with one in `lib` is left as it is; otherwise the pinned jar is fetched (curl,
 * else wget) into `target`, kept only if its SHA-256 matches, and put on HADOOP_CLASSPATH. S3A
 * (Hadoop's tools jars, which the image has but leaves off the classpath) goes there too.
 */
export function driverScript(
    lib: string,
    target: string,
    then: string,
    d: { readonly url: string; readonly sha256: string } = METASTORE_DEFAULTS.jdbcDriver,
): string {
    const fail = (why: string) => `{ echo "lakeforge: cannot fetch the PostgreSQL JDBC driver: ${why}" >&2; exit 1; }`;
    return [
        `if ! ls "${lib}"/postgresql*.jar > /dev/null 2>&1; then`,
        `  if ! echo "${d.sha256}  ${target}" | sha256sum -c --status 2> /dev/null; then`,
        `    mkdir -p "$(dirname "${target}")"`,
        `    { curl -fsSL -o "${target}.part" "${d.url}" || wget -q -O "${target}.part" "${d.url}"; } || ${fail(`GET ${d.url} failed`)}`,
        `    echo "${d.sha256}  ${target}.part" | sha256sum -c --status || ${fail(`SHA-256 of ${d.url} is not ${d.sha256}`)}`,
        `    mv "${target}.part" "${target}"`,
        "  fi",
        `  export HADOOP_CLASSPATH="${target}\${HADOOP_CLASSPATH:+:$HADOOP_CLASSPATH}"`,
        "fi",
        'export HADOOP_CLASSPATH="$HADOOP_HOME/share/hadoop/tools/lib/*${HADOOP_CLASSPATH:+:$HADOOP_CLASSPATH}"',
        then,
    ].join("\n");
}

/** The entrypoint: the driver and S3A in place, then the image's own entrypoint. */
export function hiveEntrypoint(): string[] {
    return ["bash", "-c", driverScript("$HIVE_HOME/lib", `${HIVE_DRIVERS}/postgresql.jar`, "exec /entrypoint.sh")];
}

/** Inputs of the metastore's spec. */
export interface HiveSpecArgs {
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    readonly database: DatabaseConnection;
    /** The metastore's own key, on the whole lake bucket. */
    readonly s3: S3Access;
}

export function hiveSpec(a: HiveSpecArgs): ServiceSpec {
    const site = pulumi
        .all([a.database.jdbcUrl, a.database.user, a.database.password, resolveS3(a.s3)])
        .apply(([jdbcUrl, user, password, s3]) => renderMetastoreSite({ jdbcUrl, user, password, s3 }));
    return {
        name: a.name,
        image: a.image,
        entrypoint: hiveEntrypoint(),
        env: {
            SERVICE_NAME: "metastore",
            DB_DRIVER: "postgres",
            HIVE_CUSTOM_CONF_DIR: HIVE_CONF,
            // The heap follows the container's memory limit.
            SERVICE_OPTS: `-Xmx${Math.floor(a.resources.memoryMb * 0.7)}m`,
            AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
            AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
        },
        secretEnv: {},
        files: [{ path: `${HIVE_CONF}/metastore-site.xml`, content: pulumi.secret(site), secret: true }],
        ports: [{ name: "thrift", port: HIVE_METASTORE_PORT, scheme: "tcp", publishAs: "metastore" }],
        volumes: [],
        healthCheck: {
            command: ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${HIVE_METASTORE_PORT}`],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 3,
            // The first start creates the schema.
            startPeriodSeconds: 120,
        },
        resources: a.resources,
        user: HIVE_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: false,
        afterBootstrap: true,
    };
}
