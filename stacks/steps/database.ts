import type * as pulumi from "@pulumi/pulumi";
import { Database } from "../../components/database";
import type { ComponentsConfig } from "../../src/components-schema";
import { endpointUrls } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { DatabaseConnection } from "../../src/types";
import type { Contribution, EnvMap, PlatformOptions } from "./contribution";

/** libpq variables for one login, through the external endpoint. */
export function databaseEnv(conn: DatabaseConnection, externalHost: pulumi.Output<string>, externalPort: pulumi.Output<number>): EnvMap {
    return {
        DATABASE_URL: conn.externalUrl,
        PGHOST: externalHost,
        PGPORT: externalPort.apply(String),
        PGDATABASE: conn.database,
        PGUSER: conn.user,
        PGPASSWORD: conn.password,
    };
}

export function composeDatabase(runtime: Runtime, c: ComponentsConfig["database"], o: PlatformOptions): { db: Database } & Contribution {
    const db = new Database("postgres", { runtime, engine: c.engine, image: c.image, resources: c.resources, protectData: o.protectData });
    const host = db.endpoint.external.host;
    const port = db.endpoint.external.port;
    const consumers = c.databases.map((name) => [`database/${name}`, databaseEnv(db.database(name), host, port)] as const);
    return {
        db,
        endpoints: { database: endpointUrls(db.endpoint) },
        env: consumers[0]?.[1] ?? {},
        credentials: [["database/admin", databaseEnv(db.admin, host, port)], ...consumers],
    };
}
