import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { appRoleLogin, DockerClient, s3, s3List, s3Outcome, s3Read, s3RoundTrip, sql, sqlRefusal, vault } from "./support/clients";
import {
    cluster,
    clusterReady,
    everyPodReady,
    KIND_OVERRIDES,
    KUBECONFIG,
    kubectl,
    podFile,
    podOf,
    replacePod,
    tryKubectl,
} from "./support/cluster";
import { smoke } from "./support/lakehouse";
import { changesOf, openStack, run, waitFor, type E2eStack } from "./support/stack";

/*
 * The kubernetes target for real: `Pulumi.kind.yaml` with tests/e2e/kind/overrides.json on the
 * single-node cluster of scripts/cluster (a real API server with Pod Security admission and
 * NetworkPolicies, a real kubelet, local-path volumes, NodePorts on 127.0.0.1).
 */
const NS = "lakeforge";
const STATEFUL = ["postgres", "seaweedfs", "vault", "registry"] as const;
const CANARY_IMAGE = "lakeforge-e2e/debian:bookworm";

let e2e: E2eStack;
let env: Record<string, string>;
let ciAppRole: { roleId: string; secretId: string };
const docker = new DockerClient();

async function vaultUnsealed(seconds: number): Promise<void> {
    await waitFor("vault unsealed by the unsealer", seconds, async () => {
        const status = await vault(env["VAULT_ADDR"] as string, "GET", "sys/seal-status").catch(() => undefined);
        return status?.body["sealed"] === false;
    });
}

function identities(): { name: string; credentials: { accessKey: string; secretKey: string }[] }[] {
    const file = podFile(NS, podOf(NS, "seaweedfs"), "/etc/seaweedfs/lakeforge-s3.json");
    return (JSON.parse(file) as { identities: { name: string; credentials: { accessKey: string; secretKey: string }[] }[] }).identities;
}

function consumerS3() {
    return s3(env["S3_ENDPOINT"] as string, env["AWS_ACCESS_KEY_ID"] as string, env["AWS_SECRET_ACCESS_KEY"] as string);
}

async function canariesIntact(): Promise<void> {
    await vaultUnsealed(120);
    expect(await sql(env["DATABASE_URL"] as string, "SELECT v FROM canary")).toEqual([{ v: "alive" }]);
    expect(await s3Read(consumerS3(), "lake", "bronze/canary.txt")).toBe("alive");
    const token = await appRoleLogin(env["VAULT_ADDR"] as string, ciAppRole.roleId, ciAppRole.secretId);
    const read = await vault(env["VAULT_ADDR"] as string, "GET", "lakeforge/data/client-env", token);
    expect(read.status).toBe(200);
    expect((read.body["data"] as { data: Record<string, string> }).data).toEqual(env);
    expect(docker.pull(`${env["REGISTRY"]}/canary:1`).ok).toBe(true);
}

beforeAll(async () => {
    if (!clusterReady()) {
        throw new Error(`no cluster answers at ${KUBECONFIG}: start it with \`bash scripts/cluster/cluster.sh up\` (as root)`);
    }
    if (tryKubectl(["get", "namespace", NS]).ok) kubectl(["delete", "namespace", NS, "--wait=true", "--timeout=180s"]);
    e2e = await openStack("kind");
    await e2e.stack.setConfig("lakeforge:kubernetes.kubeconfig", { value: KUBECONFIG }, true);
    for (const [key, value] of Object.entries(KIND_OVERRIDES)) await e2e.stack.setConfig(key, { value }, true);
}, 300_000);

afterAll(async () => {
    if (process.env["LAKEFORGE_E2E_KEEP"] === "1") return;
    await e2e?.stack.destroy().catch(() => undefined);
    docker.cleanup();
    e2e?.cleanup();
}, 600_000);

describe.sequential("the kubernetes target (kind stack) on a real cluster, end to end", () => {
    it("previews the whole stack with the policy pack", async () => {
        const preview = await e2e.stack.preview({ ...e2e.policy });
        expect(preview.changeSummary["create"]).toBeGreaterThan(50);
    });

    it("comes up: every pod Ready in a restricted namespace, outputs on the NodePorts", async () => {
        const started = Date.now();
        const up = await e2e.stack.up({ ...e2e.policy });
        console.log(`kind e2e: cold up took ${((Date.now() - started) / 1000).toFixed(1)} s`);
        expect(up.summary.result).toBe("succeeded");
        env = up.outputs["clientEnv"]?.value as Record<string, string>;
        ciAppRole = up.outputs["ciAppRole"]?.value as { roleId: string; secretId: string };
        expect(up.outputs["clientEnv"]?.secret).toBe(true);
        await everyPodReady(NS, 60);
        await vaultUnsealed(60);
        const labels = JSON.parse(kubectl(["get", "namespace", NS, "-o", "jsonpath={.metadata.labels}"])) as Record<string, string>;
        expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
        expect(env["DATABASE_URL"]).toMatch(/@127\.0\.0\.1:30432\//);
        expect(env["S3_ENDPOINT"]).toBe("http://127.0.0.1:30900");
        expect(env["TRINO_URL"]).toBe("http://127.0.0.1:30880");
    });

    it("PostgreSQL: the consumer logs in to its own database and can do nothing else", async () => {
        const url = env["DATABASE_URL"] as string;
        await sql(url, "CREATE TABLE canary (v text); INSERT INTO canary VALUES ('alive')");
        expect(await sql(url, "SELECT current_user AS u")).toEqual([{ u: "lakehouse" }]);
        expect(await sqlRefusal(url, "CREATE DATABASE stolen")).toMatch(/permission denied to create database/);
        const wrong = new URL(url);
        wrong.password = "not-the-password";
        expect(await sqlRefusal(wrong.toString(), "SELECT 1")).toMatch(/password authentication failed/);
    });

    it("Object store: the lake bucket and its prefixes exist; a wrong secret is refused", async () => {
        const client = consumerS3();
        expect(await s3RoundTrip(client, "lake", "bronze/canary.txt", "alive")).toBe("alive");
        expect(await s3List(client, "lake", "")).toEqual(["bronze/.keep", "bronze/canary.txt", "gold/.keep", "silver/.keep"]);
        expect(await s3Outcome(client.send(new PutObjectCommand({ Bucket: "registry", Key: "x.txt", Body: "x" })))).not.toBe("ok");
        const wrong = s3(env["S3_ENDPOINT"] as string, env["AWS_ACCESS_KEY_ID"] as string, "not-the-secret");
        expect(await s3Outcome(s3List(wrong, "lake", "bronze/"))).toBe("SignatureDoesNotMatch");
    });

    it("Secrets: the CI AppRole reads client-env and nothing more", async () => {
        const address = env["VAULT_ADDR"] as string;
        const token = await appRoleLogin(address, ciAppRole.roleId, ciAppRole.secretId);
        const read = await vault(address, "GET", "lakeforge/data/client-env", token);
        expect((read.body["data"] as { data: Record<string, string> }).data).toEqual(env);
        expect((await vault(address, "GET", "lakeforge/data/database/admin", token)).status).toBe(403);
        expect((await vault(address, "GET", "lakeforge/data/client-env")).status).toBe(403);
    });

    it("Registry: push and pull through the NodePort with the generated credentials, refused without them", () => {
        const registry = env["REGISTRY"] as string;
        const image = `${registry}/canary:1`;
        expect(docker.push(CANARY_IMAGE, image).ok).toBe(false);
        expect(docker.login(registry, env["REGISTRY_USERNAME"] as string, env["REGISTRY_PASSWORD"] as string).ok).toBe(true);
        expect(docker.push(CANARY_IMAGE, image).ok).toBe(true);
        expect(docker.pull(image).ok).toBe(true);
    });

    it("the smoke test passes: a table through the catalog, written by Trino, read by Spark and back", () => {
        smoke(env);
    });

    it("keeps every credential out of the state's plaintext, ConfigMaps, pod specs and the node's process arguments", () => {
        const credentials = [
            env["PGPASSWORD"],
            env["AWS_SECRET_ACCESS_KEY"],
            env["REGISTRY_PASSWORD"],
            env["ICEBERG_JDBC_PASSWORD"],
            ciAppRole.secretId,
            ...identities().flatMap((i) => i.credentials.map((c) => c.secretKey)),
        ].filter((c): c is string => typeof c === "string" && c.length >= 16);
        expect(credentials.length).toBeGreaterThanOrEqual(5);
        const state = e2e.exportEncrypted();
        expect(state).toContain("ciphertext");
        const objects = kubectl(["-n", NS, "get", "configmaps,pods,deployments,statefulsets,services", "-o", "yaml"]);
        const processes = run("ps", ["-eo", "args"]);
        for (const secret of credentials) {
            expect(state.includes(secret), "a credential in plaintext in the state").toBe(false);
            expect(objects.includes(secret), "a credential in a ConfigMap or a pod spec").toBe(false);
            expect(processes.includes(secret), "a credential in a process's arguments on the node").toBe(false);
        }
    });

    it("a second preview proposes no change", async () => {
        const preview = await e2e.stack.preview({ ...e2e.policy, diff: true });
        expect(changesOf(preview.changeSummary), preview.stdout).toEqual({});
    });

    it("refresh finds no drift", async () => {
        const refresh = await e2e.stack.refresh();
        expect(changesOf(refresh.summary.resourceChanges), refresh.stdout).toEqual({});
        const preview = await e2e.stack.preview({ ...e2e.policy, diff: true });
        expect(changesOf(preview.changeSummary), preview.stdout).toEqual({});
    });

    it.each(STATEFUL)("a deleted %s pod comes back: data intact, secrets usable without a human", async (service) => {
        await replacePod(NS, service, 240);
        await canariesIntact();
    });

    it("a node restart (every container killed, containerd and the kubelet restarted) brings everything back unattended", async () => {
        const started = Date.now();
        cluster(["restart-node"]);
        await everyPodReady(NS, 420);
        await canariesIntact();
        console.log(`kind e2e: back after a node restart in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        expect(changesOf((await e2e.stack.preview({ ...e2e.policy })).changeSummary)).toEqual({});
    });

    it("destroy removes the namespace and, with protect: false, its volume claims and volumes", async () => {
        const volumes = () =>
            (JSON.parse(kubectl(["get", "pv", "-o", "json"])) as { items: { spec: { claimRef?: { namespace?: string } } }[] }).items.filter(
                (pv) => pv.spec.claimRef?.namespace === NS,
            ).length;
        expect(volumes()).toBeGreaterThanOrEqual(STATEFUL.length);
        await e2e.stack.destroy();
        await waitFor(`namespace ${NS} gone`, 180, () => !tryKubectl(["get", "namespace", NS]).ok);
        await waitFor("its volumes released and deleted", 180, () => volumes() === 0);
    });
});

describe.sequential("the prod stack against the real API server", () => {
    it("previews with the policy pack: every object accepted by the API server's dry run", async () => {
        const prod = await openStack("prod");
        try {
            await prod.stack.setConfig("lakeforge:kubernetes.kubeconfig", { value: KUBECONFIG }, true);
            await prod.stack.setConfig(
                "lakeforge:kubernetes.context",
                { value: KIND_OVERRIDES["lakeforge:kubernetes.context"] as string },
                true,
            );
            const preview = await prod.stack.preview({ ...prod.policy, diff: true });
            expect(preview.changeSummary["create"], preview.stdout).toBeGreaterThan(30);
            expect(preview.stdout).not.toMatch(/mandatory policy violation|error:/i);
        } finally {
            prod.cleanup();
        }
    });
});
