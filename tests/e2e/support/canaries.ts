import { expect } from "vitest";
import { s3Read, sql, type DockerClient } from "./clients";
import { consumerS3 } from "./objectStore";
import { expectClientEnvReadable, type AppRole } from "./secrets";

/* The canaries the tiers write early (a table row, an object, an image) and check after every disruption. */

/** The canary row, object and image are there, and the CI AppRole still reads client-env, all with the stack's own credentials. */
export async function canariesIntact(env: Record<string, string>, ciAppRole: AppRole, docker: DockerClient): Promise<void> {
    expect(await sql(env["DATABASE_URL"] as string, "SELECT v FROM canary")).toEqual([{ v: "alive" }]);
    expect(await s3Read(consumerS3(env), "lake", "bronze/canary.txt")).toBe("alive");
    await expectClientEnvReadable(env["VAULT_ADDR"] as string, ciAppRole, env);
    expect(docker.pull(`${env["REGISTRY"]}/canary:1`).ok).toBe(true);
}
