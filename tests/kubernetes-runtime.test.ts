import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { KubernetesSettings } from "../src/runtime/kubernetes-settings";
import type { DeployedService, ServiceSpec } from "../src/runtime/spec";
import type { EndpointInfo } from "../src/types";
import { K8S } from "./support/deploy";
import { at, installMocks, isSecretInput, one, ofType, plain, podOf, resolve, sentOptions, settle, type Recorded } from "./support/mocks";

const T = K8S;

/** A service with every feature of the seam: secret env, both kinds of file, two ports, a volume. */
function fullSpec(name: string, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
    return {
        name,
        image: "example/svc:1.2.3",
        command: ["serve", "--port", "8080"],
        env: { MODE: "test", A_FIRST: "1" },
        secretEnv: { TOKEN: pulumi.secret("s3cr3t-token") },
        files: [
            { path: "/etc/svc/config.yml", content: "x: 1\n", secret: false },
            { path: "/run/secrets/password", content: pulumi.secret("s3cr3t-file"), secret: true },
        ],
        ports: [
            { name: "api", port: 8080, scheme: "http", publishAs: "registry" },
            { name: "metrics", port: 9090, scheme: "http" },
        ],
        volumes: [{ name: "data", path: "/var/lib/svc" }],
        healthCheck: { command: ["true"], intervalSeconds: 7, timeoutSeconds: 3, retries: 4, startPeriodSeconds: 11 },
        resources: { memoryMb: 300, cpus: 0.5 },
        user: "1000:2000",
        capabilities: ["NET_BIND_SERVICE"],
        readOnlyRootFilesystem: true,
        ...overrides,
    };
}

/** A stateless service that names no user (the image would start as root). */
function statelessSpec(name: string): ServiceSpec {
    return fullSpec(name, { secretEnv: {}, files: [], volumes: [], user: undefined, capabilities: [], readOnlyRootFilesystem: false });
}

let recorded: Recorded[];
const options = sentOptions;
const services: Record<string, DeployedService> = {};
let deployWith: (
    settings: Partial<KubernetesSettings> & Record<string, unknown>,
    spec: ServiceSpec,
    parent?: pulumi.Resource,
) => DeployedService;

/** The resolved endpoint of one port. */
async function endpointOf(service: string, port: string): Promise<EndpointInfo> {
    return (await resolve((services[service] as DeployedService).endpoint(port))).value;
}

beforeAll(async () => {
    recorded = installMocks();
    const k8s = await import("@pulumi/kubernetes");
    const { KubernetesRuntime } = await import("../src/runtime/kubernetes");
    const { kubernetesSettingsSchema } = await import("../src/runtime/kubernetes-settings");
    const provider = new k8s.Provider("kubernetes", {});
    const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: "lf" } }, { provider });
    const plainParent = new pulumi.ComponentResource("test:index:Parent", "parent");
    // A caller may protect a whole component; only its data should stay protected.
    const protectedParent = new pulumi.ComponentResource("test:index:Parent", "protected", {}, { protect: true });
    deployWith = (raw, spec, parent = plainParent) =>
        new KubernetesRuntime({ settings: kubernetesSettingsSchema.parse({ namespace: "lf", ...raw }), provider, namespace }).deploy(
            spec,
            parent,
        );

    services["svc"] = deployWith({ storageClass: "fast", volumeSize: "3Gi" }, fullSpec("svc"));
    services["plain"] = deployWith({}, statelessSpec("plain"));
    services["sized"] = deployWith(
        { volumeSizes: { postgres: "50Gi" }, protect: true },
        fullSpec("postgres", { ports: [{ name: "pg", port: 5432, scheme: "postgresql", publishAs: "database" }] }),
        protectedParent,
    );
    services["lb"] = deployWith(
        {
            adminAccess: "loadBalancer",
            adminHosts: { registry: "registry.internal.example.com" },
            adminServiceAnnotations: { "networking.example.com/internal": "true" },
        },
        statelessSpec("lb"),
    );
    services["incluster"] = deployWith({ adminAccess: "inCluster", adminNamespaces: ["ci"] }, statelessSpec("incluster"));
    services["ext"] = deployWith(
        { adminAccess: "external", adminEndpoints: { registry: { host: "registry.example.com", port: 443 } } },
        statelessSpec("ext"),
    );
    await resolve((services["svc"] as DeployedService).endpoint("api"));
    await settle();
});

describe("KubernetesRuntime workloads", () => {
    it("runs a service with volumes as a StatefulSet with one claim per volume and one without as a Deployment", () => {
        const sts = at(one(recorded, T.statefulSet, "svc").inputs["spec"]);
        // Its governing Service is headless, so each pod has its own DNS name.
        expect(at(sts, "serviceName")).toBe("svc-pods");
        expect(plain(one(recorded, T.service, "svc-pods").inputs["spec"])).toMatchObject({
            clusterIP: "None",
            publishNotReadyAddresses: true,
        });
        expect(at(sts, "replicas")).toBe(1);
        expect(at(sts, "volumeClaimTemplates")).toEqual([
            {
                metadata: {
                    name: "data",
                    labels: {
                        "app.kubernetes.io/name": "svc",
                        "app.kubernetes.io/part-of": "lakeforge",
                        "app.kubernetes.io/managed-by": "pulumi",
                    },
                },
                spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "3Gi" } } },
            },
        ]);
        expect(at(sts, "persistentVolumeClaimRetentionPolicy")).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
        expect(
            ofType(recorded, T.statefulSet)
                .map((r) => r.name)
                .sort(),
        ).toEqual(["postgres", "svc"]);
        expect(
            ofType(recorded, T.deployment)
                .map((r) => r.name)
                .sort(),
        ).toEqual(["ext", "incluster", "lb", "plain"]);
    });

    it("takes a per-service volume size over the default and leaves the storage class to the cluster when unset", () => {
        expect(at(one(recorded, T.statefulSet, "postgres").inputs, "spec", "volumeClaimTemplates", 0, "spec")).toEqual({
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: "50Gi" } },
        });
    });

    it("retains StatefulSets on delete only when protect is on", () => {
        expect(options.get(`${T.statefulSet}::postgres`)).toEqual({ protect: false, retainOnDelete: true });
        expect(options.get(`${T.statefulSet}::svc`)).toEqual({ protect: false, retainOnDelete: false });
        // Config objects and Services are recreated from state at no cost: unprotected even under a protected parent.
        expect(options.get(`${T.service}::postgres`)).toEqual({ protect: false, retainOnDelete: undefined });
        expect(options.get(`${T.secret}::postgres-files`)).toEqual({ protect: false, retainOnDelete: undefined });
    });

    it("runs the pod non-root with the spec's uid:gid, no escalation, ALL dropped and RuntimeDefault seccomp", () => {
        const pod = podOf(one(recorded, T.statefulSet, "svc"));
        expect(at(pod, "securityContext")).toEqual({
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 2000,
            fsGroup: 2000,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(at(pod, "containers", 0, "securityContext")).toEqual({
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(at(pod, "automountServiceAccountToken")).toBe(false);
        expect(at(pod, "enableServiceLinks")).toBe(false);
    });

    it("gives images without a user the default non-root uid, fsGroup and a HOME", () => {
        const pod = podOf(one(recorded, T.deployment, "plain"));
        expect(at(pod, "securityContext")).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
        const container = at(pod, "containers", 0);
        expect(at(container, "env")).toEqual([
            { name: "A_FIRST", value: "1" },
            { name: "HOME", value: "/tmp" },
            { name: "MODE", value: "test" },
        ]);
        expect(at(container, "securityContext")).toMatchObject({ readOnlyRootFilesystem: false, capabilities: { drop: ["ALL"] } });
        expect(at(pod, "volumes")).toEqual([]);
    });

    it("uses the health command for readiness and a different, slower TCP check for liveness", () => {
        const container = at(podOf(one(recorded, T.statefulSet, "svc")), "containers", 0);
        expect(at(container, "readinessProbe")).toEqual({
            exec: { command: ["true"] },
            initialDelaySeconds: 11,
            periodSeconds: 7,
            timeoutSeconds: 3,
            failureThreshold: 3,
        });
        expect(at(container, "livenessProbe")).toEqual({
            tcpSocket: { port: 8080 },
            initialDelaySeconds: 39,
            periodSeconds: 28,
            timeoutSeconds: 3,
            failureThreshold: 6,
        });
        expect(at(container, "livenessProbe")).not.toEqual(at(container, "readinessProbe"));
    });

    it("requests the CPUs and half the memory, and limits memory only", () => {
        const container = at(podOf(one(recorded, T.statefulSet, "svc")), "containers", 0);
        expect(at(container, "resources")).toEqual({ requests: { cpu: "500m", memory: "150Mi" }, limits: { memory: "300Mi" } });
        expect(at(container, "args")).toEqual(["serve", "--port", "8080"]);
        expect(at(container, "command")).toBeUndefined();
    });
});

describe("KubernetesRuntime credentials and files", () => {
    it("puts secret env in a Secret and refers to it with secretKeyRef, never as a literal value", () => {
        const secret = one(recorded, T.secret, "svc-env");
        expect(isSecretInput(secret.inputs["stringData"])).toBe(true);
        expect(plain(secret.inputs["stringData"])).toEqual({ TOKEN: "s3cr3t-token" });
        const env = at(podOf(one(recorded, T.statefulSet, "svc")), "containers", 0, "env");
        expect(env).toEqual([
            { name: "A_FIRST", value: "1" },
            { name: "MODE", value: "test" },
            { name: "TOKEN", valueFrom: { secretKeyRef: { name: "svc-env", key: "TOKEN" } } },
        ]);
    });

    it("mounts secret files from a Secret and other files from a ConfigMap, each at its path", () => {
        const files = one(recorded, T.secret, "svc-files");
        expect(isSecretInput(files.inputs["stringData"])).toBe(true);
        expect(plain(files.inputs["stringData"])).toEqual({ password: "s3cr3t-file" });
        expect(one(recorded, T.configMap, "svc-config").inputs["data"]).toEqual({ "config.yml": "x: 1\n" });
        const pod = podOf(one(recorded, T.statefulSet, "svc"));
        expect(at(pod, "volumes")).toEqual([
            { name: "secret-files", secret: { secretName: "svc-files", defaultMode: 0o440 } },
            { name: "config-files", configMap: { name: "svc-config", defaultMode: 0o444 } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ]);
        expect(at(pod, "containers", 0, "volumeMounts")).toEqual([
            { name: "config-files", mountPath: "/etc/svc/config.yml", subPath: "config.yml", readOnly: true },
            { name: "secret-files", mountPath: "/run/secrets/password", subPath: "password", readOnly: true },
            { name: "data", mountPath: "/var/lib/svc" },
            { name: "tmp", mountPath: "/tmp" },
        ]);
    });

    it("creates no Secret or ConfigMap for a service without credentials or files", () => {
        const names = [...ofType(recorded, T.secret), ...ofType(recorded, T.configMap)].map((r) => r.name);
        expect(names.filter((n) => n.startsWith("plain"))).toEqual([]);
    });

    it("annotates the pod template with the digest of its files and credentials", () => {
        expect(
            at(one(recorded, T.statefulSet, "svc").inputs, "spec", "template", "metadata", "annotations", "lakeforge.dev/config-sha256"),
        ).toMatch(/^[0-9a-f]{64}$/);
    });
});

describe("KubernetesRuntime services and endpoints", () => {
    it("exposes every port on a ClusterIP Service named after the service, reached through cluster DNS", async () => {
        expect(one(recorded, T.service, "svc").inputs["spec"]).toEqual({
            type: "ClusterIP",
            selector: { "app.kubernetes.io/name": "svc", "app.kubernetes.io/part-of": "lakeforge" },
            ports: [
                { name: "api", port: 8080, targetPort: 8080, protocol: "TCP" },
                { name: "metrics", port: 9090, targetPort: 9090, protocol: "TCP" },
            ],
        });
        expect(await endpointOf("svc", "metrics")).toEqual({
            scheme: "http",
            internal: { host: "svc.lf.svc.cluster.local", port: 9090 },
            external: { host: "svc.lf.svc.cluster.local", port: 9090 },
        });
        expect(() => (services["svc"] as DeployedService).endpoint("nope")).toThrow('service svc has no port named "nope"');
    });

    it("nodePort: a separate NodePort Service for published ports only, reached on the node address", async () => {
        expect(one(recorded, T.service, "svc-admin").inputs["spec"]).toEqual({
            type: "NodePort",
            selector: { "app.kubernetes.io/name": "svc", "app.kubernetes.io/part-of": "lakeforge" },
            ports: [{ name: "api", port: 8080, targetPort: 8080, protocol: "TCP", nodePort: 30500 }],
        });
        expect((await endpointOf("svc", "api")).external).toEqual({ host: "127.0.0.1", port: 30500 });
        expect((await endpointOf("sized", "pg")).external).toEqual({ host: "127.0.0.1", port: 30432 });
    });

    it("loadBalancer: a separate LoadBalancer Service with the configured annotations and host", async () => {
        const admin = one(recorded, T.service, "lb-admin");
        expect(admin.inputs["metadata"]).toMatchObject({ name: "lb-admin", annotations: { "networking.example.com/internal": "true" } });
        expect(admin.inputs["spec"]).toMatchObject({
            type: "LoadBalancer",
            ports: [{ name: "api", port: 8080, targetPort: 8080, protocol: "TCP" }],
        });
        expect((await endpointOf("lb", "api")).external).toEqual({ host: "registry.internal.example.com", port: 8080 });
    });

    it("inCluster and external: no admin Service; the ClusterIP address or the configured one", async () => {
        expect(
            ofType(recorded, T.service)
                .map((r) => r.name)
                .filter((n) => n.endsWith("-admin"))
                .sort(),
        ).toEqual(["lb-admin", "plain-admin", "postgres-admin", "svc-admin"]);
        expect((await endpointOf("incluster", "api")).external).toEqual({ host: "incluster.lf.svc.cluster.local", port: 8080 });
        expect((await endpointOf("ext", "api")).external).toEqual({ host: "registry.example.com", port: 443 });
    });

    it("waits for the workload, every Service and this machine reaching each published port before bootstrap", () => {
        expect((services["svc"] as DeployedService).ready).toHaveLength(4);
        expect((services["incluster"] as DeployedService).ready).toHaveLength(3);
        // One gate per published port, on the address the bootstrap providers connect to.
        const gate = (name: string) => plain(one(recorded, "pulumi-nodejs:dynamic/lakeforge:Reachable", `${name}-api-reachable`).inputs);
        expect(gate("svc")).toMatchObject({ host: "127.0.0.1", port: 30500 });
        expect(gate("incluster")).toMatchObject({ host: "incluster.lf.svc.cluster.local", port: 8080 });
        expect(gate("ext")).toMatchObject({ host: "registry.example.com", port: 443 });
        expect(recorded.filter((r) => r.name === "svc-metrics-reachable")).toEqual([]);
    });
});

describe("KubernetesRuntime network policies", () => {
    const fromPlatform = (ports: number[]) => ({ from: [{ podSelector: {} }], ports: ports.map((port) => ({ protocol: "TCP", port })) });

    it("admits platform pods to every port and anyone to the published ports when they go through a node or load balancer", () => {
        expect(one(recorded, T.policy, "svc").inputs["spec"]).toEqual({
            podSelector: { matchLabels: { "app.kubernetes.io/name": "svc" } },
            policyTypes: ["Ingress"],
            ingress: [fromPlatform([8080, 9090]), { ports: [{ protocol: "TCP", port: 8080 }] }],
        });
        expect(at(one(recorded, T.policy, "lb").inputs["spec"], "ingress", 1)).toEqual({ ports: [{ protocol: "TCP", port: 8080 }] });
    });

    it("admits only the listed namespaces to the published ports otherwise", () => {
        expect(at(one(recorded, T.policy, "incluster").inputs["spec"], "ingress")).toEqual([
            fromPlatform([8080, 9090]),
            {
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ci" } } }],
                ports: [{ protocol: "TCP", port: 8080 }],
            },
        ]);
        expect(at(one(recorded, T.policy, "ext").inputs["spec"], "ingress")).toEqual([fromPlatform([8080, 9090])]);
    });
});

describe("KubernetesRuntime refusals", () => {
    it("refuses capabilities the restricted level forbids, naming the setting that allows them", () => {
        expect(() => deployWith({}, fullSpec("caps", { capabilities: ["CHOWN"] }))).toThrow(
            'service caps needs capabilities CHOWN, which the restricted Pod Security level refuses; set lakeforge:kubernetes.podSecurity to "baseline" for this stack',
        );
        expect(() => deployWith({}, fullSpec("caps", { capabilities: ["SYS_ADMIN"] }))).toThrow(
            /^service caps needs capabilities SYS_ADMIN, which the restricted Pod Security level refuses$/,
        );
        expect(() => deployWith({ podSecurity: "baseline" }, fullSpec("caps", { capabilities: ["SYS_ADMIN"] }))).toThrow(
            /^service caps needs capabilities SYS_ADMIN, which the baseline Pod Security level refuses$/,
        );
        expect(ofType(recorded, T.statefulSet).map((r) => r.name)).not.toContain("caps");
    });

    it("lets the baseline level add the capabilities it allows", async () => {
        deployWith({ podSecurity: "baseline" }, fullSpec("chown", { capabilities: ["CHOWN"] }));
        await settle();
        expect(at(podOf(one(recorded, T.statefulSet, "chown")), "containers", 0, "securityContext", "capabilities")).toEqual({
            drop: ["ALL"],
            add: ["CHOWN"],
        });
        expect(ofType(recorded, T.statefulSet).map((r) => r.name)).toContain("chown");
    });
});
