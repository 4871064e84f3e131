import * as pulumi from "@pulumi/pulumi";
import type * as Pg from "pg";

/*
 * The Iceberg JDBC catalog's two tables, created in the catalog's own database as its owner role,
 * and the client roles allowed to change them. Iceberg's Java JdbcCatalog creates them on first
 * use; Trino's does not ("the metadata tables must already exist"), so lakeforge creates them,
 * in Iceberg's V1 layout (with `iceberg_type`, so views and tables share the catalog).
 * Runs as a dynamic provider; helpers stay plain functions so they serialize with it.
 */

/** Iceberg's V1 JDBC catalog DDL (org.apache.iceberg.jdbc.JdbcUtil), idempotent. */
export const JDBC_CATALOG_DDL = [
    "CREATE TABLE IF NOT EXISTS iceberg_tables (catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL, " +
        "table_name VARCHAR(255) NOT NULL, metadata_location VARCHAR(1000), previous_metadata_location VARCHAR(1000), " +
        "iceberg_type VARCHAR(5), PRIMARY KEY (catalog_name, table_namespace, table_name))",
    "CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (catalog_name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL, " +
        "property_key VARCHAR(255), property_value VARCHAR(1000), PRIMARY KEY (catalog_name, namespace, property_key))",
] as const;

const TABLES = "iceberg_tables, iceberg_namespace_properties";

/** Inputs of JdbcCatalogTables, as the provider sees them. */
export interface JdbcCatalogTablesState {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly owner: string;
    readonly password: string;
    /** Login roles that may read and change catalog entries (never the tables' shape). */
    readonly clients: string[];
}

/** `"name"`, quoted as a PostgreSQL identifier. */
export function quoteIdent(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
}

/** The statements that bring the tables and grants from `olds` (none on create) to `news`. */
export function catalogStatements(news: Pick<JdbcCatalogTablesState, "clients">, olds?: Pick<JdbcCatalogTablesState, "clients">): string[] {
    const gone = (olds?.clients ?? []).filter((c) => !news.clients.includes(c));
    return [
        ...JDBC_CATALOG_DDL,
        ...news.clients.map((c) => `GRANT SELECT, INSERT, UPDATE, DELETE ON ${TABLES} TO ${quoteIdent(c)}`),
        ...gone.map((c) => `REVOKE ALL ON ${TABLES} FROM ${quoteIdent(c)}`),
    ];
}

/** Runs statements as the catalog's owner, retrying the connection while the server starts. */
export async function runAsOwner(state: JdbcCatalogTablesState, statements: readonly string[]): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pg = require("pg") as typeof Pg;
    let lastError: unknown;
    for (let attempt = 0; attempt < 30; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 2000));
        const client = new pg.Client({
            host: state.host,
            port: state.port,
            database: state.database,
            user: state.owner,
            password: state.password,
            connectionTimeoutMillis: 10_000,
        });
        try {
            await client.connect();
        } catch (err) {
            lastError = err;
            continue;
        }
        try {
            for (const sql of statements) await client.query(sql);
            return;
        } finally {
            await client.end();
        }
    }
    throw new Error(
        `catalog database ${state.database} at ${state.host}:${state.port} did not accept ${state.owner}: ${String(lastError)}`,
    );
}

/** The provider behind JdbcCatalogTables (exported for tests against a real server). */
export const jdbcCatalogTablesProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: JdbcCatalogTablesState) {
        await runAsOwner(inputs, catalogStatements(inputs));
        return { id: inputs.database, outs: inputs };
    },
    async diff(_id: string, olds: JdbcCatalogTablesState, news: JdbcCatalogTablesState) {
        if (olds.database !== news.database) return { changes: true, replaces: ["database"], deleteBeforeReplace: false };
        const keys = ["host", "port", "owner", "password"] as const;
        const changed = keys.some((k) => olds[k] !== news[k]) || JSON.stringify(olds.clients) !== JSON.stringify(news.clients);
        return { changes: changed };
    },
    async update(_id: string, olds: JdbcCatalogTablesState, news: JdbcCatalogTablesState) {
        await runAsOwner(news, catalogStatements(news, olds));
        return { outs: news };
    },
    // The tables hold every table's pointer to its metadata: destroy leaves them with the database.
    async delete() {},
};

/** Inputs of JdbcCatalogTables. */
export interface JdbcCatalogTablesArgs {
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly database: pulumi.Input<string>;
    readonly owner: pulumi.Input<string>;
    readonly password: pulumi.Input<string>;
    readonly clients: pulumi.Input<pulumi.Input<string>[]>;
}

/** The Iceberg JDBC catalog's tables in their own database, with DML for the client roles. */
export class JdbcCatalogTables extends pulumi.dynamic.Resource {
    constructor(name: string, args: JdbcCatalogTablesArgs, opts?: pulumi.CustomResourceOptions) {
        super(jdbcCatalogTablesProvider, name, { ...args, password: pulumi.secret(args.password) }, opts, "lakeforge", "JdbcCatalogTables");
    }
}
