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
        expect(dev.endpoints).toEqual(["database", "objectStore", "registry", "secrets"]);
        expect(dev.clientEnv).toContain("DATABASE_URL");
        for (const other of [kind, prod]) {
            expect(other.endpoints).toEqual([...dev.endpoints, "objectStoreConsole"].sort());
            expect(other.clientEnv).toEqual(dev.clientEnv);
            expect(other.ciAppRole).toBe(dev.ciAppRole);
        }
    });
});
