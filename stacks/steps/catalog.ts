import { Catalog, ownsLakeKey } from "../../components/catalog";
import type { Database } from "../../components/database";
import type { ObjectStore } from "../../components/objectStore";
import type { ComponentsConfig } from "../../src/components-schema";
import { endpointUrls } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Contribution } from "./contribution";

/** The catalog client whose login goes into clientEnv. */
const CATALOG_CLIENT = "client";

/** The Iceberg catalog, with a login for each query engine and one for clients. */
export function composeCatalog(
    runtime: Runtime,
    c: ComponentsConfig,
    db: Database,
    store: ObjectStore,
): { catalog: Catalog } & Contribution {
    const k = c.catalog;
    const clients = [...(c.queryEngine.enabled ? c.queryEngine.engines : []), CATALOG_CLIENT];
    // Named after the engine where a server runs (its DNS name says what answers there).
    const catalog = new Catalog(k.engine === "jdbc" ? "catalog" : k.engine, {
        engine: k.engine,
        runtime,
        image: k.image,
        resources: k.resources,
        database: db,
        name: k.name,
        location: store.lakeRoot.s3Uri,
        // Servers that write table metadata themselves get their own key to the lake bucket.
        s3: ownsLakeKey(k.engine) ? store.consumer(k.engine, { bucket: c.objectStore.lakeBucket }) : undefined,
        clients,
    });
    const env = catalog.clientEnv(CATALOG_CLIENT);
    const endpoints = catalog.endpoint === undefined ? {} : { catalog: endpointUrls(catalog.endpoint) };
    return { catalog, endpoints, env, credentials: [[`catalog/${CATALOG_CLIENT}`, env]] };
}
