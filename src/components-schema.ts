import { z } from "zod";
import { CATALOG_DEFAULTS, ownsLakeKey } from "../components/catalog/defaults";
import { DATABASE_DEFAULTS } from "../components/database/defaults";
import { OBJECT_STORE_DEFAULTS } from "../components/objectStore/defaults";
import { orchestratorSchema } from "../components/orchestrator/config";
import { ORCHESTRATOR_DEFAULTS } from "../components/orchestrator/defaults";
import { loggingSchema } from "../components/logging/config";
import { METASTORE_DEFAULTS } from "../components/metastore/defaults";
import { MODEL_REGISTRY_DEFAULTS } from "../components/modelRegistry/defaults";
import { LOGGING_DEFAULTS } from "../components/logging/defaults";
import { QUERY_ENGINE_DEFAULTS } from "../components/queryEngine/defaults";
import { REGISTRY_CONSUMER, REGISTRY_DEFAULTS } from "../components/registry/defaults";
import { SECRETS_DEFAULTS } from "../components/secrets/defaults";
import { bucketName, checkNames, entry, imageRef, resourcesSchema, strict } from "./schema";

const databaseName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, {
    error: "expected a PostgreSQL identifier (lowercase letters, digits, '_', at most 63 characters)",
});
const prefix = z.string().regex(/^([a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*)?$/, {
    error: 'expected a key prefix like "bronze" or "lake/bronze" (no leading or trailing \'/\')',
});
// At least 3 characters: the consumer name is its S3 access key, and S3 servers refuse shorter ones.
const consumerName = z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/, {
    error: "expected a consumer name (3-63 lowercase letters, digits, '-')",
});

/**
 * Names the platform uses itself: a database or consumer with one of them would collide with the
 * platform's own role, database or stored credential (`<capability>/admin` in the Secrets store).
 */
export const RESERVED_NAMES = {
    databases: [
        "admin",
        "postgres",
        "template0",
        "template1",
        CATALOG_DEFAULTS.databases.jdbc,
        CATALOG_DEFAULTS.databases.polaris,
        CATALOG_DEFAULTS.databases.lakekeeper,
        CATALOG_DEFAULTS.databases["unity-catalog"],
        MODEL_REGISTRY_DEFAULTS.database,
        ORCHESTRATOR_DEFAULTS.databases.dagster,
        ORCHESTRATOR_DEFAULTS.databases.airflow,
        METASTORE_DEFAULTS.database,
    ],
    consumers: ["admin"],
} as const;

const database = strict({
    ...entry(["postgres"], true),
    databases: z.array(databaseName).default([...DATABASE_DEFAULTS.databases]),
}).superRefine((db, ctx) => checkNames(ctx, db.databases, (i) => ["databases", i], "database", RESERVED_NAMES.databases));

const bucket = strict({ name: bucketName, prefixes: z.array(prefix).default([]) });
const consumer = strict({ name: consumerName, bucket: bucketName, prefix: prefix.default("") });

const objectStore = strict({
    ...entry(["seaweedfs", "minio", "garage"], true),
    region: z.string().min(1).default(OBJECT_STORE_DEFAULTS.region),
    buckets: z
        .array(bucket)
        .min(1)
        .default(OBJECT_STORE_DEFAULTS.buckets.map((b) => ({ ...b, prefixes: [...b.prefixes] }))),
    lakeBucket: bucketName.default(OBJECT_STORE_DEFAULTS.lakeBucket),
    consumers: z.array(consumer).default(OBJECT_STORE_DEFAULTS.consumers.map((c) => ({ ...c }))),
}).superRefine((store, ctx) => {
    // A bucket with an invalid name is already reported; cross-checks against it would only add noise.
    if (store.buckets.some((b) => !bucketName.safeParse(b.name).success)) return;
    checkNames(
        ctx,
        store.buckets.map((b) => b.name),
        (i) => ["buckets", i, "name"],
        "bucket",
    );
    checkNames(
        ctx,
        store.consumers.map((c) => c.name),
        (i) => ["consumers", i, "name"],
        "consumer",
        RESERVED_NAMES.consumers,
    );
    const names = new Set(store.buckets.map((b) => b.name));
    const known = `one of the configured buckets (${[...names].join(", ")})`;
    if (!names.has(store.lakeBucket)) {
        ctx.addIssue({ code: "custom", path: ["lakeBucket"], input: store.lakeBucket, message: `expected ${known}` });
    }
    store.consumers.forEach((c, i) => {
        if (store.engine === "garage" && c.prefix !== "") {
            ctx.addIssue({
                code: "custom",
                path: ["consumers", i, "prefix"],
                input: c.prefix,
                message: `expected "" (the garage engine grants a key a whole bucket, never a prefix; use a bucket per consumer)`,
            });
        }
        if (!names.has(c.bucket)) {
            ctx.addIssue({ code: "custom", path: ["consumers", i, "bucket"], input: c.bucket, message: `expected ${known}` });
        }
    });
});

const secrets = strict({
    ...entry(["vault", "openbao"], true),
    kvMount: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'expected a mount path like "lakeforge"' })
        .default(SECRETS_DEFAULTS.kvMount),
    keyShares: z.number().int().min(1).max(10).default(SECRETS_DEFAULTS.keyShares),
    keyThreshold: z.number().int().min(1).max(10).default(SECRETS_DEFAULTS.keyThreshold),
    appRole: consumerName.default(SECRETS_DEFAULTS.appRole),
    autoUnseal: z.boolean().default(SECRETS_DEFAULTS.autoUnseal),
}).superRefine((s, ctx) => {
    if (s.keyThreshold > s.keyShares) {
        ctx.addIssue({
            code: "custom",
            path: ["keyThreshold"],
            input: s.keyThreshold,
            message: `expected a number <= keyShares (${s.keyShares})`,
        });
    }
});

const registry = strict({
    ...entry(["distribution"], true),
    username: consumerName.default(REGISTRY_DEFAULTS.username),
    storage: z.enum(["volume", "objectStore"]).default(REGISTRY_DEFAULTS.storage),
    bucket: bucketName.default(REGISTRY_DEFAULTS.bucket),
});

/** `lakeforge:components`: one entry per capability. */
export const componentsSchema = strict({
    database: database.prefault({}),
    objectStore: objectStore.prefault({}),
    secrets: secrets.prefault({}),
    registry: registry.prefault({}),
    catalog: strict({
        ...entry(["jdbc", "polaris", "lakekeeper", "unity-catalog"], false),
        name: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "expected a catalog name (lowercase letters, digits, '_', starting with a letter)" })
            .default(CATALOG_DEFAULTS.name),
    }).prefault({}),
    metastore: strict(entry(["hive"], false)).prefault({}),
    queryEngine: strict({
        enabled: z.boolean().default(false),
        engines: z
            .array(z.enum(["trino", "spark"]))
            .min(1)
            .refine((e) => new Set(e).size === e.length, { error: "expected each engine at most once" })
            .default([...QUERY_ENGINE_DEFAULTS.engines]),
        images: strict({ trino: imageRef.optional(), spark: imageRef.optional() }).prefault({}),
        resources: strict({ trino: resourcesSchema.optional(), spark: resourcesSchema.optional() }).prefault({}),
        workers: z.number().int().min(0).max(100).default(QUERY_ENGINE_DEFAULTS.workers),
        sparkWorkers: z.number().int().min(0).max(100).default(QUERY_ENGINE_DEFAULTS.sparkWorkers),
    }).prefault({}),
    orchestrator: orchestratorSchema.prefault({}),
    logging: loggingSchema.prefault({}),
    modelRegistry: strict(entry(["mlflow"], false)).prefault({}),
}).superRefine((c, ctx) => {
    // Capabilities' own object-store keys are consumers too; a user consumer may not take their names.
    if (c.objectStore.enabled) {
        const own = platformConsumers(c);
        c.objectStore.consumers.forEach((consumer, i) => {
            const taken = own.find((o) => o.name === consumer.name);
            if (taken !== undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["objectStore", "consumers", i, "name"],
                    input: consumer.name,
                    message: `expected a consumer name other than "${consumer.name}" while ${taken.owner} is enabled (its own key)`,
                });
            }
        });
    }
    requires(ctx, c, "catalog", ["database", "objectStore"], "keeps its entries in the database and its tables in the lake bucket");
    requires(ctx, c, "queryEngine", ["catalog", "objectStore"], "reads and writes the catalog's tables");
    if (c.queryEngine.enabled && c.catalog.enabled && c.catalog.engine === "unity-catalog") {
        // UC's Iceberg REST is read-only and it cannot reach an S3-compatible store (README: Unity Catalog).
        ctx.addIssue({
            code: "custom",
            path: ["catalog", "engine"],
            input: "unity-catalog",
            message:
                'expected "polaris", "lakekeeper" or "jdbc" while queryEngine is enabled (Trino and Spark write Iceberg tables through the catalog; Unity Catalog OSS serves Iceberg read-only and cannot reach an S3-compatible store: unitycatalog/unitycatalog#43, #844, #1072)',
        });
    }
    requires(ctx, c, "metastore", ["database", "objectStore"], "keeps its schema in the database and its tables in the lake bucket");
    requires(ctx, c, "orchestrator", ["database"], "keeps runs and their history in the database");
    if (c.orchestrator.enabled && c.orchestrator.example && !(c.queryEngine.enabled && c.queryEngine.engines.includes("trino"))) {
        ctx.addIssue({
            code: "custom",
            path: ["orchestrator", "example"],
            input: true,
            message: 'expected false while queryEngine does not run "trino" (the example pipeline writes its table through Trino)',
        });
    }
    requires(ctx, c, "modelRegistry", ["database", "objectStore"], "keeps runs in the database and artifacts in the lake bucket");
    if (c.logging.enabled && c.logging.storage === "objectStore") {
        if (!c.objectStore.enabled) {
            ctx.addIssue({
                code: "custom",
                path: ["logging", "storage"],
                input: "objectStore",
                message: 'expected "volume" while objectStore.enabled is false (Loki keeps its chunks in the object store otherwise)',
            });
        } else if (c.logging.bucket === c.objectStore.lakeBucket) {
            // Loki's key covers its whole bucket: the lake's would give it every table.
            ctx.addIssue({
                code: "custom",
                path: ["logging", "bucket"],
                input: c.logging.bucket,
                message: `expected a bucket of its own, not the lake bucket (Loki's key is granted the whole bucket)`,
            });
        }
    }
    if (c.registry.enabled && c.registry.storage === "objectStore" && !c.objectStore.enabled) {
        ctx.addIssue({
            code: "custom",
            path: ["registry", "storage"],
            input: "objectStore",
            message: 'expected "volume" while objectStore.enabled is false',
        });
    }
});

/** Validated `lakeforge:components`, with defaults applied. */
export type ComponentsConfig = z.infer<typeof componentsSchema>;

type Capability = "database" | "objectStore" | "catalog" | "queryEngine" | "modelRegistry" | "orchestrator" | "metastore";

/** Reports `capability.enabled` when one of `needs` is disabled, naming the key and why. */
function requires(
    ctx: z.core.$RefinementCtx,
    c: { [K in Capability]: { enabled: boolean } },
    capability: Capability,
    needs: Capability[],
    why: string,
): void {
    if (!c[capability].enabled) return;
    for (const need of needs) {
        if (c[need].enabled) continue;
        ctx.addIssue({
            code: "custom",
            path: [capability, "enabled"],
            input: true,
            message: `expected false while ${need}.enabled is false (${capability} ${why})`,
        });
    }
}

/** An object-store key a capability holds for itself. */
export interface PlatformConsumer {
    readonly name: string;
    readonly bucket: string;
    readonly prefix: string;
    /** The config key of the capability that owns it, for error messages. */
    readonly owner: string;
}

/** The object-store keys the enabled capabilities hold for themselves, declared before the store starts. */
export function platformConsumers(
    c: Pick<ComponentsConfig, "registry" | "objectStore" | "catalog" | "queryEngine" | "modelRegistry" | "logging" | "metastore">,
): PlatformConsumer[] {
    const own: PlatformConsumer[] = [];
    if (c.registry.enabled && c.registry.storage === "objectStore") {
        own.push({ name: REGISTRY_CONSUMER, bucket: c.registry.bucket, prefix: "", owner: 'registry (storage "objectStore")' });
    }
    if (c.catalog.enabled && ownsLakeKey(c.catalog.engine)) {
        const engine = c.catalog.engine;
        own.push({ name: engine, bucket: c.objectStore.lakeBucket, prefix: "", owner: `catalog (engine "${engine}")` });
    }
    if (c.queryEngine.enabled) {
        for (const engine of c.queryEngine.engines)
            own.push({ name: engine, bucket: c.objectStore.lakeBucket, prefix: "", owner: "queryEngine" });
    }
    if (c.metastore.enabled) {
        own.push({ name: METASTORE_DEFAULTS.consumer, bucket: c.objectStore.lakeBucket, prefix: "", owner: "metastore" });
    }
    if (c.modelRegistry.enabled) {
        own.push({
            name: MODEL_REGISTRY_DEFAULTS.consumer,
            bucket: c.objectStore.lakeBucket,
            prefix: MODEL_REGISTRY_DEFAULTS.prefix,
            owner: "modelRegistry",
        });
    }
    if (c.logging.enabled && c.logging.storage === "objectStore") {
        own.push({ name: LOGGING_DEFAULTS.consumer, bucket: c.logging.bucket, prefix: "", owner: 'logging (storage "objectStore")' });
    }
    return own;
}
