import type { Catalog } from "../../components/catalog";
import type { ObjectStore } from "../../components/objectStore";
import { QueryEngine } from "../../components/queryEngine";
import { QUERY_ENGINE_DEFAULTS, type QueryEngineKind } from "../../components/queryEngine/defaults";
import type { ComponentsConfig } from "../../src/components-schema";
import { endpointUrls, formatAddress } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Contribution } from "./contribution";

/** Each query engine, on the catalog with its own login and its own key to the lake bucket. */
export function composeQueryEngine(
    runtime: Runtime,
    c: ComponentsConfig,
    catalog: Catalog,
    store: ObjectStore,
    engine: QueryEngineKind,
    metastoreUri: string | undefined,
): { engine: QueryEngine } & Contribution {
    const q = c.queryEngine;
    const qe = new QueryEngine(engine, {
        runtime,
        engine,
        image: q.images[engine],
        resources: q.resources[engine],
        workers: q.workers,
        sparkWorkers: q.sparkWorkers,
        catalog: catalog.access(engine),
        s3: store.consumer(engine, { bucket: c.objectStore.lakeBucket }),
        metastoreUri,
    });
    if (engine === "spark") {
        const remote = qe.endpoint.apply((e) => `sc://${e.external.host}:${e.external.port}`);
        return { engine: qe, endpoints: { sparkConnect: endpointUrls(qe.endpoint) }, env: { SPARK_REMOTE: remote }, credentials: [] };
    }
    const url = qe.endpoint.apply((e) => formatAddress(e, "external"));
    const env = { TRINO_URL: url, TRINO_USER: QUERY_ENGINE_DEFAULTS.user, TRINO_CATALOG: qe.catalogName };
    return { engine: qe, endpoints: { queryEngine: endpointUrls(qe.endpoint) }, env, credentials: [] };
}
