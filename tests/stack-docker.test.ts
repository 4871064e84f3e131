import { beforeAll, describe, expect, it } from "vitest";
import type { PlatformOutputs } from "../src/outputs";
import { credentialLeaks, deployShipped } from "./support/deploy";
import { isSecretInput, one, ofType, plain, resolve, type Recorded } from "./support/mocks";

let recorded: Recorded[];
let outputs: PlatformOutputs;

beforeAll(async () => {
    ({ recorded, outputs } = await deployShipped("dev"));
});

describe("the dev stack on docker", () => {
    it("creates one network and one healthy-waited container per service of the enabled capabilities", () => {
        expect(ofType(recorded, "docker:index/network:Network").map((r) => r.inputs["name"])).toEqual(["lakeforge-dev"]);
        const containers = ofType(recorded, "docker:index/container:Container");
        expect(containers.map((c) => c.inputs["name"]).sort()).toEqual([
            "lakeforge-dev-metastore",
            "lakeforge-dev-postgres",
            "lakeforge-dev-registry",
            "lakeforge-dev-seaweedfs",
            "lakeforge-dev-spark",
            "lakeforge-dev-trino",
            "lakeforge-dev-trino-worker-1",
            "lakeforge-dev-vault",
            "lakeforge-dev-vault-unsealer",
        ]);
        for (const c of containers) expect(c.inputs["wait"]).toBe(true);
    });

    it("carries each capability's default resources to its container", () => {
        const limits = Object.fromEntries(
            ofType(recorded, "docker:index/container:Container").map((c) => [c.name, [c.inputs["memory"], c.inputs["cpus"]]]),
        );
        expect(limits).toEqual({
            postgres: [1024, "1.0"],
            seaweedfs: [1024, "1.0"],
            vault: [512, "0.5"],
            "vault-unsealer": [32, "0.1"],
            registry: [256, "0.5"],
            spark: [2048, "1.0"],
            trino: [2048, "1.0"],
            "trino-worker-1": [2048, "1.0"],
            metastore: [1024, "1.0"],
        });
        // The README's memory figure for the dev stack, which a laptop with 16 GB runs.
        const totalMb = Object.values(limits).reduce((sum, [memory]) => sum + Number(memory), 0);
        expect((totalMb / 1024).toFixed(1)).toBe("9.8");
    });

    it("exports an endpoint per enabled capability and the client environment as a secret", async () => {
        expect(Object.keys(outputs.endpoints).sort()).toEqual([
            "database",
            "metastore",
            "objectStore",
            "queryEngine",
            "registry",
            "secrets",
            "sparkConnect",
        ]);
        const env = await resolve(outputs.clientEnv);
        expect(env.secret).toBe(true);
        expect(Object.keys(env.value)).toEqual(
            expect.arrayContaining([
                "S3_ENDPOINT",
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_REGION",
                "LAKE_ROOT_S3",
                "LAKE_ROOT_S3A",
                "VAULT_ADDR",
                "DATABASE_URL",
                "REGISTRY",
                "HIVE_METASTORE_URI",
            ]),
        );
        expect(env.value["LAKE_ROOT_S3A"]).toBe("s3a://lake");
        expect(env.value["S3_ENDPOINT"]).toBe("http://127.0.0.1:9000");
        expect(env.value["VAULT_ADDR"]).toBe("http://127.0.0.1:8200");
        expect(env.value["REGISTRY"]).toBe("127.0.0.1:5000");
        expect(env.value["DATABASE_URL"]).toBe(
            "postgresql://lakehouse:generated-password-postgres-lakehouse-password@127.0.0.1:5432/lakehouse?sslmode=disable",
        );
        // Downstream projects get the consumer's key, never the root key.
        expect(env.value["AWS_ACCESS_KEY_ID"]).toBe("lakehouse");
    });

    it("writes every generated credential to Vault, one path per consumer", async () => {
        const paths = ofType(recorded, "vault:kv/secretV2:SecretV2").map((s) => s.inputs["name"]);
        expect(paths.sort()).toEqual([
            "catalog/client",
            "client-env",
            "database/admin",
            "database/lakehouse",
            "objectStore/admin",
            "objectStore/lakehouse",
            "registry/lakeforge",
        ]);
        for (const s of ofType(recorded, "vault:kv/secretV2:SecretV2")) expect(isSecretInput(s.inputs["dataJson"])).toBe(true);
        // What CI reads through the AppRole is the whole client environment, VAULT_ADDR included.
        const clientEnv = JSON.parse(
            plain<string>(one(recorded, "vault:kv/secretV2:SecretV2", "vault-client-env").inputs["dataJson"]),
        ) as Record<string, string>;
        expect(clientEnv["VAULT_ADDR"]).toBe("http://127.0.0.1:8200");
        expect(Object.keys(clientEnv).sort()).toEqual(Object.keys((await resolve(outputs.clientEnv)).value).sort());
        const role = one(recorded, "vault:appRole/authBackendRole:AuthBackendRole", "vault-approle-ci");
        expect(role.inputs["tokenPolicies"]).toEqual(["lakeforge-client-env-read"]);
    });

    it("never sends a generated credential to any resource in plaintext", () => {
        expect(recorded.flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`))).toEqual([]);
        expect(plain<string>(one(recorded, "pulumi:providers:postgresql", "postgres-admin").inputs["password"])).toContain(
            "generated-password-",
        );
    });
});
