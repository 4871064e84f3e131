import { describe, expect, it } from "vitest";
import { deployShipped } from "./support/deploy";
import { resolve } from "./support/mocks";
import { shippedStacks } from "./support/stack";

/** The keys a stack exports: its endpoints, its client environment, and whether it has a CI login. */
async function outputKeys(stack: string): Promise<{ target: string; endpoints: string[]; clientEnv: string[]; ciAppRole: boolean }> {
    const { outputs } = await deployShipped(stack);
    const env = await resolve(outputs.clientEnv);
    return {
        target: outputs.target,
        endpoints: Object.keys(outputs.endpoints).sort(),
        clientEnv: Object.keys(env.value).sort(),
        ciAppRole: outputs.ciAppRole !== undefined,
    };
}

describe("stack outputs across targets", () => {
    it("ships the docker dev stack and the kubernetes kind and prod stacks", () => {
        expect(shippedStacks()).toEqual(expect.arrayContaining(["dev", "kind", "prod"]));
    });

    it("exports the same endpoint and client environment keys on docker and kubernetes", async () => {
        const dev = await outputKeys("dev");
        const kind = await outputKeys("kind");
        const prod = await outputKeys("prod");
        expect([dev.target, kind.target, prod.target]).toEqual(["docker", "kubernetes", "kubernetes"]);
        // The dev stack runs SeaweedFS, which has no web console; kind and prod run MinIO's fork, which has one.
        // dev and kind run the lakehouse core; prod leaves it off until Trino's image digest is pinned.
        expect(dev.endpoints).toEqual(["database", "metastore", "objectStore", "queryEngine", "registry", "secrets", "sparkConnect"]);
        expect(dev.clientEnv).toEqual(expect.arrayContaining(["DATABASE_URL", "TRINO_URL", "SPARK_REMOTE", "ICEBERG_JDBC_URL"]));
        expect(kind.endpoints).toEqual([...dev.endpoints, "objectStoreConsole"].sort());
        expect(kind.clientEnv).toEqual(dev.clientEnv);
        const core = ["metastore", "queryEngine", "sparkConnect"];
        expect(prod.endpoints).toEqual([...dev.endpoints.filter((e) => !core.includes(e)), "objectStoreConsole"].sort());
        expect(prod.clientEnv).toEqual(dev.clientEnv.filter((k) => !/^(TRINO_|ICEBERG_|SPARK_|HIVE_)/.test(k)));
        for (const other of [kind, prod]) expect(other.ciAppRole).toBe(dev.ciAppRole);
    });
});
