import * as pulumi from "@pulumi/pulumi";
import { Database } from "../components/database";
import { ObjectStore, type BucketSpec } from "../components/objectStore";
import { Registry, type RegistryStorage } from "../components/registry";
import { REGISTRY_CONSUMER } from "../components/registry/defaults";
import { Secrets } from "../components/secrets";
import type { ComponentsConfig } from "../src/components-schema";
import { endpointUrls, formatAddress, mergeEnv, type PlatformEndpoints, type PlatformOutputs } from "../src/outputs";
import type { Runtime } from "../src/runtime/spec";
import type { DatabaseConnection, S3Access } from "../src/types";

/** Variables a client sets for one consumer; secret values stay Outputs. */
type EnvMap = Record<string, pulumi.Input<string>>;

/** Credentials to write to the Secrets capability, by consumer path. */
type Credentials = [path: string, data: EnvMap][];

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
        LAKE_ROOT_S3: lakeRoot.s3Uri,
        LAKE_ROOT_S3A: lakeRoot.s3aUri,
    };
}

/** Target-level choices that apply to every capability. */
export interface PlatformOptions {
    /** Protect data-holding resources (databases, buckets, the KV mount, Vault's init) from deletion. */
    readonly protectData: boolean;
}

function composeDatabase(
    runtime: Runtime,
    c: ComponentsConfig["database"],
    o: PlatformOptions,
    endpoints: PlatformEndpoints,
    store: Credentials,
): EnvMap[] {
    const db = new Database("postgres", { runtime, engine: c.engine, image: c.image, resources: c.resources, protectData: o.protectData });
    endpoints.database = endpointUrls(db.endpoint);
    const host = db.endpoint.external.host;
    const port = db.endpoint.external.port;
    store.push(["database/admin", databaseEnv(db.admin, host, port)]);
    const envs = c.databases.map((name) => {
        const env = databaseEnv(db.database(name), host, port);
        store.push([`database/${name}`, env]);
        return env;
    });
    return envs.slice(0, 1);
}

function composeObjectStore(
    runtime: Runtime,
    c: ComponentsConfig,
    opt: PlatformOptions,
    endpoints: PlatformEndpoints,
    store: Credentials,
): { objectStore: ObjectStore; env: EnvMap[] } {
    const buckets: BucketSpec[] = [...c.objectStore.buckets];
    const registryOnStore = c.registry.enabled && c.registry.storage === "objectStore";
    if (registryOnStore && !buckets.some((b) => b.name === c.registry.bucket)) buckets.push({ name: c.registry.bucket, prefixes: [] });

    const o = c.objectStore;
    const consumers = [...o.consumers, ...(registryOnStore ? [{ name: REGISTRY_CONSUMER, bucket: c.registry.bucket, prefix: "" }] : [])];
    // Named after the engine: its service and DNS name say what runs there (a new engine is a new server anyway).
    const objectStore = new ObjectStore(o.engine, {
        runtime,
        engine: o.engine,
        image: o.image,
        resources: o.resources,
        region: o.region,
        buckets,
        lakeBucket: o.lakeBucket,
        consumers,
        protectData: opt.protectData,
    });
    endpoints.objectStore = endpointUrls(objectStore.endpoint);
    if (objectStore.consoleEndpoint !== undefined) endpoints.objectStoreConsole = endpointUrls(objectStore.consoleEndpoint);
    store.push([
        "objectStore/admin",
        { AWS_ACCESS_KEY_ID: objectStore.rootCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: objectStore.rootCredentials.secretAccessKey },
    ]);
    const envs = o.consumers.map((consumer) => {
        const env = s3Env(objectStore.consumer(consumer.name, consumer), objectStore.lakeRoot);
        store.push([`objectStore/${consumer.name}`, env]);
        return env;
    });
    return { objectStore, env: envs.slice(0, 1) };
}

function composeRegistry(
    runtime: Runtime,
    c: ComponentsConfig["registry"],
    objectStore: ObjectStore | undefined,
    endpoints: PlatformEndpoints,
    store: Credentials,
): EnvMap {
    const storage: RegistryStorage =
        c.storage === "objectStore" && objectStore !== undefined
            ? { kind: "s3", access: objectStore.consumer(REGISTRY_CONSUMER, { bucket: c.bucket }) }
            : { kind: "volume" };
    const registry = new Registry("registry", {
        runtime,
        engine: c.engine,
        image: c.image,
        resources: c.resources,
        username: c.username,
        storage,
    });
    endpoints.registry = endpointUrls(registry.endpoint);
    const env = { REGISTRY: registry.host, REGISTRY_USERNAME: registry.username, REGISTRY_PASSWORD: registry.password };
    store.push([`registry/${c.username}`, env]);
    return env;
}

/** Vault with every credential stored, and the full client environment (VAULT_ADDR included) stored for CI. */
function composeSecrets(
    runtime: Runtime,
    c: ComponentsConfig["secrets"],
    o: PlatformOptions,
    endpoints: PlatformEndpoints,
    store: Credentials,
    env: readonly EnvMap[],
): Pick<PlatformOutputs, "clientEnv" | "ciAppRole"> {
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
    endpoints.secrets = endpointUrls(secrets.endpoint);
    const vaultAddr = secrets.endpoint.apply((e) => formatAddress(e, "external"));
    const clientEnv = mergeEnv([...env, { VAULT_ADDR: vaultAddr, VAULT_KV_MOUNT: c.kvMount }]);
    for (const [path, data] of store) secrets.store(path, data);
    // CI reads the client environment and nothing else.
    const login = secrets.appRole(c.appRole, [secrets.store("client-env", clientEnv)]);
    const ciAppRole = pulumi.secret(pulumi.all([login.roleId, login.secretId]).apply(([roleId, secretId]) => ({ roleId, secretId })));
    return { clientEnv, ciAppRole };
}

/**
 * Composes the enabled capabilities on one runtime, in dependency order, and returns the outputs
 * every target exports. Target stacks differ only in the runtime they pass in.
 */
export function composePlatform(
    target: string,
    runtime: Runtime,
    c: ComponentsConfig,
    options: PlatformOptions = { protectData: false },
): PlatformOutputs {
    const endpoints: PlatformEndpoints = {};
    const store: Credentials = [];
    const env: EnvMap[] = [];
    if (c.database.enabled) env.push(...composeDatabase(runtime, c.database, options, endpoints, store));
    const objectStore = c.objectStore.enabled ? composeObjectStore(runtime, c, options, endpoints, store) : undefined;
    if (objectStore) env.push(...objectStore.env);
    if (c.registry.enabled) env.push(composeRegistry(runtime, c.registry, objectStore?.objectStore, endpoints, store));

    if (!c.secrets.enabled) return { target, endpoints, clientEnv: mergeEnv(env) };
    return { target, endpoints, ...composeSecrets(runtime, c.secrets, options, endpoints, store, env) };
}
