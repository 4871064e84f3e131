import type { Database } from "../../components/database";
import { Metastore } from "../../components/metastore";
import { METASTORE_DEFAULTS } from "../../components/metastore/defaults";
import type { ObjectStore } from "../../components/objectStore";
import type { ComponentsConfig } from "../../src/components-schema";
import { endpointUrls } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Contribution } from "./contribution";

/** Hive's metastore on its own database and its own key to the lake bucket; engines get its URI. */
export function composeMetastore(
    runtime: Runtime,
    c: ComponentsConfig,
    db: Database,
    store: ObjectStore,
): { metastore: Metastore } & Contribution {
    const m = c.metastore;
    const s3 = store.consumer(METASTORE_DEFAULTS.consumer, { bucket: c.objectStore.lakeBucket });
    const metastore = new Metastore("metastore", { runtime, engine: m.engine, image: m.image, resources: m.resources, database: db, s3 });
    const uri = metastore.endpoint.apply((e) => `thrift://${e.external.host}:${e.external.port}`);
    return { metastore, endpoints: { metastore: endpointUrls(metastore.endpoint) }, env: { HIVE_METASTORE_URI: uri }, credentials: [] };
}
