import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Database } from "../database";
import { formatAddress } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Endpoint, IcebergCatalogAccess, Resources, S3Access } from "../../src/types";
import { CATALOG_DEFAULTS, type CatalogEngine } from "./defaults";
import { JdbcCatalogTables } from "./jdbc-tables";
import { LakekeeperWarehouse } from "./lakekeeper-admin";
import { LAKEKEEPER_PROJECT_ID, lakekeeperSpec } from "./lakekeeper";
import { PolarisCatalog, PolarisPrincipal } from "./polaris-admin";
import { POLARIS_CLIENT_PRIVILEGE, POLARIS_REALM, POLARIS_ROOT_CLIENT_ID, polarisSpec } from "./polaris";
import { UnityCatalogCatalog } from "./unity-catalog-admin";
import { UNITY_CATALOG_API_PATH, unityCatalogSpec } from "./unity-catalog";
import { catalogEnv, unityCatalogEnv, type UnityCatalogAccess } from "./env";

export { CATALOG_DEFAULTS, ownsLakeKey, type CatalogEngine } from "./defaults";
export { catalogStatements, JDBC_CATALOG_DDL, jdbcCatalogTablesProvider, type JdbcCatalogTablesState } from "./jdbc-tables";
export * from "./polaris";
export { catalogBody, ensurePrincipal, polarisCatalogProvider, polarisPrincipalProvider } from "./polaris-admin";
export * from "./lakekeeper";
export * from "./lakekeeper-admin";
export * from "./unity-catalog";
export * from "./unity-catalog-admin";
export { catalogEnv, unityCatalogEnv, type UnityCatalogAccess } from "./env";

/** Inputs of the Catalog capability. */
export interface CatalogArgs {
    /** @default "jdbc" */
    readonly engine?: CatalogEngine;
    /** Where a catalog server runs (polaris, lakekeeper, unity-catalog). */
    readonly runtime: Runtime;
    /** @default IMAGES.polaris, IMAGES.lakekeeper or IMAGES.unityCatalog, by engine */
    readonly image?: string;
    /** @default { memoryMb: 1024, cpus: 1 } (polaris, unity-catalog); { memoryMb: 512, cpus: 1 } (lakekeeper) */
    readonly resources?: Resources;
    /** The platform's PostgreSQL: the catalog gets its own database and roles there. */
    readonly database: Database;
    /** The Iceberg catalog's name. @default "lake" */
    readonly name?: string;
    /** Where namespaces and tables go, e.g. `s3://lake`. */
    readonly location: string;
    /** The catalog server's own key to the lake bucket (polaris, lakekeeper). */
    readonly s3?: S3Access;
    /** Who gets a login of their own (services and consumers), e.g. ["trino", "client"]. */
    readonly clients: readonly string[];
}

/** `iceberg_catalog_<client>`: a PostgreSQL role name for a client name (`-` becomes `_`). */
export function catalogRoleName(database: string, client: string): string {
    return `${database}_${client.replace(/-/g, "_")}`;
}

/**
 * The platform's catalog. `jdbc` runs no server: the catalog is two tables in the platform's
 * PostgreSQL, which Trino, Spark and pyiceberg read and write directly, each client with a login
 * that may change entries and nothing else. `polaris` runs Apache Polaris (Iceberg REST) on its own
 * database, with the catalog on the lake bucket and one principal per client. `lakekeeper` runs
 * Lakekeeper (Iceberg REST) with a warehouse on the lake bucket; it authenticates nobody, so clients
 * share its address and bring their own S3 keys. `unity-catalog` runs Unity Catalog OSS (Delta,
 * names and locations only: it cannot reach an S3-compatible store), for UC clients, not Iceberg ones.
 */
export class Catalog extends pulumi.ComponentResource {
    public readonly engine: CatalogEngine;
    public readonly name: string;
    public readonly location: string;
    /** The catalog server's API, where there is a server. */
    public readonly endpoint: Endpoint | undefined;
    /** Unity Catalog's URLs (engine `unity-catalog` only). */
    public readonly unity: UnityCatalogAccess | undefined;

    private readonly logins = new Map<string, IcebergCatalogAccess>();
    private readonly baseName: string;

    constructor(name: string, args: CatalogArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:catalog:Catalog", name, {}, opts);
        this.baseName = name;
        this.engine = args.engine ?? CATALOG_DEFAULTS.engine;
        this.name = args.name ?? CATALOG_DEFAULTS.name;
        this.location = args.location;
        this.unity = undefined;
        if (this.engine === "polaris") {
            this.endpoint = this.polaris(name, args);
        } else if (this.engine === "lakekeeper") {
            this.endpoint = this.lakekeeper(name, args);
        } else if (this.engine === "unity-catalog") {
            this.unity = this.unityCatalog(name, args);
            this.endpoint = this.unity.endpoint;
        } else {
            this.endpoint = undefined;
            this.jdbc(name, args);
        }
        this.registerOutputs({ name: this.name, location: this.location });
    }

    private jdbc(name: string, args: CatalogArgs): void {
        const db = CATALOG_DEFAULTS.databases.jdbc;
        const owner = args.database.database(db);
        const users = args.clients.map((client) => {
            const jdbc = args.database.login(catalogRoleName(db, client), owner.database);
            this.logins.set(client, { kind: "jdbc", name: this.name, location: this.location, jdbc });
            return jdbc.user;
        });
        const admin = args.database.endpoint;
        new JdbcCatalogTables(
            `${name}-tables`,
            {
                host: admin.external.host,
                port: admin.external.port,
                database: owner.database,
                owner: owner.user,
                password: owner.password,
                clients: users,
            },
            { parent: this },
        );
    }

    private polaris(name: string, args: CatalogArgs): Endpoint {
        if (args.s3 === undefined) throw new Error(`Catalog ${name}: the polaris engine needs its own object-store key (s3)`);
        const secret = (role: string) =>
            new random.RandomPassword(`${name}-${role}`, { length: 40, special: false }, { parent: this }).result;
        const rootClientSecret = pulumi.secret(secret("root-secret"));
        const service = args.runtime.deploy(
            polarisSpec({
                name,
                image: args.image ?? CATALOG_DEFAULTS.images.polaris,
                resources: args.resources ?? CATALOG_DEFAULTS.resources,
                database: args.database.database(CATALOG_DEFAULTS.databases.polaris),
                rootClientSecret,
                tokenKey: pulumi.secret(secret("token-key")),
                s3: args.s3,
            }),
            this,
        );
        const api = service.endpoint("api");
        const connection = {
            address: api.apply((e) => formatAddress(e, "external")),
            realm: POLARIS_REALM,
            rootClientId: POLARIS_ROOT_CLIENT_ID,
            rootClientSecret,
        };
        const s3 = args.s3;
        const catalog = new PolarisCatalog(
            `${name}-catalog`,
            {
                ...connection,
                name: this.name,
                location: this.location,
                endpoint: s3.endpoint.apply((e) => formatAddress(e, "external")),
                endpointInternal: s3.internalUrl,
                region: s3.region,
            },
            { parent: this, dependsOn: service.ready },
        );
        // In-network through the static address (a replaced Polaris does not replace its clients).
        const internal = service.internal("api");
        const internalUri = pulumi.output(`http://${internal.host}:${internal.port}/api/catalog`);
        const externalUri = api.apply((e) => `${formatAddress(e, "external")}/api/catalog`);
        for (const client of args.clients) {
            const clientSecret = pulumi.secret(secret(`${client}-secret`));
            const principal = new PolarisPrincipal(
                `${name}-${client}`,
                { ...connection, catalog: catalog.id, name: client, clientSecret, privilege: POLARIS_CLIENT_PRIVILEGE },
                { parent: this },
            );
            this.logins.set(client, {
                kind: "rest",
                name: this.name,
                location: this.location,
                uri: internalUri,
                externalUri,
                credential: pulumi.secret(pulumi.interpolate`${principal.clientId}:${clientSecret}`),
                scope: "PRINCIPAL_ROLE:ALL",
            });
        }
        return api;
    }

    private lakekeeper(name: string, args: CatalogArgs): Endpoint {
        if (args.s3 === undefined) throw new Error(`Catalog ${name}: the lakekeeper engine needs its own object-store key (s3)`);
        const s3 = args.s3;
        const encryptionKey = new random.RandomPassword(`${name}-encryption-key`, { length: 48, special: false }, { parent: this });
        const service = args.runtime.deploy(
            lakekeeperSpec({
                name,
                image: args.image ?? CATALOG_DEFAULTS.images.lakekeeper,
                resources: args.resources ?? CATALOG_DEFAULTS.lakekeeperResources,
                database: args.database.database(CATALOG_DEFAULTS.databases.lakekeeper),
                encryptionKey: pulumi.secret(encryptionKey.result),
                region: s3.region,
            }),
            this,
        );
        const api = service.endpoint("api");
        new LakekeeperWarehouse(
            `${name}-warehouse`,
            {
                address: api.apply((e) => formatAddress(e, "external")),
                projectId: LAKEKEEPER_PROJECT_ID,
                name: this.name,
                bucket: s3.location.bucket,
                keyPrefix: s3.location.prefix,
                endpoint: s3.internalUrl,
                region: s3.region,
                accessKeyId: s3.credentials.accessKeyId,
                secretAccessKey: s3.credentials.secretAccessKey,
            },
            { parent: this, dependsOn: service.ready },
        );
        const internal = service.internal("api");
        const uri = pulumi.output(`http://${internal.host}:${internal.port}/catalog`);
        const externalUri = api.apply((e) => `${formatAddress(e, "external")}/catalog`);
        for (const client of args.clients) {
            this.logins.set(client, { kind: "rest", name: this.name, location: this.location, uri, externalUri });
        }
        return api;
    }

    private unityCatalog(name: string, args: CatalogArgs): UnityCatalogAccess {
        void pulumi.log.warn(
            "Unity Catalog OSS has no S3 endpoint setting (unitycatalog/unitycatalog#43, #844, #1072): it cannot reach the platform's " +
                "object store or vend credentials for it. lakeforge runs it for names, schemas and table locations only; clients read " +
                "and write the data with their own S3 keys (README: Unity Catalog).",
            this,
        );
        const service = args.runtime.deploy(
            unityCatalogSpec({
                name,
                image: args.image ?? CATALOG_DEFAULTS.images["unity-catalog"],
                resources: args.resources ?? CATALOG_DEFAULTS.resources,
                database: args.database.database(CATALOG_DEFAULTS.databases["unity-catalog"]),
            }),
            this,
        );
        const api = service.endpoint("api");
        const serverUrl = api.apply((e) => formatAddress(e, "external"));
        new UnityCatalogCatalog(
            `${name}-catalog`,
            {
                apiUrl: pulumi.interpolate`${serverUrl}${UNITY_CATALOG_API_PATH}`,
                name: this.name,
                schema: CATALOG_DEFAULTS.unitySchema,
                location: this.location,
            },
            { parent: this, dependsOn: service.ready },
        );
        const internal = service.internal("api");
        return {
            endpoint: api,
            name: this.name,
            schema: CATALOG_DEFAULTS.unitySchema,
            location: this.location,
            serverUrl,
            internalServerUrl: `http://${internal.host}:${internal.port}`,
        };
    }

    /** The variables a downstream client sets, as client `name` (declared in `clients`). */
    public clientEnv(client: string): Record<string, pulumi.Input<string>> {
        return this.unity === undefined ? catalogEnv(this.access(client)) : unityCatalogEnv(this.unity);
    }

    /** The catalog as client `name` (declared in `clients`) reaches it. */
    public access(client: string): IcebergCatalogAccess {
        if (this.unity !== undefined) {
            throw new Error(
                `Catalog ${this.baseName}: Unity Catalog serves no Iceberg client here (its Iceberg REST is read-only); use clientEnv`,
            );
        }
        const login = this.logins.get(client);
        if (login === undefined) {
            throw new Error(`Catalog ${this.baseName}: client "${client}" is not one of ${[...this.logins.keys()].join(", ")}`);
        }
        return login;
    }
}
