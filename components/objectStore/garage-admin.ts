import * as pulumi from "@pulumi/pulumi";
import { putMarkers } from "./s3-bucket";
import type { DynamicInputs } from "../../src/types";

/*
 * Garage's cluster layout, buckets and keys through its admin API v2 (`/v2/<Operation>`, bearer
 * token; doc/api/garage-admin-v2.json in the Garage repository). No maintained Pulumi provider
 * covers Garage, so these are thin dynamic providers; helpers stay plain functions so they
 * serialize with them.
 */

/** What every Garage admin call needs. */
export interface GarageAdmin {
    readonly address: string;
    readonly token: string;
}

/** One admin API call; a non-2xx answer throws with Garage's own message. */
export async function garageCall(
    admin: GarageAdmin,
    method: "GET" | "POST",
    operation: string,
    options: { query?: Record<string, string>; body?: unknown; attempts?: number } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
    const query = options.query === undefined ? "" : `?${new URLSearchParams(options.query).toString()}`;
    let lastError: unknown;
    for (let attempt = 0; attempt < (options.attempts ?? 30); attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 2000));
        let res: Response;
        try {
            res = await fetch(`${admin.address}/v2/${operation}${query}`, {
                method,
                headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
                body: options.body === undefined ? undefined : JSON.stringify(options.body),
                signal: AbortSignal.timeout(10_000),
            });
        } catch (err) {
            lastError = err; // not up yet
            continue;
        }
        const text = await res.text();
        const body = (text === "" || text === "null" ? {} : JSON.parse(text)) as Record<string, unknown>;
        if (res.ok || res.status === 409 || res.status === 404) return { status: res.status, body };
        lastError = new Error(`${method} /v2/${operation}: HTTP ${res.status}: ${String(body["message"] ?? text)}`);
        if (res.status < 500) break;
    }
    throw lastError instanceof Error ? lastError : new Error(`Garage admin API at ${admin.address}: ${String(lastError)}`);
}

/** Inputs of GarageLayout. */
export interface GarageLayoutState extends GarageAdmin {
    readonly zone: string;
    readonly capacityBytes: number;
}

/**
 * Gives the single node its role and applies the layout, once: a node that already has a role
 * (a restart, an existing volume) is left as it is, so a layout is never re-applied over data.
 */
export const garageLayoutProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: GarageLayoutState) {
        const info = await garageCall(inputs, "GET", "GetNodeInfo", { query: { node: "self" } });
        const nodeId = Object.keys((info.body["success"] ?? {}) as Record<string, unknown>)[0];
        if (nodeId === undefined) throw new Error(`Garage at ${inputs.address} did not name its node: ${JSON.stringify(info.body)}`);
        const layout = (await garageCall(inputs, "GET", "GetClusterLayout")).body as { version: number; roles: { id: string }[] };
        if (!layout.roles.some((r) => r.id === nodeId)) {
            await garageCall(inputs, "POST", "UpdateClusterLayout", {
                body: { roles: [{ id: nodeId, zone: inputs.zone, capacity: inputs.capacityBytes, tags: [] }] },
            });
            await garageCall(inputs, "POST", "ApplyClusterLayout", { body: { version: layout.version + 1 } });
        }
        return { id: nodeId, outs: { ...inputs, nodeId } };
    },
    async diff(_id: string, olds: GarageLayoutState, news: GarageLayoutState) {
        // A new capacity or zone is an operator's layout change on a live cluster, not a side effect.
        return { changes: olds.address !== news.address || olds.token !== news.token };
    },
    async update(_id: string, _olds: GarageLayoutState, news: GarageLayoutState & { nodeId?: string }) {
        return { outs: news };
    },
};

/** Inputs of GarageBucket: the bucket, the root key that owns it, and the prefix markers to write. */
export interface GarageBucketState extends GarageAdmin {
    readonly bucket: string;
    readonly rootAccessKeyId: string;
    readonly rootSecretAccessKey: string;
    readonly s3Endpoint: string;
    readonly region: string;
    readonly markers: Record<string, string>;
}

/** Creates the bucket (adopting one of the same name) and lets the root key own it. */
export async function ensureGarageBucket(s: GarageBucketState): Promise<string> {
    const created = await garageCall(s, "POST", "CreateBucket", { body: { globalAlias: s.bucket } });
    const info = created.status === 409 ? await garageCall(s, "GET", "GetBucketInfo", { query: { globalAlias: s.bucket } }) : created;
    const bucketId = String(info.body["id"]);
    await garageCall(s, "POST", "AllowBucketKey", {
        body: { bucketId, accessKeyId: s.rootAccessKeyId, permissions: { read: true, write: true, owner: true } },
    });
    await putMarkers({
        endpoint: s.s3Endpoint,
        region: s.region,
        accessKeyId: s.rootAccessKeyId,
        secretAccessKey: s.rootSecretAccessKey,
        bucket: s.bucket,
        markers: s.markers,
    });
    return bucketId;
}

/** The provider behind GarageBucket; delete keeps the bucket (its objects are data). */
export const garageBucketProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: GarageBucketState) {
        const bucketId = await ensureGarageBucket(inputs);
        return { id: bucketId, outs: { ...inputs, bucketId } };
    },
    async diff(_id: string, olds: GarageBucketState, news: GarageBucketState) {
        if (olds.bucket !== news.bucket) return { changes: true, replaces: ["bucket"] };
        return { changes: JSON.stringify(olds.markers) !== JSON.stringify(news.markers) || olds.token !== news.token };
    },
    async update(_id: string, _olds: GarageBucketState, news: GarageBucketState) {
        return { outs: { ...news, bucketId: await ensureGarageBucket(news) } };
    },
};

/** Inputs of GarageKey: an imported key pair, and the bucket it may read and write (none for the root key). */
export interface GarageKeyState extends GarageAdmin {
    readonly name: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly bucketId?: string;
}

/** The provider behind GarageKey: imports a key lakeforge generated; removing the consumer deletes it. */
export const garageKeyProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: GarageKeyState) {
        const imported = await garageCall(inputs, "POST", "ImportKey", {
            body: { accessKeyId: inputs.accessKeyId, secretAccessKey: inputs.secretAccessKey, name: inputs.name },
        });
        // 409: it exists (an earlier, interrupted create) or was deleted once (never importable again).
        if (
            imported.status === 409 &&
            (await garageCall(inputs, "GET", "GetKeyInfo", { query: { id: inputs.accessKeyId } })).status !== 200
        ) {
            throw new Error(`Garage refused to import key ${inputs.accessKeyId} for ${inputs.name}: ${String(imported.body["message"])}`);
        }
        if (inputs.bucketId !== undefined) {
            await garageCall(inputs, "POST", "AllowBucketKey", {
                body: {
                    bucketId: inputs.bucketId,
                    accessKeyId: inputs.accessKeyId,
                    permissions: { read: true, write: true, owner: false },
                },
            });
        }
        return { id: inputs.accessKeyId, outs: inputs };
    },
    async diff(_id: string, olds: GarageKeyState, news: GarageKeyState) {
        const replace =
            olds.accessKeyId !== news.accessKeyId || olds.secretAccessKey !== news.secretAccessKey || olds.bucketId !== news.bucketId;
        return replace ? { changes: true, replaces: ["accessKeyId"], deleteBeforeReplace: false } : { changes: olds.token !== news.token };
    },
    async update(_id: string, _olds: GarageKeyState, news: GarageKeyState) {
        return { outs: news };
    },
    async delete(id: string, state: GarageKeyState) {
        await garageCall(state, "POST", "DeleteKey", { query: { id } });
    },
};

/** The single node's role in the cluster layout, applied once. */
export class GarageLayout extends pulumi.dynamic.Resource {
    constructor(name: string, args: DynamicInputs<GarageLayoutState>, opts?: pulumi.CustomResourceOptions) {
        super(
            garageLayoutProvider,
            name,
            { ...args, token: pulumi.secret(args.token), nodeId: undefined },
            opts,
            "lakeforge",
            "GarageLayout",
        );
    }
}

/** A Garage bucket owned by the root key, with its prefix markers. */
export class GarageBucket extends pulumi.dynamic.Resource {
    declare public readonly bucketId: pulumi.Output<string>;
    constructor(name: string, args: DynamicInputs<GarageBucketState>, opts?: pulumi.CustomResourceOptions) {
        const secret = { token: pulumi.secret(args.token), rootSecretAccessKey: pulumi.secret(args.rootSecretAccessKey) };
        super(garageBucketProvider, name, { ...args, ...secret, bucketId: undefined }, opts, "lakeforge", "GarageBucket");
    }
}

/** A key lakeforge generated, imported into Garage and allowed on at most one bucket. */
export class GarageKey extends pulumi.dynamic.Resource {
    constructor(name: string, args: DynamicInputs<GarageKeyState>, opts?: pulumi.CustomResourceOptions) {
        const secret = { token: pulumi.secret(args.token), secretAccessKey: pulumi.secret(args.secretAccessKey) };
        super(garageKeyProvider, name, { ...args, ...secret }, opts, "lakeforge", "GarageKey");
    }
}
