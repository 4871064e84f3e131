import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { canariesIntact } from "./support/canaries";
import { DockerClient, s3, s3List, s3Outcome, s3Read, s3RoundTrip, sqlRefusal, vault } from "./support/clients";
import { expectCredentialsNowhere, stackCredentials } from "./support/credentials";
import { consumerConfined } from "./support/database";
import { mlflowChecks, smoke } from "./support/lakehouse";
import { consumerS3, s3Identities, wholeBucketS3 } from "./support/objectStore";
import { expectClientEnvReadable, vaultUnsealed, type AppRole } from "./support/secrets";
import {
    attempt,
    changesOf,
    coldUp,
    containerFile,
    expectCleanPreview,
    health,
    killProcess,
    openStack,
    run,
    tearDown,
    waitFor,
    type E2eStack,
} from "./support/stack";

/*
 * The docker target for real: `Pulumi.e2e.yaml` (the dev stack's shape on the stand-in images of
 * tests/e2e/images, its own network, names and ports) through the lifecycle users rely on.
 */
const PREFIX = "lakeforge-e2e";
const LABEL = `label=dev.lakeforge.network=${PREFIX}`;
const STATEFUL = ["postgres", "seaweedfs", "vault", "registry"] as const;
/** The lakehouse core's services: stateless but for Spark's package cache. */
const ENGINES = ["trino", "trino-worker-1", "spark-master", "spark-worker-1", "spark", "mlflow"] as const;
const CANARY_IMAGE = "lakeforge-e2e/debian:bookworm";

let e2e: E2eStack;
let env: Record<string, string>;
let ciAppRole: AppRole;
const docker = new DockerClient();

/** A file inside the object store's container. */
const seaweedfsFile = (file: string) => containerFile(`${PREFIX}-seaweedfs`, file);

/** Removes whatever an earlier, interrupted run left on the engine. */
function sweep(): void {
    const containers = run("docker", ["ps", "-aq", "--filter", LABEL]).split("\n").filter(Boolean);
    if (containers.length > 0) run("docker", ["rm", "-f", ...containers]);
    const volumes = run("docker", ["volume", "ls", "-q", "--filter", LABEL]).split("\n").filter(Boolean);
    if (volumes.length > 0) run("docker", ["volume", "rm", ...volumes]);
    attempt("docker", ["network", "rm", PREFIX]);
}

async function everyServiceHealthy(seconds: number): Promise<void> {
    for (const name of [...STATEFUL, "vault-unsealer", ...ENGINES]) {
        await waitFor(`${PREFIX}-${name} healthy`, seconds, () => health(`${PREFIX}-${name}`) === "healthy");
    }
    // Vault reports healthy while sealed (its clients need the unsealer's view): wait for that view.
    await vaultUnsealed(env["VAULT_ADDR"] as string, seconds);
}

/** No credential of the stack (nor `extra`) in the state's plaintext, a container's config or a process's arguments. */
function credentialsNowhere(extra: readonly (string | undefined)[]): void {
    const identities = s3Identities(seaweedfsFile);
    // The admin access key is a credential too.
    const credentials = stackCredentials(env, ciAppRole, identities, [identities[0]?.credentials[0]?.accessKey, ...extra]);
    expect(credentials.length).toBeGreaterThanOrEqual(6);
    const containers = run("docker", ["ps", "-q", "--filter", LABEL]).split("\n").filter(Boolean);
    expectCredentialsNowhere(e2e, credentials, [
        { text: run("docker", ["inspect", ...containers]), finding: "a credential in a container's config (env, command, labels)" },
        {
            text: containers.map((c) => attempt("docker", ["top", c, "-eo", "args"]).output).join("\n"),
            finding: "a credential in a process's arguments",
        },
    ]);
}

beforeAll(async () => {
    sweep();
    e2e = await openStack("e2e");
}, 120_000);

afterAll(() => tearDown(e2e, docker, sweep), 600_000);

describe.sequential("the docker target, end to end", () => {
    it("previews the whole stack with the policy pack", async () => {
        const preview = await e2e.stack.preview({ ...e2e.policy });
        expect(preview.changeSummary["create"]).toBeGreaterThan(20);
    });

    it("comes up with every service healthy and the outputs users read", async () => {
        ({ env, ciAppRole } = await coldUp(e2e, "e2e"));
        await everyServiceHealthy(30);
        expect(Object.keys(env)).toEqual(
            expect.arrayContaining([
                "DATABASE_URL",
                "VAULT_ADDR",
                "REGISTRY",
                "REGISTRY_PASSWORD",
                "S3_ENDPOINT",
                "AWS_ACCESS_KEY_ID",
                "LAKE_ROOT_S3",
            ]),
        );
    });

    it("PostgreSQL: the consumer logs in to its own database and can do nothing else", async () => {
        const url = env["DATABASE_URL"] as string;
        await consumerConfined(url);
        expect(await sqlRefusal(url, "SELECT 1", "analytics")).toMatch(/permission denied for database "analytics"/);
        expect(await sqlRefusal(url, "CREATE ROLE intruder")).toMatch(/permission denied to create role/);
        const superuser = new URL(url);
        superuser.username = "postgres";
        superuser.password = "";
        expect(await sqlRefusal(superuser.toString(), "SELECT 1")).not.toBe("succeeded");
    });

    it("Object store: the consumer key works under its prefix only; the lake bucket and its prefixes exist", async () => {
        const etl = consumerS3(env);
        expect(env["AWS_ACCESS_KEY_ID"]).toBe("etl");
        expect(env["LAKE_ROOT_S3A"]).toBe("s3a://lake");
        expect(await s3RoundTrip(etl, "lake", "bronze/canary.txt", "alive")).toBe("alive");
        expect(await s3List(etl, "lake", "bronze/")).toEqual(["bronze/.keep", "bronze/canary.txt"]);
        expect(await s3Outcome(etl.send(new PutObjectCommand({ Bucket: "lake", Key: "silver/x.txt", Body: "x" })))).toBe("AccessDenied");
        expect(await s3Outcome(s3Read(etl, "lake", "silver/.keep"))).toBe("AccessDenied");
        expect(await s3Outcome(s3List(etl, "lake", ""))).toBe("AccessDenied");
        expect(await s3Outcome(s3List(etl, "lake", "silver/"))).toBe("AccessDenied");
        const wrong = s3(env["S3_ENDPOINT"] as string, "etl", "not-the-secret");
        expect(await s3Outcome(s3List(wrong, "lake", "bronze/"))).toBe("SignatureDoesNotMatch");
        // The whole-bucket consumer's key, read where an operator would find it: the server's identities file.
        const whole = wholeBucketS3(env, s3Identities(seaweedfsFile));
        expect(await s3List(whole, "lake", "")).toEqual(["bronze/.keep", "bronze/canary.txt", "gold/.keep", "silver/.keep"]);
        expect(await s3Outcome(s3List(whole, "registry", ""))).not.toBe("ok");
    });

    it("Secrets: the CI AppRole reads client-env and nothing more", async () => {
        const address = env["VAULT_ADDR"] as string;
        const token = await expectClientEnvReadable(address, ciAppRole, env);
        expect((await vault(address, "GET", "lakeforge/data/database/admin", token)).status).toBe(403);
        expect((await vault(address, "POST", "lakeforge/data/client-env", token, { data: { x: "y" } })).status).toBe(403);
        expect((await vault(address, "GET", "sys/mounts", token)).status).toBe(403);
        expect((await vault(address, "GET", "lakeforge/data/client-env")).status).toBe(403);
    });

    it("Registry: push and pull with the generated credentials, refused without them", async () => {
        const registry = env["REGISTRY"] as string;
        const image = `${registry}/canary:1`;
        const anonymous = docker.push(CANARY_IMAGE, image);
        expect(anonymous.ok).toBe(false);
        expect(anonymous.output).toMatch(/no basic auth credentials|unauthorized|authentication required/);
        expect(docker.login(registry, env["REGISTRY_USERNAME"] as string, "wrong-password").ok).toBe(false);
        expect(docker.login(registry, env["REGISTRY_USERNAME"] as string, env["REGISTRY_PASSWORD"] as string).ok).toBe(true);
        expect(docker.push(CANARY_IMAGE, image).ok).toBe(true);
        expect(docker.pull(image).ok).toBe(true);
        docker.logout(registry);
        expect(docker.pull(image).ok).toBe(false);
        docker.login(registry, env["REGISTRY_USERNAME"] as string, env["REGISTRY_PASSWORD"] as string);
    });

    it("the smoke test passes: a table through the catalog, written by Trino, read by Spark and back; the example pipeline through Dagster", () => {
        const output = smoke(env);
        expect(output).toMatch(/^ok +run the example pipeline through dagster's API/m);
        expect(output).toMatch(/^ok +log an MLflow run with an artifact and read it back/m);
    });

    it("MLflow: a run's artifact goes through the server into the lake bucket's mlflow/ prefix; unknown hosts are refused", () =>
        mlflowChecks(env, seaweedfsFile));

    it("keeps every credential out of the state's plaintext, container configs and process arguments", () => credentialsNowhere([]));

    it("a second preview proposes no change", () => expectCleanPreview(e2e));

    it("refresh finds no drift", async () => {
        const refresh = await e2e.stack.refresh();
        expect(changesOf(refresh.summary.resourceChanges), refresh.stdout).toEqual({});
    });

    it("switches the orchestrator to Airflow: Dagster goes, the example runs through Airflow's API, no credential leaks, no change after", async () => {
        await e2e.stack.setConfig("lakeforge:components.orchestrator.engine", { value: "airflow" }, true);
        await e2e.stack.setConfig("lakeforge:components.orchestrator.image", { value: "lakeforge-e2e/airflow:3.3.2" }, true);
        const up = await e2e.stack.up({ ...e2e.policy });
        expect(up.summary.result).toBe("succeeded");
        env = up.outputs["clientEnv"]?.value as Record<string, string>;
        expect(env["DAGSTER_URL"]).toBeUndefined();
        expect(env["AIRFLOW_USERNAME"]).toBe("admin");
        const running = run("docker", ["ps", "--format", "{{.Names}}", "--filter", LABEL]);
        expect(running).not.toMatch(/orchestrator-(daemon|code)/);
        for (const c of ["orchestrator", "orchestrator-scheduler", "orchestrator-dag-processor", "orchestrator-triggerer"])
            expect(health(`${PREFIX}-${c}`)).toBe("healthy");
        expect(smoke(env)).toMatch(/^ok +run the example pipeline through airflow's API/m);
        // A restarted API server starts again on its kept scratch space (its passwords file rewritable).
        run("docker", ["restart", `${PREFIX}-orchestrator`]);
        await waitFor("the restarted Airflow API server healthy", 180, () => health(`${PREFIX}-orchestrator`) === "healthy");
        credentialsNowhere([env["AIRFLOW_PASSWORD"]]);
        await expectCleanPreview(e2e);
    });

    it.each(STATEFUL)("%s survives a restart and a kill -9: healthy again, data intact, secrets usable without a human", async (name) => {
        const container = `${PREFIX}-${name}`;
        run("docker", ["restart", container]);
        await everyServiceHealthy(90);
        await canariesIntact(env, ciAppRole, docker);
        killProcess(container);
        await waitFor(`${container} restarted after SIGKILL`, 30, () => health(container) !== "healthy");
        await everyServiceHealthy(90);
        await canariesIntact(env, ciAppRole, docker);
    });

    it("a replaced postgres container keeps its data, and the next preview is clean", async () => {
        const resources = (await e2e.stack.exportStack()).deployment.resources as { urn: string; type: string }[];
        const urn = resources.find((r) => r.type === "docker:index/container:Container" && r.urn.endsWith("::postgres"))?.urn;
        expect(urn).toBeDefined();
        const before = run("docker", ["inspect", "-f", "{{.Id}}", `${PREFIX}-postgres`]).trim();
        const up = await e2e.stack.up({ ...e2e.policy, replace: [urn as string] });
        expect(up.summary.resourceChanges?.["replace"]).toBe(1);
        expect(run("docker", ["inspect", "-f", "{{.Id}}", `${PREFIX}-postgres`]).trim()).not.toBe(before);
        await canariesIntact(env, ciAppRole, docker);
        expect(changesOf((await e2e.stack.preview({ ...e2e.policy })).changeSummary)).toEqual({});
    });

    it("a lost secrets volume stops up with what to do, and doing it brings the secrets server back", async () => {
        const urns = ((await e2e.stack.exportStack()).deployment.resources as { urn: string }[]).map((r) => r.urn);
        const lost = urns.filter(
            (u) => u.endsWith("docker:index/container:Container::vault") || u.endsWith("docker:index/volume:Volume::vault-data"),
        );
        expect(lost).toHaveLength(2);
        run("docker", ["rm", "-f", `${PREFIX}-vault`]);
        run("docker", ["volume", "rm", `${PREFIX}-vault-data`]);
        await e2e.stack.refresh({ target: lost });
        const stuck = await e2e.stack.up({ ...e2e.policy }).then(
            () => "succeeded",
            (err: unknown) => String(err),
        );
        expect(stuck).toMatch(/is not initialized, but this stack initialized it: its data volume was removed or replaced/);
        // What the message says to do.
        const init = urns.find((u) => u.includes("VaultInit::"));
        e2e.pulumi(["state", "delete", "--yes", "--target-dependents", init as string]);
        run("docker", ["rm", "-f", `${PREFIX}-vault-unsealer`]);
        const recovered = await e2e.stack.up({ ...e2e.policy });
        expect(recovered.summary.result).toBe("succeeded");
        ciAppRole = recovered.outputs["ciAppRole"]?.value as AppRole;
        await canariesIntact(env, ciAppRole, docker);
    });

    it("destroy removes every container and the network, and keeps exactly the data volumes", async () => {
        await e2e.stack.destroy();
        expect(run("docker", ["ps", "-aq", "--filter", LABEL]).trim()).toBe("");
        expect(attempt("docker", ["network", "inspect", PREFIX]).ok).toBe(false);
        const volumes = run("docker", ["volume", "ls", "-q", "--filter", LABEL]).split("\n").filter(Boolean).sort();
        // The data volumes, and Spark's work dir (its package cache): the README's list.
        expect(volumes).toEqual([...STATEFUL.map((s) => `${PREFIX}-${s}-data`), `${PREFIX}-spark-work`].sort());
    });
});
