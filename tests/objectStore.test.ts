import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { ObjectStore as ObjectStoreType } from "../components/objectStore";
import type { S3Access } from "../src/types";
import { installMocks, isSecretInput, one, ofType, plain, resolve, settle, type Recorded } from "./support/mocks";
import { RecordingRuntime } from "./support/runtime";

let recorded: Recorded[];
let runtime: RecordingRuntime;
let store: ObjectStoreType;
let etl: S3Access;

beforeAll(async () => {
    recorded = installMocks();
    const { ObjectStore } = await import("../components/objectStore");
    runtime = new RecordingRuntime();
    store = new ObjectStore("minio", { runtime, engine: "minio" });
    etl = store.consumer("etl", { bucket: "lake", prefix: "bronze" });
    await resolve(etl.credentials.secretAccessKey);
    await settle();
});

describe("ObjectStore (minio)", () => {
    it("defaults: pinned server image, region us-east-1, bucket lake with bronze/silver/gold", async () => {
        const { IMAGES } = await import("../src/images");
        const spec = runtime.spec("minio");
        expect(spec.image).toBe(IMAGES.minio);
        expect(spec.env["MINIO_SITE_REGION"]).toBe("us-east-1");
        expect(store.region).toBe("us-east-1");
        expect(ofType(recorded, "minio:index/s3Bucket:S3Bucket").map((b) => b.inputs)).toEqual([
            { bucket: "lake", acl: "private", forceDestroy: false },
        ]);
        const markers = ofType(recorded, "minio:index/s3Object:S3Object");
        expect(markers.map((o) => o.inputs["objectName"])).toEqual(["bronze/.keep", "silver/.keep", "gold/.keep"]);
        // The provider treats an empty content as unset and refuses the object.
        for (const m of markers) expect(String(m.inputs["content"]).length).toBeGreaterThan(0);
    });

    it("generates the root user with RandomPassword, whose ID is not the value", () => {
        expect(ofType(recorded, "random:index/randomString:RandomString")).toEqual([]);
        expect(one(recorded, "random:index/randomPassword:RandomPassword", "minio-root-user").inputs).toMatchObject({ length: 20 });
    });

    it("runs in server mode on a data volume, health from /minio/health/live", () => {
        const spec = runtime.spec("minio");
        expect(spec.command).toEqual(["server", "/data", "--address", ":9000", "--console-address", ":9001"]);
        expect(spec.volumes).toEqual([{ name: "data", path: "/data" }]);
        expect(spec.healthCheck.command.join(" ")).toContain("http://127.0.0.1:9000/minio/health/live");
        expect(spec.ports.map((p) => [p.name, p.port, p.publishAs])).toEqual([
            ["s3", 9000, "objectStore"],
            ["console", 9001, "objectStoreConsole"],
        ]);
    });

    it("generates root credentials and hands them over only as secret files", async () => {
        const spec = runtime.spec("minio");
        expect(Object.keys(spec.env)).not.toContain("MINIO_ROOT_PASSWORD");
        expect(spec.files.map((f) => [f.path, f.secret])).toEqual([
            ["/run/secrets/access_key", true],
            ["/run/secrets/secret_key", true],
        ]);
        for (const f of spec.files) expect(await pulumi.isSecret(pulumi.output(f.content))).toBe(true);
        expect((await resolve(store.rootCredentials.accessKeyId)).secret).toBe(true);
        expect((await resolve(store.rootCredentials.secretAccessKey)).secret).toBe(true);
        const p = one(recorded, "pulumi:providers:minio", "minio-admin").inputs;
        expect(p["minioServer"]).toBe("127.0.0.1:49000");
        expect(isSecretInput(p["minioUser"]) && isSecretInput(p["minioPassword"])).toBe(true);
    });

    it("outputs path-style S3 access and lake roots as s3:// and s3a://", async () => {
        expect(store.pathStyle).toBe(true);
        expect(store.lakeRoot).toEqual({ bucket: "lake", prefix: "", s3Uri: "s3://lake", s3aUri: "s3a://lake" });
        expect(etl.location).toEqual({ bucket: "lake", prefix: "bronze", s3Uri: "s3://lake/bronze", s3aUri: "s3a://lake/bronze" });
        expect((await resolve(etl.endpoint)).value.internal).toEqual({ host: "minio", port: 9000 });
    });

    it("gives a consumer its own key with a policy limited to its bucket and prefix", async () => {
        expect(one(recorded, "minio:index/iamUser:IamUser", "minio-etl").inputs["name"]).toBe("etl");
        expect(isSecretInput(one(recorded, "minio:index/iamUser:IamUser", "minio-etl").inputs["secret"])).toBe(true);
        const policy = JSON.parse(plain<string>(one(recorded, "minio:index/iamPolicy:IamPolicy", "minio-etl").inputs["policy"])) as {
            Statement: { Resource: string[]; Action: string[]; Condition?: unknown }[];
        };
        const resources = policy.Statement.flatMap((s) => s.Resource);
        expect(resources).toEqual(["arn:aws:s3:::lake", "arn:aws:s3:::lake", "arn:aws:s3:::lake/bronze/*"]);
        expect(policy.Statement.flatMap((s) => s.Action)).not.toContain("s3:*");
        expect(policy.Statement[1]?.Condition).toEqual({ StringLike: { "s3:prefix": ["bronze", "bronze/*"] } });
        expect(one(recorded, "minio:index/iamUserPolicyAttachment:IamUserPolicyAttachment", "minio-etl").inputs).toEqual({
            userName: "etl",
            policyName: "etl-rw",
        });
        expect((await resolve(etl.credentials.secretAccessKey)).secret).toBe(true);
    });

    it("refuses a consumer on a bucket it does not hold", () => {
        expect(() => store.consumer("x", { bucket: "nope" })).toThrow(/consumer "x" uses bucket "nope", which is not one of lake/);
    });
});

describe("consumerPolicy", () => {
    it("grants a whole bucket when the prefix is empty, without a list condition", async () => {
        const { consumerPolicy } = await import("../components/objectStore");
        const policy = JSON.parse(consumerPolicy("lake", "")) as { Statement: { Resource: string[]; Condition?: unknown }[] };
        expect(policy.Statement[2]?.Resource).toEqual(["arn:aws:s3:::lake/*"]);
        expect(policy.Statement[1]?.Condition).toBeUndefined();
    });
});
