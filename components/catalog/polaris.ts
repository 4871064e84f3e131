import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { DatabaseConnection, Resources, S3Access } from "../../src/types";

/*
 * Apache Polaris as its image runs it (apache/polaris: Quarkus on Java 21, uid 10000, API on
 * 8181, management and health on 8182). Its settings, credentials included, are one Quarkus
 * properties file, a secret file named by QUARKUS_CONFIG_LOCATIONS: nothing secret in env.
 * Metadata lives in its own PostgreSQL database (relational-jdbc); the realm and its root
 * principal are bootstrapped by the server at start (idempotent). Clients bring their own S3
 * keys (`stsUnavailable`): Polaris vends none, and uses its own key for the metadata it writes.
 */

/** Polaris's REST API (Iceberg catalog and management). */
export const POLARIS_API_PORT = 8181;
/** Quarkus management: health and metrics. */
export const POLARIS_MANAGEMENT_PORT = 8182;
/** The one realm lakeforge bootstraps. */
export const POLARIS_REALM = "POLARIS";
/** The root principal's client id, which the bootstrap authenticates as. */
export const POLARIS_ROOT_CLIENT_ID = "lakeforge-root";
/** The secret properties file holding every setting, credentials included. */
export const POLARIS_CONFIG = "/run/secrets/polaris/application.properties";
/** The token-signing key, a secret file shared by every replica. */
export const POLARIS_TOKEN_KEY = "/run/secrets/polaris/token-key";
/** The polaris user of the apache/polaris image. */
export const POLARIS_USER_ID = "10000:10001";
/** What each client's catalog role may do: namespaces, tables, views and their data. */
export const POLARIS_CLIENT_PRIVILEGE = "CATALOG_MANAGE_CONTENT";

/** What the server's properties need, resolved to plain values, the credentials included. */
export interface PolarisConfigArgs {
    readonly jdbcUrl: string;
    readonly dbUser: string;
    readonly dbPassword: string;
    readonly rootClientSecret: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
}

/** application.properties for Polaris (Quarkus property names). */
export function renderPolarisConfig(a: PolarisConfigArgs): string {
    const entries: [string, string][] = [
        ["polaris.persistence.type", "relational-jdbc"],
        ["polaris.persistence.auto-bootstrap-types", "relational-jdbc"],
        ["quarkus.datasource.jdbc.url", a.jdbcUrl],
        ["quarkus.datasource.username", a.dbUser],
        ["quarkus.datasource.password", a.dbPassword],
        ["polaris.realm-context.realms", POLARIS_REALM],
        ["polaris.bootstrap.credentials", `${POLARIS_REALM},${POLARIS_ROOT_CLIENT_ID},${a.rootClientSecret}`],
        // One signing key for every replica, from a file (a key given by value is a readiness warning).
        ["polaris.authentication.token-broker.type", "symmetric-key"],
        ["polaris.authentication.token-broker.symmetric-key.file", POLARIS_TOKEN_KEY],
        ["polaris.storage.aws.access-key", a.accessKeyId],
        ["polaris.storage.aws.secret-key", a.secretAccessKey],
        ["quarkus.otel.sdk.disabled", "true"],
    ];
    return entries.map(([k, v]) => `${k}=${v}`).join("\n") + "\n";
}

/** Inputs of Polaris's spec. */
export interface PolarisSpecArgs {
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    readonly database: DatabaseConnection;
    readonly rootClientSecret: pulumi.Input<string>;
    readonly tokenKey: pulumi.Input<string>;
    /** Polaris's own key to the lake bucket. */
    readonly s3: S3Access;
}

/** The Polaris server, every setting in one secret file. */
export function polarisSpec(a: PolarisSpecArgs): ServiceSpec {
    const d = a.database;
    const c = a.s3.credentials;
    const config = pulumi
        .all([d.jdbcUrl, d.user, d.password, a.rootClientSecret, c.accessKeyId, c.secretAccessKey])
        .apply(([jdbcUrl, dbUser, dbPassword, rootClientSecret, accessKeyId, secretAccessKey]) =>
            renderPolarisConfig({ jdbcUrl, dbUser, dbPassword, rootClientSecret, region: a.s3.region, accessKeyId, secretAccessKey }),
        );
    return {
        name: a.name,
        image: a.image,
        env: {
            QUARKUS_CONFIG_LOCATIONS: POLARIS_CONFIG,
            AWS_REGION: a.s3.region,
            AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
            AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
        },
        secretEnv: {},
        files: [
            { path: POLARIS_CONFIG, content: pulumi.secret(config), secret: true },
            { path: POLARIS_TOKEN_KEY, content: pulumi.secret(a.tokenKey), secret: true },
        ],
        ports: [
            { name: "api", port: POLARIS_API_PORT, scheme: "http", publishAs: "catalog" },
            { name: "management", port: POLARIS_MANAGEMENT_PORT, scheme: "http" },
        ],
        volumes: [],
        healthCheck: {
            command: ["curl", "--fail", "--silent", `http://127.0.0.1:${POLARIS_MANAGEMENT_PORT}/q/health/ready`],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 3,
            startPeriodSeconds: 60,
        },
        resources: a.resources,
        user: POLARIS_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: false,
        // Its database and login are made by the bootstrap.
        afterBootstrap: true,
    };
}
