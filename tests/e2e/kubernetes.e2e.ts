import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { canariesIntact } from "./support/canaries";
import { appRoleLogin, DockerClient, s3, s3List, s3Outcome, s3RoundTrip, vault } from "./support/clients";
import {
    cluster,
    clusterReady,
    everyContainerRestartedSince,
    everyPodReady,
    KIND_OVERRIDES,
    KUBECONFIG,
    kubectl,
    podFile,
    podOf,
    replacePod,
    routed,
    tryKubectl,
} from "./support/cluster";
import { expectCredentialsNowhere, stackCredentials } from "./support/credentials";
import { consumerConfined } from "./support/database";
import { smoke } from "./support/lakehouse";
import { consumerS3, s3Identities } from "./support/objectStore";
import { vaultUnsealed, type AppRole } from "./support/secrets";
import { changesOf, coldUp, expectCleanPreview, openStack, REPO, run, tearDown, waitFor, type E2eStack } from "./support/stack";

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
let ciAppRole: AppRole;
const docker = new DockerClient();

/** A file inside the object store's pod. */
const seaweedfsFile = (file: string) => podFile(NS, podOf(NS, "seaweedfs"), file);

/** The canaries, once the services are routed again and Vault unsealed. */
async function canariesIntactOnceRouted(): Promise<void> {
    // A Ready pod is routed through its NodePort once kube-proxy has caught up, seconds later.
    await routed([env["DATABASE_URL"], env["S3_ENDPOINT"], env["VAULT_ADDR"], `http://${env["REGISTRY"]}`] as string[], 60);
    await vaultUnsealed(env["VAULT_ADDR"] as string, 120);
    await canariesIntact(env, ciAppRole, docker);
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

afterAll(() => tearDown(e2e, docker), 600_000);

describe.sequential("the kubernetes target (kind stack) on a real cluster, end to end", () => {
    it("previews the whole stack with the policy pack", async () => {
        const preview = await e2e.stack.preview({ ...e2e.policy });
        expect(preview.changeSummary["create"]).toBeGreaterThan(50);
    });

    it("comes up: every pod Ready in a restricted namespace, outputs on the NodePorts", async () => {
        ({ env, ciAppRole } = await coldUp(e2e, "kind e2e"));
        await everyPodReady(NS, 60);
        await vaultUnsealed(env["VAULT_ADDR"] as string, 60);
        const labels = JSON.parse(kubectl(["get", "namespace", NS, "-o", "jsonpath={.metadata.labels}"])) as Record<string, string>;
        expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
        expect(env["DATABASE_URL"]).toMatch(/@127\.0\.0\.1:30432\//);
        expect(env["S3_ENDPOINT"]).toBe("http://127.0.0.1:30900");
        expect(env["TRINO_URL"]).toBe("http://127.0.0.1:30880");
    });

    it("PostgreSQL: the consumer logs in to its own database and can do nothing else", async () => {
        await consumerConfined(env["DATABASE_URL"] as string);
    });

    it("Object store: the lake bucket and its prefixes exist; a wrong secret is refused", async () => {
        const client = consumerS3(env);
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
        const credentials = stackCredentials(env, ciAppRole, s3Identities(seaweedfsFile), []);
        expect(credentials.length).toBeGreaterThanOrEqual(5);
        expectCredentialsNowhere(e2e, credentials, [
            {
                text: kubectl(["-n", NS, "get", "configmaps,pods,deployments,statefulsets,services", "-o", "yaml"]),
                finding: "a credential in a ConfigMap or a pod spec",
            },
            { text: run("ps", ["-eo", "args"]), finding: "a credential in a process's arguments on the node" },
        ]);
    });

    it("a second preview proposes no change", () => expectCleanPreview(e2e));

    it("refresh finds no drift", async () => {
        const refresh = await e2e.stack.refresh();
        expect(changesOf(refresh.summary.resourceChanges), refresh.stdout).toEqual({});
        await expectCleanPreview(e2e);
    });

    it.each(STATEFUL)("a deleted %s pod comes back: data intact, secrets usable without a human", async (service) => {
        await replacePod(NS, service, 240);
        await canariesIntactOnceRouted();
    });

    it("a node restart (every container killed, containerd and the kubelet restarted) brings everything back unattended", async () => {
        const started = Date.now();
        cluster(["restart-node"]);
        // Usually back in 190-200 s. A pod whose container failed while what it needs was still coming
        // back waits out the kubelet's crash-loop back-off, doubling from 10 s to at most 300 s: the
        // budget leaves room for one such wait at its longest (one run in four timed out at 420 s on a
        // loaded machine; which container lagged was not recorded then, and is named now if it recurs).
        await everyContainerRestartedSince(NS, started, 600);
        await everyPodReady(NS, 600);
        await canariesIntactOnceRouted();
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

/** Whether the engine has a resource plugin at exactly the version the npm package asks for. */
function pluginInstalled(name: string, version: string): boolean {
    const plugins = JSON.parse(run("pulumi", ["plugin", "ls", "--json"])) as { kind: string; name: string; version: string }[];
    return plugins.some((p) => p.kind === "resource" && p.name === name && p.version === version);
}

describe.sequential("the prod stack against the real API server", () => {
    it("previews with the policy pack against the cluster: no error, no policy violation (but the tag-only SeaweedFS where MinIO has no plugin)", async () => {
        const prod = await openStack("prod");
        try {
            await prod.stack.setConfig("lakeforge:kubernetes.kubeconfig", { value: KUBECONFIG }, true);
            await prod.stack.setConfig(
                "lakeforge:kubernetes.context",
                { value: KIND_OVERRIDES["lakeforge:kubernetes.context"] as string },
                true,
            );
            // The MinIO provider (AGPL) has no plugin on this machine; the prod policy refuses the
            // tag-only SeaweedFS image that replaces it, and nothing else may be refused.
            const minio = (
                JSON.parse(fs.readFileSync(path.join(REPO, "node_modules/@pulumi/minio/package.json"), "utf8")) as { version: string }
            ).version;
            const withMinio = pluginInstalled("minio", minio);
            if (!withMinio) {
                console.log(`kind e2e: NO MINIO PLUGIN v${minio}: the prod preview runs with objectStore.engine seaweedfs`);
                await prod.stack.setConfig("lakeforge:components.objectStore.engine", { value: "seaweedfs" }, true);
                await prod.stack.removeConfig("lakeforge:components.objectStore.image", true);
            }
            const outcome = await prod.stack.preview({ ...prod.policy, diff: true }).then(
                (preview) => ({ ok: true, stdout: preview.stdout, creates: preview.changeSummary["create"] ?? 0 }),
                (err: unknown) => ({ ok: false, stdout: String(err), creates: 0 }),
            );
            // Each finding once (a failed preview's error repeats its output).
            const violations = [
                ...new Set(
                    [...outcome.stdout.matchAll(/\[mandatory\](?: \[severity: \w+\])?\s+(\S+)\s+\(([^)]*)\)/g)].map(
                        (m) => `${m[1]} (${m[2]})`,
                    ),
                ),
            ];
            if (withMinio) {
                expect(outcome.ok, outcome.stdout).toBe(true);
                expect(outcome.creates).toBeGreaterThan(30);
            } else {
                expect(violations, outcome.stdout).toEqual(["image-pinned-by-digest (kubernetes:apps/v1:StatefulSet: seaweedfs)"]);
            }
            // No other error: the API server, the providers and the program accepted the rest.
            expect(outcome.stdout).not.toMatch(/^\s*error: (?!preview failed)/im);
        } finally {
            prod.cleanup();
        }
    });
});
