import * as pulumi from "@pulumi/pulumi";
import { Catalog, catalogEnv } from "../components/catalog";
import { Database } from "../components/database";
import { ModelRegistry } from "../components/modelRegistry";
import { MODEL_REGISTRY_DEFAULTS } from "../components/modelRegistry/defaults";
import { ObjectStore, type BucketSpec } from "../components/objectStore";
import { QueryEngine } from "../components/queryEngine";
import { QUERY_ENGINE_DEFAULTS, type QueryEngineKind } from "../components/queryEngine/defaults";
import { Registry, type RegistryStorage } from "../components/registry";
import { REGISTRY_CONSUMER } from "../components/registry/defaults";
import { Secrets } from "../components/secrets";
import { platformConsumers, type ComponentsConfig } from "../src/components-schema";
import { endpointUrls, formatAddress, mergeEnv, type PlatformEndpoints, type PlatformOutputs } from "../src/outputs";
import type { Runtime } from "../src/runtime/spec";
import type { DatabaseConnection, S3Access } from "../src/types";

/** Variables a client sets for one consumer; secret values stay Outputs. */
type EnvMap = Record<string, pulumi.Input<string>>;

/**
 * What one capability adds to the platform: each compose step returns one, and composePlatform
 * folds them into the outputs, so adding a capability is one step and one line below.
 */
interface Contribution {
    readonly endpoints: PlatformEndpoints;
    /** Variables for the stack's clientEnv (the first consumer's, where there are several). */
    readonly env: EnvMap;
    /** Credentials to write to the Secrets capability, by path under its KV mount. */
    readonly credentials: readonly (readonly [path: string, data: EnvMap])[];
}

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

/** S3 client variables for one consumer key (AWS SDKs, DuckDB, Spark read these). */
export function s3Env(access: S3Access, lakeRoot: { s3Uri: string; s3aUri: string }): EnvMap {
    const url = access.endpoint.apply((e) => formatAddress(e, "external"));
    return {
        S3_ENDPOINT: url,
        AWS_ENDPOINT_URL: url,
        AWS_ACCESS_KEY_ID: access.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: access.credentials.secretAccessKey,
        AWS_REGION: access.region,
        S3_PATH_STYLE: String(access.pathStyle),
        // Where this key may write: `s3://bucket[/prefix]`.
        S3_LOCATION: access.location.s3Uri,
        LAKE_ROOT_S3: lakeRoot.s3Uri,
        LAKE_ROOT_S3A: lakeRoot.s3aUri,
        // AWS SDKs since early 2025 send checksums that S3-compatible stores may refuse.
        AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
        AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
    };
}

/** Target-level choices that apply to every capability. */
export interface PlatformOptions {
    /** Protect data-holding resources (databases, buckets, the KV mount, Vault's init) from deletion. */
    readonly protectData: boolean;
}

/** The catalog client whose login goes into clientEnv. */
const CATALOG_CLIENT = "client";

function composeDatabase(runtime: Runtime, c: ComponentsConfig["database"], o: PlatformOptions): { db: Database } & Contribution {
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

function composeObjectStore(runtime: Runtime, c: ComponentsConfig, o: PlatformOptions): { store: ObjectStore } & Contribution {
    const own = platformConsumers(c);
    const buckets: BucketSpec[] = [...c.objectStore.buckets];
    for (const k of own) if (!buckets.some((b) => b.name === k.bucket)) buckets.push({ name: k.bucket, prefixes: [] });
    const s = c.objectStore;
    // Named after the engine: its service and DNS name say what runs there (a new engine is a new server anyway).
    const store = new ObjectStore(s.engine, {
        runtime,
        engine: s.engine,
        image: s.image,
        resources: s.resources,
        region: s.region,
        buckets,
        lakeBucket: s.lakeBucket,
        consumers: [...s.consumers, ...own],
        protectData: o.protectData,
    });
    const consumers = s.consumers.map((k) => [`objectStore/${k.name}`, s3Env(store.consumer(k.name, k), store.lakeRoot)] as const);
    const root = store.rootCredentials;
    return {
        store,
        endpoints: {
            objectStore: endpointUrls(store.endpoint),
            ...(store.consoleEndpoint === undefined ? {} : { objectStoreConsole: endpointUrls(store.consoleEndpoint) }),
        },
        env: consumers[0]?.[1] ?? {},
        credentials: [
            ["objectStore/admin", { AWS_ACCESS_KEY_ID: root.accessKeyId, AWS_SECRET_ACCESS_KEY: root.secretAccessKey }],
            ...consumers,
        ],
    };
}

function composeRegistry(runtime: Runtime, c: ComponentsConfig["registry"], store: ObjectStore | undefined): Contribution {
    const storage: RegistryStorage =
        c.storage === "objectStore" && store !== undefined
            ? { kind: "s3", access: store.consumer(REGISTRY_CONSUMER, { bucket: c.bucket }) }
            : { kind: "volume" };
    const registry = new Registry("registry", {
        runtime,
        engine: c.engine,
        image: c.image,
        resources: c.resources,
        username: c.username,
        storage,
    });
    const env = { REGISTRY: registry.host, REGISTRY_USERNAME: registry.username, REGISTRY_PASSWORD: registry.password };
    return { endpoints: { registry: endpointUrls(registry.endpoint) }, env, credentials: [[`registry/${c.username}`, env]] };
}

/** The Iceberg catalog, with a login for each query engine and one for clients. */
function composeCatalog(runtime: Runtime, c: ComponentsConfig, db: Database, store: ObjectStore): { catalog: Catalog } & Contribution {
    const k = c.catalog;
    const clients = [...(c.queryEngine.enabled ? c.queryEngine.engines : []), CATALOG_CLIENT];
    // Named after the engine where a server runs (its DNS name says what answers there).
    const catalog = new Catalog(k.engine === "polaris" ? "polaris" : "catalog", {
        engine: k.engine,
        runtime,
        image: k.image,
        resources: k.resources,
        database: db,
        name: k.name,
        location: store.lakeRoot.s3Uri,
        s3: k.engine === "polaris" ? store.consumer("polaris", { bucket: c.objectStore.lakeBucket }) : undefined,
        clients,
    });
    const env = catalogEnv(catalog.access(CATALOG_CLIENT));
    const endpoints = catalog.endpoint === undefined ? {} : { catalog: endpointUrls(catalog.endpoint) };
    return { catalog, endpoints, env, credentials: [[`catalog/${CATALOG_CLIENT}`, env]] };
}

/** Each query engine, on the catalog with its own login and its own key to the lake bucket. */
function composeQueryEngine(
    runtime: Runtime,
    c: ComponentsConfig,
    catalog: Catalog,
    store: ObjectStore,
    engine: QueryEngineKind,
): Contribution {
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
    });
    if (engine === "spark") {
        const remote = qe.endpoint.apply((e) => `sc://${e.external.host}:${e.external.port}`);
        return { endpoints: { sparkConnect: endpointUrls(qe.endpoint) }, env: { SPARK_REMOTE: remote }, credentials: [] };
    }
    const url = qe.endpoint.apply((e) => formatAddress(e, "external"));
    const env = { TRINO_URL: url, TRINO_USER: QUERY_ENGINE_DEFAULTS.user, TRINO_CATALOG: qe.catalogName };
    return { endpoints: { queryEngine: endpointUrls(qe.endpoint) }, env, credentials: [] };
}

/** MLflow on its own database and its own key under the lake bucket's `mlflow/` prefix. */
function composeModelRegistry(runtime: Runtime, c: ComponentsConfig, db: Database, store: ObjectStore): Contribution {
    const m = c.modelRegistry;
    const s3 = store.consumer(MODEL_REGISTRY_DEFAULTS.consumer, {
        bucket: c.objectStore.lakeBucket,
        prefix: MODEL_REGISTRY_DEFAULTS.prefix,
    });
    const registry = new ModelRegistry(m.engine, { runtime, engine: m.engine, image: m.image, resources: m.resources, database: db, s3 });
    const env = { MLFLOW_TRACKING_URI: registry.endpoint.apply((e) => formatAddress(e, "external")) };
    return { endpoints: { modelRegistry: endpointUrls(registry.endpoint) }, env, credentials: [] };
}

/** Vault with every credential stored, and the full client environment (VAULT_ADDR included) stored for CI. */
function composeSecrets(
    runtime: Runtime,
    c: ComponentsConfig["secrets"],
    o: PlatformOptions,
    parts: readonly Contribution[],
): { endpoints: PlatformEndpoints } & Pick<PlatformOutputs, "clientEnv" | "ciAppRole"> {
    const secrets = new Secrets(c.engine, {
        runtime,
        engine: c.engine,
        image: c.image,
        resources: c.resources,
        kvMount: c.kvMount,
        keyShares: c.keyShares,
        keyThreshold: c.keyThreshold,
        autoUnseal: c.autoUnseal,
        protectData: o.protectData,
    });
    const vaultAddr = secrets.endpoint.apply((e) => formatAddress(e, "external"));
    const clientEnv = mergeEnv([...parts.map((p) => p.env), { VAULT_ADDR: vaultAddr, VAULT_KV_MOUNT: c.kvMount }]);
    for (const [path, data] of parts.flatMap((p) => p.credentials)) secrets.store(path, data);
    // CI reads the client environment and nothing else.
    const login = secrets.appRole(c.appRole, [secrets.store("client-env", clientEnv)]);
    const ciAppRole = pulumi.secret(pulumi.all([login.roleId, login.secretId]).apply(([roleId, secretId]) => ({ roleId, secretId })));
    return { endpoints: { secrets: endpointUrls(secrets.endpoint) }, clientEnv, ciAppRole };
}

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
    if (c.queryEngine.enabled && catalog && objectStore) {
        for (const engine of c.queryEngine.engines) parts.push(composeQueryEngine(runtime, c, catalog.catalog, objectStore.store, engine));
    }

    if (c.modelRegistry.enabled && database && objectStore) parts.push(composeModelRegistry(runtime, c, database.db, objectStore.store));

    const endpoints: PlatformEndpoints = Object.assign({}, ...parts.map((p) => p.endpoints));
    if (!c.secrets.enabled) return { target, endpoints, clientEnv: mergeEnv(parts.map((p) => p.env)) };
    const secrets = composeSecrets(runtime, c.secrets, options, parts);
    return { target, endpoints: { ...endpoints, ...secrets.endpoints }, clientEnv: secrets.clientEnv, ciAppRole: secrets.ciAppRole };
}
