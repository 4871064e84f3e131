import type { Database } from "../../components/database";
import { ModelRegistry } from "../../components/modelRegistry";
import { MODEL_REGISTRY_DEFAULTS } from "../../components/modelRegistry/defaults";
import type { ObjectStore } from "../../components/objectStore";
import type { ComponentsConfig } from "../../src/components-schema";
import { endpointUrls, formatAddress } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Contribution } from "./contribution";

/** MLflow on its own database and its own key under the lake bucket's `mlflow/` prefix. */
export function composeModelRegistry(runtime: Runtime, c: ComponentsConfig, db: Database, store: ObjectStore): Contribution {
    const m = c.modelRegistry;
    const s3 = store.consumer(MODEL_REGISTRY_DEFAULTS.consumer, {
        bucket: c.objectStore.lakeBucket,
        prefix: MODEL_REGISTRY_DEFAULTS.prefix,
    });
    const registry = new ModelRegistry(m.engine, { runtime, engine: m.engine, image: m.image, resources: m.resources, database: db, s3 });
    const env = { MLFLOW_TRACKING_URI: registry.endpoint.apply((e) => formatAddress(e, "external")) };
    return { endpoints: { modelRegistry: endpointUrls(registry.endpoint) }, env, credentials: [] };
}
