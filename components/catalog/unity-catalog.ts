import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { DatabaseConnection, Resources } from "../../src/types";

/*
 * Unity Catalog OSS as its image runs it (unitycatalog/unitycatalog: Java 17 on Alpine, user
 * `unitycatalog`, working directory /home/unitycatalog, API on 8080). It reads only files under
 * etc/conf, relative to that directory: server.properties (no credential: a config file),
 * hibernate.properties (the database login: a secret file) and its log4j2 settings (to stdout, so
 * the platform's log collector sees them). Each is mounted alone, so etc/conf stays writable for
 * the signing keys the server makes at start. Sources: unitycatalog/unitycatalog v0.5.0
 * Dockerfile, UnityCatalogServer.java, ServerProperties.java, HibernateConfigurator.java,
 * helm/templates/server/_config.tpl.
 *
 * What it cannot do on an S3-compatible store: OSS Unity Catalog has no S3 endpoint setting
 * (unitycatalog#43, #844, #1072; PRs #1140, #1173, #1240 open, #1629 and #1636 closed unmerged), so
 * it can neither reach the platform's object store nor vend credentials for it. lakeforge therefore
 * configures no S3 bucket and no managed storage: Unity Catalog holds names, schemas and table
 * locations, and every client reads and writes the data with its own key (README: Unity Catalog).
 */

/** The REST API's port (`-p` of start-uc-server; the image's default). */
export const UNITY_CATALOG_PORT = 8080;
/** The image's HOME and working directory: the server reads etc/conf relative to it. */
export const UNITY_CATALOG_HOME = "/home/unitycatalog";
/** Where the server reads its three files and writes its signing keys. */
export const UNITY_CATALOG_CONF = `${UNITY_CATALOG_HOME}/etc/conf`;
/** The image's `unitycatalog` user (Alpine `adduser -S`), as the project's Helm chart runs it. */
export const UNITY_CATALOG_USER_ID = "100:101";
/** Where the REST API lives under the server URL. */
export const UNITY_CATALOG_API_PATH = "/api/2.1/unity-catalog";

/** server.properties: production mode, no authorization (it needs an external OpenID provider), no managed tables. */
export function renderUnityServerProperties(): string {
    const entries: [string, string][] = [
        // `test` would swap the database for an in-memory H2; `dev` and `prod` read hibernate.properties.
        ["server.env", "prod"],
        ["server.authorization", "disable"],
        // Managed tables need the server to write and vend credentials for the store, which it cannot.
        ["server.managed-table.enabled", "false"],
    ];
    return entries.map(([k, v]) => `${k}=${v}`).join("\n") + "\n";
}

/** What hibernate.properties needs, resolved to plain values (the password included). */
export interface UnityHibernateArgs {
    readonly jdbcUrl: string;
    readonly user: string;
    readonly password: string;
}

/** hibernate.properties: Unity Catalog's own PostgreSQL database, schema kept up to date by Hibernate. */
export function renderUnityHibernateProperties(a: UnityHibernateArgs): string {
    const entries: [string, string][] = [
        ["hibernate.connection.driver_class", "org.postgresql.Driver"],
        ["hibernate.connection.url", a.jdbcUrl],
        ["hibernate.connection.user", a.user],
        ["hibernate.connection.password", a.password],
        ["hibernate.hbm2ddl.auto", "update"],
    ];
    return entries.map(([k, v]) => `${k}=${v}`).join("\n") + "\n";
}

/** server.log4j2.properties: to stdout (the image's own writes a rolling file nobody collects). */
export function renderUnityLogConfig(): string {
    return (
        [
            "status = warn",
            "appenders = console",
            "appender.console.type = Console",
            "appender.console.name = Console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} [%t] %-5level %logger{36} - %msg%n",
            "rootLogger.level = info",
            "rootLogger.appenderRefs = console",
            "rootLogger.appenderRef.console.ref = Console",
        ].join("\n") + "\n"
    );
}

/** Inputs of Unity Catalog's spec. */
export interface UnityCatalogSpecArgs {
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    /** Unity Catalog's own database and owner login. */
    readonly database: DatabaseConnection;
}

/** The Unity Catalog server with its three config files. */
export function unityCatalogSpec(a: UnityCatalogSpecArgs): ServiceSpec {
    const d = a.database;
    const hibernate = pulumi
        .all([d.jdbcUrl, d.user, d.password])
        .apply(([jdbcUrl, user, password]) => renderUnityHibernateProperties({ jdbcUrl, user, password }));
    return {
        name: a.name,
        image: a.image,
        // start-uc-server runs a bare `java -cp`; the JVM reads this wherever it starts (default heap is a quarter).
        env: { JAVA_TOOL_OPTIONS: "-XX:MaxRAMPercentage=75" },
        secretEnv: {},
        files: [
            { path: `${UNITY_CATALOG_CONF}/server.properties`, content: renderUnityServerProperties(), secret: false },
            { path: `${UNITY_CATALOG_CONF}/hibernate.properties`, content: pulumi.secret(hibernate), secret: true },
            { path: `${UNITY_CATALOG_CONF}/server.log4j2.properties`, content: renderUnityLogConfig(), secret: false },
        ],
        ports: [{ name: "api", port: UNITY_CATALOG_PORT, scheme: "http", publishAs: "catalog" }],
        volumes: [],
        healthCheck: {
            // No health endpoint; listing catalogs answers once the database is reached. Alpine's busybox wget.
            command: ["wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${UNITY_CATALOG_PORT}${UNITY_CATALOG_API_PATH}/catalogs`],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 3,
            startPeriodSeconds: 60,
        },
        resources: a.resources,
        user: UNITY_CATALOG_USER_ID,
        capabilities: [],
        // It writes its signing keys and token under etc/conf at every start.
        readOnlyRootFilesystem: false,
        // Its database and login are made by the bootstrap.
        afterBootstrap: true,
    };
}
