import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "vitest";
import { connects } from "../../../src/runtime/reachable";
import { attempt, REPO, run, waitFor } from "./stack";

/* The local cluster of scripts/cluster as the kubernetes end-to-end tier drives it. */

/** The cluster script's kubeconfig (LAKEFORGE_CLUSTER_CACHE as cluster.sh reads it). */
export const KUBECONFIG = path.join(
    process.env["LAKEFORGE_CLUSTER_CACHE"] ??
        path.join(process.env["XDG_CACHE_HOME"] ?? path.join(os.homedir(), ".cache"), "lakeforge", "cluster"),
    "kubeconfig",
);

const CLUSTER_SH = path.join(REPO, "scripts", "cluster", "cluster.sh");

/** What the tier changes in Pulumi.kind.yaml on this machine (tests/e2e/kind/overrides.json). */
export const KIND_OVERRIDES = (
    JSON.parse(fs.readFileSync(path.join(REPO, "tests", "e2e", "kind", "overrides.json"), "utf8")) as { config: Record<string, string> }
).config;

/** Runs `cluster.sh` (kubectl, restart-node, ...) and returns its stdout. */
export function cluster(args: readonly string[], input?: string): string {
    return run("bash", [CLUSTER_SH, ...args], input);
}

/** kubectl against the local cluster. */
export function kubectl(args: readonly string[], input?: string): string {
    return cluster(["kubectl", ...args], input);
}

/** kubectl that may fail, with its output. */
export function tryKubectl(args: readonly string[]): { ok: boolean; output: string } {
    return attempt("bash", [CLUSTER_SH, "kubectl", ...args]);
}

/** Whether the API server answers `/readyz`. */
export function clusterReady(): boolean {
    return fs.existsSync(KUBECONFIG) && tryKubectl(["get", "--raw", "/readyz"]).ok;
}

/** Every pod of the namespace Ready, and its StatefulSets and Deployments rolled out, within `seconds`. */
export async function everyPodReady(namespace: string, seconds: number): Promise<void> {
    await waitFor(`every pod in ${namespace} Ready`, seconds, () => {
        const pods = JSON.parse(kubectl(["-n", namespace, "get", "pods", "-o", "json"])) as {
            items: { metadata: { name: string }; status: { conditions?: { type: string; status: string }[] } }[];
        };
        return (
            pods.items.length > 0 && pods.items.every((p) => p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
        );
    });
}

/** A file's content inside the first container of a pod. */
export function podFile(namespace: string, pod: string, file: string): string {
    return kubectl(["-n", namespace, "exec", pod, "--", "cat", file]);
}

/** kubectl's arguments for one field of the first pod of a workload (by the runtime's `app.kubernetes.io/name` label). */
function firstPodField(namespace: string, service: string, field: string): string[] {
    return ["-n", namespace, "get", "pods", "-l", `app.kubernetes.io/name=${service}`, "-o", `jsonpath={.items[0].${field}}`];
}

/** The name of the pod of a workload (by the runtime's `app.kubernetes.io/name` label). */
export function podOf(namespace: string, service: string): string {
    const name = kubectl(firstPodField(namespace, service, "metadata.name")).trim();
    expect(name, `a pod of ${service}`).not.toBe("");
    return name;
}

/** Deletes a pod and waits until its replacement (a new uid) is Ready. */
export async function replacePod(namespace: string, service: string, seconds: number): Promise<void> {
    const uid = (p: string) => kubectl(["-n", namespace, "get", "pod", p, "-o", "jsonpath={.metadata.uid}"]).trim();
    const pod = podOf(namespace, service);
    const before = uid(pod);
    kubectl(["-n", namespace, "delete", "pod", pod, "--wait=true"]);
    await waitFor(`a new ${service} pod`, seconds, () => {
        const now = tryKubectl(firstPodField(namespace, service, "metadata.uid"));
        return now.ok && now.output.trim() !== "" && now.output.trim() !== before;
    });
    await everyPodReady(namespace, seconds);
}

/** Every container of the namespace's pods started after `since` (ms since the epoch), within `seconds`; a timeout names the laggards. */
export async function everyContainerRestartedSince(namespace: string, since: number, seconds: number): Promise<void> {
    type Status = { name: string; state?: { running?: { startedAt?: string }; waiting?: { reason?: string } } };
    let lagging: string[] = [];
    await waitFor(`every container in ${namespace} started again`, seconds, () => {
        const pods = JSON.parse(kubectl(["-n", namespace, "get", "pods", "-o", "json"])) as {
            items: { metadata: { name: string }; status: { containerStatuses?: Status[] } }[];
        };
        lagging = pods.items.flatMap((p) =>
            (p.status.containerStatuses ?? [])
                .filter((c) => !(Date.parse(c.state?.running?.startedAt ?? "") > since))
                .map(
                    (c) =>
                        `${p.metadata.name}/${c.name} (${c.state?.waiting?.reason ?? (c.state?.running ? "not restarted" : "not running")})`,
                ),
        );
        return lagging.length === 0;
    }).catch((err: Error) => {
        throw new Error(`${err.message}; still waiting for: ${lagging.join(", ")}`);
    });
}

/** Each address accepts a TCP connection (the node's proxy routes it again), within `seconds`. */
export async function routed(urls: readonly string[], seconds: number): Promise<void> {
    for (const url of urls) {
        const { hostname, port } = new URL(url);
        await waitFor(`${hostname}:${port} routed`, seconds, () => connects(hostname, Number(port)));
    }
}
