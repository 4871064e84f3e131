import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, one, resolve, settle, type Recorded } from "./support/mocks";
import { RecordingRuntime } from "./support/runtime";

let recorded: Recorded[];

beforeAll(async () => {
    recorded = installMocks("prod");
    const { Database } = await import("../components/database");
    const { ObjectStore } = await import("../components/objectStore");
    const { Secrets } = await import("../components/secrets");
    const runtime = new RecordingRuntime();
    for (const [suffix, protectData] of [
        ["kept", true],
        ["plain", undefined],
    ] as const) {
        const db = new Database(`pg-${suffix}`, { runtime, protectData });
        db.database(`app_${suffix}`);
        new ObjectStore(`s3-${suffix}`, {
            runtime,
            protectData,
            buckets: [{ name: `lake-${suffix}`, prefixes: [] }],
            lakeBucket: `lake-${suffix}`,
        });
        const secrets = new Secrets(`kv-${suffix}`, { runtime, protectData });
        await resolve(secrets.access.token);
    }
    await settle();
});

describe("protectData", () => {
    it("protects databases, buckets, the KV mount and Vault's initialization when set", () => {
        expect(one(recorded, "postgresql:index/database:Database", "pg-kept-app_kept").protect).toBe(true);
        expect(one(recorded, "pulumi-nodejs:dynamic/lakeforge:S3Bucket", "s3-kept-lake-kept").protect).toBe(true);
        expect(one(recorded, "vault:index/mount:Mount", "kv-kept-kv").protect).toBe(true);
        expect(one(recorded, "pulumi-nodejs:dynamic/lakeforge:VaultInit", "kv-kept-init").protect).toBe(true);
        // Only data: roles, policies and passwords stay replaceable.
        expect(one(recorded, "postgresql:index/role:Role", "pg-kept-app_kept-role").protect).toBeUndefined();
    });

    it("defaults to false, so a workstation stack can be torn down", () => {
        expect(one(recorded, "postgresql:index/database:Database", "pg-plain-app_plain").protect).toBe(false);
        expect(one(recorded, "pulumi-nodejs:dynamic/lakeforge:S3Bucket", "s3-plain-lake-plain").protect).toBe(false);
        expect(one(recorded, "vault:index/mount:Mount", "kv-plain-kv").protect).toBe(false);
        expect(one(recorded, "pulumi-nodejs:dynamic/lakeforge:VaultInit", "kv-plain-init").protect).toBe(false);
    });
});
