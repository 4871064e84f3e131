import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectStore as ObjectStoreType } from "../components/objectStore";
import type { S3Access } from "../src/types";
import { installMocks, isSecretInput, ofType, resolve, settle, type Recorded } from "./support/mocks";
import { RecordingRuntime } from "./support/runtime";
import { configProblems } from "./support/stack";

const TOKEN = "admin-token-for-tests";
let server: ChildProcess;
let admin: { address: string; token: string };
let recorded: Recorded[];
let runtime: RecordingRuntime;
let store: ObjectStoreType;
let etl: S3Access;

const serverState = async () =>
    (await (await fetch(`${admin.address}/__state`)).json()) as Record<string, unknown> & { requests: string[] };

beforeAll(async () => {
    server = spawn(process.execPath, [path.join(__dirname, "support", "fake-garage-admin.mjs"), TOKEN], {
        stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<string>((res) => server.stdout?.once("data", (d: Buffer) => res(d.toString().trim())));
    admin = { address: `http://127.0.0.1:${port}`, token: TOKEN };
    recorded = installMocks();
    const { ObjectStore } = await import("../components/objectStore");
    runtime = new RecordingRuntime();
    store = new ObjectStore("garage", { runtime, engine: "garage", region: "garage", consumers: [{ name: "etl", bucket: "lake" }] });
    etl = store.consumer("etl", { bucket: "lake" });
    await resolve(etl.credentials.accessKeyId);
    await settle();
});
afterAll(() => server.kill());

describe("ObjectStore (garage): what it deploys", () => {
    it("runs the server on a data volume with its RPC secret and admin token only in secret files", async () => {
        const spec = runtime.spec("garage");
        expect(spec.files.map((f) => [f.path, f.secret])).toEqual([
            ["/etc/garage.toml", false],
            ["/run/secrets/garage-rpc-secret", true],
            ["/run/secrets/garage-admin-token", true],
        ]);
        const config = String(spec.files[0]?.content);
        expect(config).toContain("replication_factor = 1");
        expect(config).toContain('s3_region = "garage"');
        expect(config).not.toMatch(/rpc_secret|admin_token/);
        const rpc = await resolve(pulumi.output(spec.files[1]?.content as string));
        expect(rpc.secret).toBe(true);
        expect(rpc.value).toMatch(/^[0-9a-f]{64}$/);
        expect(spec.env).toMatchObject({
            GARAGE_RPC_SECRET_FILE: "/run/secrets/garage-rpc-secret",
            GARAGE_ADMIN_TOKEN_FILE: "/run/secrets/garage-admin-token",
        });
        // FROM scratch: no shell, so the health check is the server's own CLI.
        expect(spec.healthCheck.command).toEqual(["/garage", "status"]);
        expect(spec.ports.map((p) => [p.name, p.port, p.publishAs])).toEqual([
            ["s3", 3900, "objectStore"],
            ["admin", 3903, "objectStoreConsole"],
        ]);
        expect(spec.volumes).toEqual([{ name: "data", path: "/var/lib/garage" }]);
    });

    it("applies the layout, creates buckets and imports keys through the admin API with the secret token", () => {
        const types = ["GarageLayout", "GarageBucket", "GarageKey"].map((t) => `pulumi-nodejs:dynamic/lakeforge:${t}`);
        expect(
            types.map((t) =>
                ofType(recorded, t)
                    .map((r) => r.name)
                    .sort(),
            ),
        ).toEqual([["garage-layout"], ["garage-lake"], ["garage-etl", "garage-root-key"]]);
        for (const r of recorded.filter((x) => types.includes(x.type))) expect(isSecretInput(r.inputs["token"]), r.name).toBe(true);
        const key = ofType(recorded, types[2] as string).find((r) => r.name === "garage-etl") as Recorded;
        expect(isSecretInput(key.inputs["secretAccessKey"])).toBe(true);
    });

    it("derives a consumer's access key ID in the format every Garage v2 accepts", async () => {
        expect((await resolve(etl.credentials.accessKeyId)).value).toMatch(/^GK[0-9a-f]{24}$/);
        expect((await resolve(etl.credentials.secretAccessKey)).secret).toBe(true);
        expect(store.consoleEndpoint).toBeUndefined();
    });

    it("refuses a consumer limited to a prefix, naming the key: Garage grants whole buckets only", () => {
        expect(
            configProblems({
                "lakeforge:target": "docker",
                "lakeforge:components": {
                    objectStore: { engine: "garage", consumers: [{ name: "etl", bucket: "lake", prefix: "bronze" }] },
                },
            }),
        ).toEqual([
            'lakeforge:components.objectStore.consumers[0].prefix: expected "" (the garage engine grants a key a whole bucket, never a prefix; use a bucket per consumer), found "bronze"',
        ]);
    });
});

describe("Garage admin API calls against the published contract (a stand-in: Garage cannot be built here)", () => {
    it("gives the node its role and applies layout version 1, and never re-applies it over an existing layout", async () => {
        const { garageLayoutProvider } = await import("../components/objectStore/garage-admin");
        const first = await garageLayoutProvider.create?.({ ...admin, zone: "dc1", capacityBytes: 1024 ** 3 });
        const after = await serverState();
        expect(first?.id).toBe(after["nodeId"]);
        expect((after["layout"] as { version: number }).version).toBe(1);
        await garageLayoutProvider.create?.({ ...admin, zone: "dc1", capacityBytes: 1024 ** 3 });
        expect((await serverState()).requests.filter((r) => r.startsWith("POST"))).toEqual([
            "POST /v2/UpdateClusterLayout",
            "POST /v2/ApplyClusterLayout",
        ]);
    });

    it("creates a bucket (adopting one that exists) owned by the root key, and grants a consumer read/write only", async () => {
        const { garageBucketProvider, garageKeyProvider } = await import("../components/objectStore/garage-admin");
        const root = { ...admin, name: "lakeforge-admin", accessKeyId: "lakeforgeroot01", secretAccessKey: "root-secret-0123456789" };
        await garageKeyProvider.create?.(root);
        const bucketArgs = {
            ...admin,
            bucket: "lake",
            rootAccessKeyId: root.accessKeyId,
            rootSecretAccessKey: root.secretAccessKey,
            s3Endpoint: "http://unused",
            region: "garage",
            markers: {},
        };
        const made = await garageBucketProvider.create?.(bucketArgs);
        const again = await garageBucketProvider.create?.(bucketArgs);
        expect(again?.id).toBe(made?.id);
        await garageKeyProvider.create?.({
            ...admin,
            name: "etl",
            accessKeyId: "GK0123456789abcdef01234567",
            secretAccessKey: "etl-secret-0123456789",
            bucketId: made?.id,
        });
        const bucket = (await serverState())["buckets"] as Record<string, { keys: { accessKeyId: string; permissions: object }[] }>;
        expect(bucket[made?.id as string]?.keys).toEqual([
            { accessKeyId: "lakeforgeroot01", permissions: { read: true, write: true, owner: true } },
            { accessKeyId: "GK0123456789abcdef01234567", permissions: { read: true, write: true, owner: false } },
        ]);
    });

    it("deletes a removed consumer's key; Garage never imports that ID again, and the error says so", async () => {
        const { garageKeyProvider } = await import("../components/objectStore/garage-admin");
        const key = { ...admin, name: "etl", accessKeyId: "GK0123456789abcdef01234567", secretAccessKey: "etl-secret-0123456789" };
        await garageKeyProvider.delete?.(key.accessKeyId, key);
        await expect(garageKeyProvider.create?.(key)).rejects.toThrow(
            /Garage refused to import key GK0123456789abcdef01234567 for etl: Even if it is deleted/,
        );
    });

    it("fails with Garage's message on a wrong token instead of retrying", async () => {
        const { garageCall } = await import("../components/objectStore/garage-admin");
        await expect(garageCall({ ...admin, token: "wrong" }, "GET", "GetClusterLayout")).rejects.toThrow(
            /GET \/v2\/GetClusterLayout: HTTP 403: Forbidden/,
        );
    });
});
