import { ObjectStore, type BucketSpec } from "../../components/objectStore";
import { platformConsumers, type ComponentsConfig } from "../../src/components-schema";
import { endpointUrls, formatAddress } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { S3Access } from "../../src/types";
import type { Contribution, EnvMap, PlatformOptions } from "./contribution";

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

export function composeObjectStore(runtime: Runtime, c: ComponentsConfig, o: PlatformOptions): { store: ObjectStore } & Contribution {
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
