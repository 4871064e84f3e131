import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { ObjectStore as ObjectStoreType } from "../components/objectStore";
import type { S3Access } from "../src/types";
import { installMocks, isSecretInput, ofType, plain, resolve, settle, type Recorded } from "./support/mocks";
import { RecordingRuntime } from "./support/runtime";

let recorded: Recorded[];
let runtime: RecordingRuntime;
let store: ObjectStoreType;
let etl: S3Access;

const BUCKET = "pulumi-nodejs:dynamic/lakeforge:S3Bucket";

beforeAll(async () => {
    recorded = installMocks();
    const { ObjectStore } = await import("../components/objectStore");
    runtime = new RecordingRuntime();
    store = new ObjectStore("seaweedfs", {
        runtime,
        engine: "seaweedfs",
        buckets: [
            { name: "lake", prefixes: ["bronze", "silver"] },
            { name: "registry", prefixes: [] },
        ],
        consumers: [
            { name: "etl", bucket: "lake", prefix: "bronze" },
            { name: "registry", bucket: "registry" },
        ],
    });
    etl = store.consumer("etl", { bucket: "lake", prefix: "bronze" });
    await resolve(etl.credentials.secretAccessKey);
    await settle();
});

describe("ObjectStore (seaweedfs)", () => {
    it("runs `weed server` with the S3 gateway on a data volume, health from /healthz, only the S3 port published", async () => {
        const { IMAGES } = await import("../src/images");
        const spec = runtime.spec("seaweedfs");
        expect(spec.image).toBe(IMAGES.seaweedfs);
        expect(spec.command?.slice(0, 2)).toEqual(["server", "-dir=/data"]);
        expect(spec.command).toContain("-s3");
        expect(spec.command).toContain("-s3.config=/etc/seaweedfs/lakeforge-s3.json");
        expect(spec.command).toContain("-master.telemetry=false");
        expect(spec.volumes).toEqual([{ name: "data", path: "/data" }]);
        expect(spec.ports).toEqual([{ name: "s3", port: 8333, scheme: "http", publishAs: "objectStore" }]);
        // Healthy means an object reads back through the whole data path, not just that S3 answers.
        const [shell, flag, check] = spec.healthCheck.command;
        expect([shell, flag]).toEqual(["sh", "-c"]);
        expect(check).toContain("http://127.0.0.1:8333/healthz");
        expect(check).toMatch(/&& curl -fsS -o \/dev\/null http:\/\/127\.0\.0\.1:8888\/\.lakeforge\/health-probe$/);
        // Its components talk through unix sockets in /tmp; the root filesystem stays read-only.
        expect(spec.scratchPaths).toEqual(["/tmp"]);
        expect(spec.user).toBe("1000:1000");
        expect(store.consoleEndpoint).toBeUndefined();
    });

    it("renders every key only into one secret identities file, each consumer scoped to its bucket or prefix", async () => {
        const spec = runtime.spec("seaweedfs");
        expect(spec.files.map((f) => [f.path, f.secret])).toEqual([["/etc/seaweedfs/lakeforge-s3.json", true]]);
        const content = pulumi.output(spec.files[0]?.content as string);
        expect(await pulumi.isSecret(content)).toBe(true);
        const config = JSON.parse((await resolve(content)).value) as {
            identities: { name: string; credentials: { accessKey: string; secretKey: string }[]; actions: string[] }[];
        };
        expect(config.identities.map((i) => [i.name, i.actions])).toEqual([
            ["lakeforge-admin", ["Admin", "Read", "Write", "List", "Tagging"]],
            ["etl", ["Read:lake/bronze/*", "Write:lake/bronze/*", "List:lake/bronze/*", "Tagging:lake/bronze/*"]],
            ["registry", ["Read:registry", "Write:registry", "List:registry", "Tagging:registry"]],
        ]);
        expect(config.identities[1]?.credentials).toEqual([{ accessKey: "etl", secretKey: "generated-password-seaweedfs-etl-secret-key" }]);
        expect(config.identities[0]?.credentials[0]?.accessKey).toBe("generated-password-seaweedfs-root-user");
        expect(JSON.stringify(spec.env)).not.toMatch(/generated-password/);
    });

    it("creates each bucket with its prefix markers through the S3 API with the secret admin key, after the server is up", () => {
        const buckets = ofType(recorded, BUCKET).sort((a, b) => a.name.localeCompare(b.name));
        expect(buckets.map((b) => [b.name, plain(b.inputs["bucket"]), plain(b.inputs["markers"])])).toEqual([
            ["seaweedfs-lake", "lake", { "bronze/.keep": "lakeforge lake prefix\n", "silver/.keep": "lakeforge lake prefix\n" }],
            ["seaweedfs-registry", "registry", {}],
        ]);
        for (const b of buckets) {
            expect(isSecretInput(b.inputs["accessKeyId"])).toBe(true);
            expect(isSecretInput(b.inputs["secretAccessKey"])).toBe(true);
            expect(plain(b.inputs["endpoint"])).toBe("http://127.0.0.1:48333");
        }
        expect(ofType(recorded, "minio:index/s3Bucket:S3Bucket")).toEqual([]);
    });

    it("hands a consumer the same S3Access contract as minio: its key, secret, path-style, lake URIs", async () => {
        expect(await resolve(etl.credentials.accessKeyId)).toEqual({ value: "etl", secret: false });
        expect((await resolve(etl.credentials.secretAccessKey)).secret).toBe(true);
        expect(etl.pathStyle).toBe(true);
        expect(etl.location).toEqual({ bucket: "lake", prefix: "bronze", s3Uri: "s3://lake/bronze", s3aUri: "s3a://lake/bronze" });
    });

    it("refuses a consumer it was not started with, and one asked for another place than declared", () => {
        expect(() => store.consumer("late", { bucket: "lake" })).toThrow(
            /consumer "late" must be declared in consumers \(the seaweedfs engine reads its keys at start\)/,
        );
        expect(() => store.consumer("etl", { bucket: "lake", prefix: "gold" })).toThrow(/declared for lake\/bronze, not lake\/gold/);
    });
});

describe("consumerActions", () => {
    it("scopes to the whole bucket without a prefix and to `prefix/*` with one (a bare prefix would match nothing)", async () => {
        const { consumerActions } = await import("../components/objectStore");
        expect(consumerActions("lake", "")).toEqual(["Read:lake", "Write:lake", "List:lake", "Tagging:lake"]);
        expect(consumerActions("lake", "silver/eu")).toEqual([
            "Read:lake/silver/eu/*",
            "Write:lake/silver/eu/*",
            "List:lake/silver/eu/*",
            "Tagging:lake/silver/eu/*",
        ]);
    });
});
