import * as pulumi from "@pulumi/pulumi";
import { expectAnswer, jsonCall, untilAnswered, type RestAnswer } from "./rest-call";
import type { DynamicInputs } from "../../src/types";

/*
 * Lakekeeper's management API as a resource with a diff: the server bootstrapped once, and the
 * warehouse on the lake bucket. The dynamic provider runs in the Pulumi engine and reaches the
 * published API port. Contract: lakekeeper/lakekeeper docs/docs/api/management-open-api.yaml at
 * v0.13.3 (tests/contract checks every call below against it).
 */

/** Inputs of LakekeeperWarehouse, as the provider sees them. */
export interface LakekeeperWarehouseState {
    /** e.g. `http://127.0.0.1:8181` */
    readonly address: string;
    readonly projectId: string;
    /** The warehouse name, which Iceberg clients give as their `warehouse`. */
    readonly name: string;
    readonly bucket: string;
    /** Key prefix under the bucket; "" for the whole bucket. */
    readonly keyPrefix: string;
    /** The S3 endpoint Lakekeeper uses and tells clients (in-network). */
    readonly endpoint: string;
    readonly region: string;
    /** Lakekeeper's own key to the lake bucket; Lakekeeper stores it encrypted. */
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
}

/** One management call, in the warehouse's project. */
export function lakekeeperCall(s: LakekeeperWarehouseState, method: string, path: string, body?: unknown): Promise<RestAnswer> {
    return jsonCall(`${s.address}/management/v1${path}`, method, { "x-project-id": s.projectId }, body);
}

/**
 * The S3 storage profile: an S3-compatible store (path-style, its own endpoint), with neither STS
 * nor remote signing, so Lakekeeper vends nothing and every engine uses its own key: Trino cannot
 * sign remotely, and STS on the platform's stores would hand out Lakekeeper's own wider key.
 */
export function storageProfile(s: LakekeeperWarehouseState): Record<string, unknown> {
    return {
        type: "s3",
        bucket: s.bucket,
        ...(s.keyPrefix === "" ? {} : { "key-prefix": s.keyPrefix }),
        endpoint: s.endpoint,
        region: s.region,
        "path-style-access": true,
        flavor: "s3-compat",
        "sts-enabled": false,
        "remote-signing-enabled": false,
        // Self-hosted stores may want Content-MD5 on DeleteObjects rather than the newer CRC checksums.
        "legacy-md5-behavior": true,
    };
}

/** Lakekeeper's own access key, as a storage credential. */
export function storageCredential(s: LakekeeperWarehouseState): Record<string, unknown> {
    return { type: "s3", "credential-type": "access-key", "access-key-id": s.accessKeyId, "secret-access-key": s.secretAccessKey };
}

/** Bootstraps the server unless it is (bootstrap can only be done once; the first caller becomes its admin). */
export async function ensureBootstrapped(s: LakekeeperWarehouseState): Promise<void> {
    const info = await untilAnswered(`Lakekeeper at ${s.address}`, () => lakekeeperCall(s, "GET", "/info"));
    expectAnswer("Lakekeeper", "server info", info, [200]);
    if (info.body["bootstrapped"] === true) return;
    expectAnswer("Lakekeeper", "bootstrap", await lakekeeperCall(s, "POST", "/bootstrap", { "accept-terms-of-use": true }), [200, 204]);
}

/** The id of warehouse `name` in the project, or undefined. */
export async function findWarehouse(s: LakekeeperWarehouseState): Promise<string | undefined> {
    const res = await lakekeeperCall(s, "GET", "/warehouse");
    expectAnswer("Lakekeeper", "list warehouses", res, [200]);
    const found = ((res.body["warehouses"] as { name: string; "warehouse-id": string }[] | undefined) ?? []).find((w) => w.name === s.name);
    return found?.["warehouse-id"];
}

/** Creates the warehouse, or brings an existing one's storage profile and key up to date. Returns its id. */
export async function ensureWarehouse(s: LakekeeperWarehouseState): Promise<string> {
    await ensureBootstrapped(s);
    const existing = await findWarehouse(s);
    if (existing === undefined) {
        const body = { "warehouse-name": s.name, "storage-profile": storageProfile(s), "storage-credential": storageCredential(s) };
        const created = await lakekeeperCall(s, "POST", "/warehouse", body);
        expectAnswer("Lakekeeper", `create warehouse ${s.name}`, created, [201]);
        return created.body["warehouse-id"] as string;
    }
    const body = { "storage-profile": storageProfile(s), "storage-credential": storageCredential(s) };
    expectAnswer(
        "Lakekeeper",
        `update storage of warehouse ${s.name}`,
        await lakekeeperCall(s, "POST", `/warehouse/${existing}/storage`, body),
        [200],
    );
    return existing;
}

/** The provider behind LakekeeperWarehouse. Destroy leaves the warehouse: it indexes the lake's tables. */
export const lakekeeperWarehouseProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: LakekeeperWarehouseState) {
        const warehouseId = await ensureWarehouse(inputs);
        return { id: warehouseId, outs: { ...inputs, warehouseId } };
    },
    async diff(_id: string, olds: LakekeeperWarehouseState, news: LakekeeperWarehouseState) {
        // Endpoint, region and key can change in place. Another bucket or prefix is another warehouse:
        // while the old one keeps the name, Lakekeeper refuses to move it and says so (its tables stay put).
        const replaces = (["name", "bucket", "keyPrefix", "projectId"] as const).filter((k) => olds[k] !== news[k]);
        const changed = (["address", "endpoint", "region", "accessKeyId", "secretAccessKey"] as const).some((k) => olds[k] !== news[k]);
        return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
    },
    async update(_id: string, _olds: LakekeeperWarehouseState, news: LakekeeperWarehouseState) {
        return { outs: { ...news, warehouseId: await ensureWarehouse(news) } };
    },
    async delete() {},
};

/** Lakekeeper bootstrapped, with the warehouse on the lake bucket; `warehouseId` is what Lakekeeper assigned. */
export class LakekeeperWarehouse extends pulumi.dynamic.Resource {
    declare public readonly warehouseId: pulumi.Output<string>;
    constructor(name: string, args: DynamicInputs<LakekeeperWarehouseState>, opts?: pulumi.CustomResourceOptions) {
        super(
            lakekeeperWarehouseProvider,
            name,
            {
                ...args,
                accessKeyId: pulumi.secret(args.accessKeyId),
                secretAccessKey: pulumi.secret(args.secretAccessKey),
                warehouseId: undefined,
            },
            opts,
            "lakeforge",
            "LakekeeperWarehouse",
        );
    }
}
