import * as pulumi from "@pulumi/pulumi";
import type { Database } from "../database";
import type { DatabaseConnection, IcebergCatalogAccess } from "../../src/types";
import { CATALOG_DEFAULTS } from "./defaults";
import { JdbcCatalogTables } from "./jdbc-tables";

export { CATALOG_DEFAULTS } from "./defaults";
export { catalogStatements, JDBC_CATALOG_DDL, jdbcCatalogTablesProvider, type JdbcCatalogTablesState } from "./jdbc-tables";

/** Inputs of the Catalog capability. */
export interface CatalogArgs {
    /** @default "jdbc" */
    readonly engine?: "jdbc";
    /** The platform's PostgreSQL: the catalog gets its own database and roles there. */
    readonly database: Database;
    /** The Iceberg catalog's name. @default "lake" */
    readonly name?: string;
    /** Where namespaces and tables go, e.g. `s3://lake`. */
    readonly warehouse: string;
    /** Who gets a login of their own (services and consumers), e.g. ["trino", "client"]. */
    readonly clients: readonly string[];
}

/** `iceberg_catalog_<client>`: a PostgreSQL role name for a client name (`-` becomes `_`). */
export function catalogRoleName(database: string, client: string): string {
    return `${database}_${client.replace(/-/g, "_")}`;
}

/**
 * An Iceberg catalog. The `jdbc` engine runs no server: the catalog is two tables in the
 * platform's PostgreSQL, in a database of its own, which Trino, Spark and pyiceberg all read
 * and write directly. Each client has its own login, allowed to change entries and nothing else.
 */
export class Catalog extends pulumi.ComponentResource {
    public readonly engine: "jdbc";
    public readonly name: string;
    public readonly warehouse: string;

    private readonly logins = new Map<string, DatabaseConnection>();
    private readonly baseName: string;

    constructor(name: string, args: CatalogArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:catalog:Catalog", name, {}, opts);
        this.baseName = name;
        this.engine = args.engine ?? CATALOG_DEFAULTS.engine;
        this.name = args.name ?? CATALOG_DEFAULTS.name;
        this.warehouse = args.warehouse;
        const owner = args.database.database(CATALOG_DEFAULTS.database);
        for (const client of args.clients) {
            this.logins.set(client, args.database.login(catalogRoleName(CATALOG_DEFAULTS.database, client), owner.database));
        }
        const admin = args.database.endpoint;
        new JdbcCatalogTables(
            `${name}-tables`,
            {
                host: admin.external.host,
                port: admin.external.port,
                database: owner.database,
                owner: owner.user,
                password: owner.password,
                clients: [...this.logins.values()].map((login) => login.user),
            },
            { parent: this },
        );
        this.registerOutputs({ name: this.name, warehouse: this.warehouse });
    }

    /** The catalog as client `name` (declared in `clients`) reaches it. */
    public access(client: string): IcebergCatalogAccess {
        const jdbc = this.logins.get(client);
        if (jdbc === undefined) {
            throw new Error(`Catalog ${this.baseName}: client "${client}" is not one of ${[...this.logins.keys()].join(", ")}`);
        }
        return { kind: this.engine, name: this.name, warehouse: this.warehouse, jdbc };
    }
}

/** Variables an Iceberg client (Spark, pyiceberg, Trino's JDBC catalog) sets to use the catalog. */
export function catalogEnv(access: IcebergCatalogAccess): Record<string, pulumi.Input<string>> {
    const j = access.jdbc;
    return {
        ICEBERG_CATALOG: access.name,
        ICEBERG_CATALOG_TYPE: access.kind,
        ICEBERG_WAREHOUSE: access.warehouse,
        ICEBERG_JDBC_URL: j.externalJdbcUrl,
        ICEBERG_JDBC_USER: j.user,
        ICEBERG_JDBC_PASSWORD: j.password,
    };
}
