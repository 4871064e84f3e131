import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { DatabaseConnection, Resources } from "../../src/types";

/*
 * Lakekeeper as its image runs it (quay.io/lakekeeper/catalog: one Rust binary on a FROM scratch
 * image, no shell, API and UI on 8181). Settings are environment variables; the two credentials
 * (the database URL, which carries the password, and the key that encrypts the storage
 * credentials Lakekeeper keeps in PostgreSQL) are secret env. Without an OpenID provider
 * Lakekeeper authenticates nobody and authorizes everything (`allowall`): it is reached only
 * inside the platform network and, on docker, on 127.0.0.1. Sources: lakekeeper/lakekeeper v0.13.3
 * docs/docs/configuration.md, docker/full.Dockerfile, crates/lakekeeper-bin/src/main.rs.
 */

/** Lakekeeper's API (Iceberg REST under /catalog, management under /management) and UI. */
export const LAKEKEEPER_API_PORT = 8181;
/** The binary, the image's entrypoint. */
export const LAKEKEEPER_BIN = "/home/nonroot/lakekeeper";
/** The distroless `nonroot` user whose files the image carries; the image itself sets no USER. */
export const LAKEKEEPER_USER_ID = "65532:65532";
/** The project every warehouse goes to: the default (nil) project of a single-tenant server. */
export const LAKEKEEPER_PROJECT_ID = "00000000-0000-0000-0000-000000000000";

/** Inputs of Lakekeeper's spec. */
export interface LakekeeperSpecArgs {
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    /** Lakekeeper's own database and owner login (PostgreSQL 15 or later). */
    readonly database: DatabaseConnection;
    /** Encrypts the storage credentials Lakekeeper keeps in its database (the warehouse's S3 key). */
    readonly encryptionKey: pulumi.Input<string>;
    /** The S3 region, for the AWS SDK inside Lakekeeper. */
    readonly region: string;
}

/** The Lakekeeper server: migrates its database, then serves, in one process. */
export function lakekeeperSpec(a: LakekeeperSpecArgs): ServiceSpec {
    return {
        name: a.name,
        image: a.image,
        // `serve` with MIGRATE_BEFORE_SERVE waits for the database and applies pending migrations
        // first (idempotent): the `migrate` step without a one-shot job or a shell the image lacks.
        command: ["serve"],
        env: {
            LAKEKEEPER__DEBUG__MIGRATE_BEFORE_SERVE: "true",
            LAKEKEEPER__LISTEN_PORT: String(LAKEKEEPER_API_PORT),
            LAKEKEEPER__ENABLE_DEFAULT_PROJECT: "true",
            LAKEKEEPER__SECRET_BACKEND: "postgres",
            LAKEKEEPER__AUTHZ_BACKEND: "allowall",
            AWS_REGION: a.region,
            AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
            AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
        },
        secretEnv: {
            LAKEKEEPER__PG_DATABASE_URL_WRITE: pulumi.secret(a.database.url),
            LAKEKEEPER__PG_ENCRYPTION_KEY: pulumi.secret(a.encryptionKey),
        },
        files: [],
        ports: [{ name: "api", port: LAKEKEEPER_API_PORT, scheme: "http", publishAs: "catalog" }],
        volumes: [],
        healthCheck: {
            // No shell and no curl in the image: the binary checks its own /health.
            command: [LAKEKEEPER_BIN, "healthcheck"],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 3,
            startPeriodSeconds: 30,
        },
        resources: a.resources,
        user: LAKEKEEPER_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: true,
        // Its database and login are made by the bootstrap.
        afterBootstrap: true,
    };
}
