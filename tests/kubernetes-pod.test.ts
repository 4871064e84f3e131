import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, resolve } from "./support/mocks";

beforeAll(() => {
    installMocks();
});

describe("pod identity", () => {
    it("parses uid[:gid] into runAsUser, runAsGroup and fsGroup, and defaults images without a user", async () => {
        const { podIdentity } = await import("../src/runtime/kubernetes-pod");
        expect(podIdentity("s", "70", 65532)).toEqual({ runAsUser: 70, runAsGroup: 70, fsGroup: 70 });
        expect(podIdentity("s", "100:1000", 65532)).toEqual({ runAsUser: 100, runAsGroup: 1000, fsGroup: 1000 });
        expect(podIdentity("s", undefined, 4242)).toEqual({ runAsUser: 4242, runAsGroup: 4242, fsGroup: 4242 });
    });

    it("refuses user names and root", async () => {
        const { podIdentity } = await import("../src/runtime/kubernetes-pod");
        expect(() => podIdentity("s", "postgres", 65532)).toThrow('service s: user "postgres" must be a numeric uid[:gid] on Kubernetes');
        expect(() => podIdentity("s", "0:0", 65532)).toThrow(
            'service s: user "0:0" is root, which the restricted Pod Security level refuses',
        );
    });
});

describe("probes and resources", () => {
    const check = { command: ["ok"], intervalSeconds: 5, timeoutSeconds: 2, retries: 2, startPeriodSeconds: 4 };

    it("never uses the same check for readiness and liveness, even without a port", async () => {
        const { livenessProbe, readinessProbe } = await import("../src/runtime/kubernetes-pod");
        expect(readinessProbe(check)).toEqual({
            exec: { command: ["ok"] },
            initialDelaySeconds: 4,
            periodSeconds: 5,
            timeoutSeconds: 2,
            failureThreshold: 2,
        });
        const liveness = livenessProbe(check, undefined);
        expect(liveness).toEqual({
            exec: { command: ["ok"] },
            initialDelaySeconds: 14,
            periodSeconds: 20,
            timeoutSeconds: 2,
            failureThreshold: 6,
        });
        expect(liveness).not.toEqual(readinessProbe(check));
    });

    it("rounds CPU requests to millicores, at least 1m", async () => {
        const { containerResources } = await import("../src/runtime/kubernetes-pod");
        expect(containerResources({ memoryMb: 65, cpus: 0.0001 })).toEqual({
            requests: { cpu: "1m", memory: "32Mi" },
            limits: { memory: "65Mi" },
        });
        expect(containerResources({ memoryMb: 1024, cpus: 1.25 })).toEqual({
            requests: { cpu: "1250m", memory: "512Mi" },
            limits: { memory: "1024Mi" },
        });
    });
});

describe("files and options", () => {
    it("gives files with the same name distinct, valid keys", async () => {
        const { keyFiles } = await import("../src/runtime/kubernetes-pod");
        const keys = keyFiles([
            { path: "/a/config.yml", content: "", secret: false },
            { path: "/b/config.yml", content: "", secret: false },
            { path: "/c/we ird", content: "", secret: true },
        ]).map((f) => f.key);
        expect(keys).toEqual(["config.yml", "config.yml-2", "we-ird"]);
    });

    it("digests files and credentials into a value that changes with them and is not secret", async () => {
        const { configHash } = await import("../src/runtime/kubernetes-pod");
        const file = { path: "/a", content: pulumi.secret("one"), secret: true, key: "a" };
        const first = await resolve(configHash([file], { TOKEN: pulumi.secret("t1") }));
        expect(first.secret).toBe(false);
        expect(first.value).toMatch(/^[0-9a-f]{64}$/);
        expect((await resolve(configHash([{ ...file, content: pulumi.secret("two") }], { TOKEN: pulumi.secret("t1") }))).value).not.toBe(
            first.value,
        );
        expect((await resolve(configHash([file], { TOKEN: pulumi.secret("t2") }))).value).not.toBe(first.value);
        expect((await resolve(configHash([file], { TOKEN: pulumi.secret("t1") }))).value).toBe(first.value);
    });

    it("retains data objects on delete exactly when protect is on, never protects them (destroy would fail)", async () => {
        const { dataOptions } = await import("../src/runtime/kubernetes");
        expect(dataOptions({ protect: true })).toEqual({ protect: false, retainOnDelete: true });
        expect(dataOptions({ protect: false })).toEqual({ protect: false, retainOnDelete: false });
    });

    it("labels the namespace for enforce, audit and warn at one level", async () => {
        const { podSecurityLabels } = await import("../src/runtime/kubernetes-network");
        expect(podSecurityLabels("baseline")).toEqual({
            "pod-security.kubernetes.io/enforce": "baseline",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/audit": "baseline",
            "pod-security.kubernetes.io/warn": "baseline",
        });
    });
});

describe("the DNS egress rule", () => {
    it("follows lakeforge:kubernetes.dns: another DNS namespace and labels, and address blocks such as NodeLocal DNSCache", async () => {
        const { baselinePolicies } = await import("../src/runtime/kubernetes-network");
        const { kubernetesSettingsSchema } = await import("../src/runtime/kubernetes-settings");
        const settings = kubernetesSettingsSchema.parse({
            dns: {
                namespace: "openshift-dns",
                podLabels: { "dns.operator.openshift.io/daemonset-dns": "default" },
                cidrs: ["169.254.20.10/32"],
            },
        });
        const dns = baselinePolicies(settings.dns).find((p) => p.name === "allow-dns");
        expect(JSON.parse(JSON.stringify(dns?.spec.egress))[0].to).toEqual([
            {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "openshift-dns" } },
                podSelector: { matchLabels: { "dns.operator.openshift.io/daemonset-dns": "default" } },
            },
            { ipBlock: { cidr: "169.254.20.10/32" } },
        ]);
        expect(kubernetesSettingsSchema.safeParse({ dns: { cidrs: ["169.254.20.10"] } }).success).toBe(false);
    });
});

describe("what the API server validates", () => {
    const everything = {
        "lakeforge:target": "kubernetes",
        "lakeforge:components": JSON.stringify({
            objectStore: { engine: "seaweedfs" },
            catalog: { enabled: true },
            queryEngine: { enabled: true, engines: ["trino", "spark"], sparkWorkers: 1 },
            metastore: { enabled: true },
            orchestrator: { enabled: true },
            modelRegistry: { enabled: true },
            logging: { enabled: true },
        }),
    };
    it.each(["kind", "prod", "everything"])(
        "%s: every container mounts each path once (the API server refuses a repeated mountPath)",
        async (stack) => {
            const { deployConfig, deployShipped, K8S } = await import("./support/deploy");
            const { at, ofType, podOf } = await import("./support/mocks");
            const { recorded } = stack === "everything" ? await deployConfig("dev", everything) : await deployShipped(stack);
            const workloads = [...ofType(recorded, K8S.statefulSet), ...ofType(recorded, K8S.deployment)];
            expect(workloads.length).toBeGreaterThan(3);
            for (const w of workloads) {
                for (const c of at(podOf(w), "containers") as { volumeMounts?: { mountPath: string }[] }[]) {
                    const paths = (c.volumeMounts ?? []).map((m) => m.mountPath);
                    expect(paths, `${w.name}: ${paths.join(", ")}`).toEqual([...new Set(paths)]);
                }
            }
        },
    );
});
