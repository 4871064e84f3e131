import type { ComponentsConfig } from "../src/components-schema";
import { mergeEnv, type PlatformEndpoints, type PlatformOutputs } from "../src/outputs";
import type { Runtime } from "../src/runtime/spec";
import { composeCatalog } from "./steps/catalog";
import type { Contribution, PlatformOptions } from "./steps/contribution";
import { composeDatabase } from "./steps/database";
import { composeLogging } from "./steps/logging";
import { composeMetastore } from "./steps/metastore";
import { composeModelRegistry } from "./steps/modelRegistry";
import { composeObjectStore } from "./steps/objectStore";
import { composeOrchestrator } from "./steps/orchestrator";
import { composeQueryEngine } from "./steps/queryEngine";
import { composeRegistry } from "./steps/registry";
import { composeSecrets } from "./steps/secrets";

export type { PlatformOptions } from "./steps/contribution";

/**
 * Composes the enabled capabilities on one runtime, in dependency order, and returns the outputs
 * every target exports. Target stacks differ only in the runtime they pass in. Configuration
 * validation guarantees what each step needs is enabled (e.g. the catalog's database).
 */
export function composePlatform(
    target: string,
    runtime: Runtime,
    c: ComponentsConfig,
    options: PlatformOptions = { protectData: false },
): PlatformOutputs {
    const parts: Contribution[] = [];
    const database = c.database.enabled ? composeDatabase(runtime, c.database, options) : undefined;
    const objectStore = c.objectStore.enabled ? composeObjectStore(runtime, c, options) : undefined;
    const catalog = c.catalog.enabled && database && objectStore ? composeCatalog(runtime, c, database.db, objectStore.store) : undefined;
    parts.push(...[database, objectStore].filter((p) => p !== undefined));
    if (c.registry.enabled) parts.push(composeRegistry(runtime, c.registry, objectStore?.store));
    if (catalog) parts.push(catalog);
    const metastore =
        c.metastore.enabled && database && objectStore ? composeMetastore(runtime, c, database.db, objectStore.store) : undefined;
    if (metastore) parts.push(metastore);
    const metastoreUri = metastore?.metastore.uri;
    const queryEngines =
        c.queryEngine.enabled && catalog && objectStore
            ? c.queryEngine.engines.map((engine) =>
                  composeQueryEngine(runtime, c, catalog.catalog, objectStore.store, engine, metastoreUri),
              )
            : [];
    parts.push(...queryEngines);
    if (c.orchestrator.enabled && database) {
        const trino = queryEngines.find((q) => q.engine.engine === "trino")?.engine;
        parts.push(composeOrchestrator(runtime, c, database.db, trino));
    }

    if (c.modelRegistry.enabled && database && objectStore) parts.push(composeModelRegistry(runtime, c, database.db, objectStore.store));
    if (c.logging.enabled) parts.push(composeLogging(runtime, c.logging, objectStore?.store));

    const endpoints: PlatformEndpoints = Object.assign({}, ...parts.map((p) => p.endpoints));
    if (!c.secrets.enabled) return { target, endpoints, clientEnv: mergeEnv(parts.map((p) => p.env)) };
    const secrets = composeSecrets(runtime, c.secrets, options, parts);
    return { target, endpoints: { ...endpoints, ...secrets.endpoints }, clientEnv: secrets.clientEnv, ciAppRole: secrets.ciAppRole };
}
