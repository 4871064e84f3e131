import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { PlatformOutputs } from "../src/outputs";
import { credentialLeaks, deployShipped, K8S } from "./support/deploy";
import { at, isSecretInput, one, ofType, plain, podOf, resolve, type Recorded } from "./support/mocks";
import { ROOT } from "./support/stack";

const T = K8S;

let recorded: Recorded[];
let outputs: PlatformOutputs;

/** Every recorded StatefulSet and Deployment. */
function workloads(): Recorded[] {
    return [...ofType(recorded, T.statefulSet), ...ofType(recorded, T.deployment)];
}

beforeAll(async () => {
    ({ recorded, outputs } = await deployShipped("kind"));
});

describe("the kind stack: cluster objects", () => {
    it("connects to the kind-lakeforge context with server-side apply and applies (no render directory)", () => {
        const provider = one(recorded, T.provider, "kubernetes");
        expect(provider.inputs["context"]).toBe("kind-lakeforge");
        expect(provider.inputs["enableServerSideApply"]).toBe("true");
        expect(provider.inputs["renderYamlToDirectory"]).toBeUndefined();
    });

    it("creates one namespace that enforces, audits and warns at the restricted Pod Security level", () => {
        const ns = one(recorded, T.namespace, "namespace");
        expect(ns.inputs["metadata"]).toEqual({
            name: "lakeforge",
            labels: {
                "app.kubernetes.io/part-of": "lakeforge",
                "app.kubernetes.io/managed-by": "pulumi",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        });
        expect(ofType(recorded, T.namespace)).toHaveLength(1);
    });

    it("creates exactly these objects, all in the namespace", () => {
        const names = (type: string) =>
            ofType(recorded, type)
                .map((r) => r.name)
                .sort();
        expect(names(T.statefulSet)).toEqual(["minio", "postgres", "registry", "spark", "vault"]);
        expect(names(T.deployment)).toEqual(["trino", "trino-worker-1", "vault-unsealer"]);
        expect(names(T.service)).toEqual([
            "minio",
            "minio-admin",
            "minio-pods",
            "postgres",
            "postgres-admin",
            "postgres-pods",
            "registry",
            "registry-admin",
            "registry-pods",
            "spark",
            "spark-admin",
            "spark-pods",
            "trino",
            "trino-admin",
            "trino-worker-1",
            "vault",
            "vault-admin",
            "vault-pods",
        ]);
        expect(names(T.secret)).toEqual([
            "minio-files",
            "postgres-files",
            "registry-files",
            "spark-files",
            "trino-files",
            "trino-worker-1-files",
            "vault-unsealer-files",
        ]);
        expect(names(T.configMap)).toEqual(["trino-config", "trino-worker-1-config", "vault-config"]);
        expect(names(T.policy)).toEqual([
            "allow-dns",
            "allow-platform-egress",
            "default-deny",
            "minio",
            "postgres",
            "registry",
            "spark",
            "trino",
            "trino-worker-1",
            "vault",
        ]);
        const namespaced = recorded.filter((r) => r.type.startsWith("kubernetes:") && r.type !== T.namespace);
        for (const r of namespaced)
            expect(plain<Record<string, unknown>>(r.inputs["metadata"])["namespace"], `${r.type}/${r.name}`).toBe("lakeforge");
    });

    it("denies all traffic by default, then allows DNS to kube-dns and traffic between platform pods", () => {
        expect(one(recorded, T.policy, "default-deny").inputs["spec"]).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(one(recorded, T.policy, "allow-dns").inputs["spec"]).toEqual({
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                        },
                    ],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
            ],
        });
        expect(one(recorded, T.policy, "allow-platform-egress").inputs["spec"]).toEqual({
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{ to: [{ podSelector: {} }] }],
        });
        const minio = at(one(recorded, T.policy, "minio").inputs["spec"]);
        expect(at(minio, "ingress")).toEqual([
            {
                from: [{ podSelector: {} }],
                ports: [
                    { protocol: "TCP", port: 9000 },
                    { protocol: "TCP", port: 9001 },
                ],
            },
            {
                ports: [
                    { protocol: "TCP", port: 9000 },
                    { protocol: "TCP", port: 9001 },
                ],
            },
        ]);
    });

    it("opens the NodePorts kind/cluster.yaml maps to 127.0.0.1, and no others", () => {
        const doc = parse(fs.readFileSync(path.join(ROOT, "kind", "cluster.yaml"), "utf8")) as {
            name: string;
            nodes: { extraPortMappings?: { containerPort: number; hostPort: number; listenAddress: string; protocol: string }[] }[];
        };
        const mappings = doc.nodes.flatMap((n) => n.extraPortMappings ?? []);
        expect(doc.name).toBe("lakeforge");
        for (const m of mappings)
            expect(m).toEqual({ containerPort: m.hostPort, hostPort: m.hostPort, listenAddress: "127.0.0.1", protocol: "TCP" });
        const nodePorts = ofType(recorded, T.service).flatMap((s) =>
            plain<{ ports: { nodePort?: number }[] }>(s.inputs["spec"]).ports.flatMap((p) =>
                p.nodePort === undefined ? [] : [p.nodePort],
            ),
        );
        expect(nodePorts.sort()).toEqual(mappings.map((m) => m.containerPort).sort());
        expect(nodePorts.sort()).toEqual([30432, 30500, 30820, 30880, 30900, 30901, 31502]);
    });
});

describe("the kind stack: each capability's workload", () => {
    const cases: [string, { user: number; group: number; readOnly: boolean; secretMounts: string[]; configMounts: string[] }][] = [
        ["postgres", { user: 70, group: 70, readOnly: false, secretMounts: ["/run/secrets/postgres-password"], configMounts: [] }],
        [
            "minio",
            {
                user: 65532,
                group: 65532,
                readOnly: true,
                secretMounts: ["/run/secrets/access_key", "/run/secrets/secret_key"],
                configMounts: [],
            },
        ],
        ["vault", { user: 100, group: 1000, readOnly: true, secretMounts: [], configMounts: ["/vault/config/lakeforge.hcl"] }],
        [
            "registry",
            {
                user: 65532,
                group: 65532,
                readOnly: true,
                secretMounts: ["/etc/distribution/config.yml", "/etc/distribution/htpasswd"],
                configMounts: [],
            },
        ],
    ];

    it.each(cases)("%s: non-root identity, root filesystem, files from Secrets and ConfigMaps", (name, want) => {
        const pod = podOf(one(recorded, T.statefulSet, name));
        expect(at(pod, "securityContext")).toEqual({
            runAsNonRoot: true,
            runAsUser: want.user,
            runAsGroup: want.group,
            fsGroup: want.group,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
        });
        const container = at(pod, "containers", 0);
        expect(at(container, "securityContext")).toEqual({
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: want.readOnly,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        const mounts = at(container, "volumeMounts") as { name: string; mountPath: string }[];
        expect(mounts.filter((m) => m.name === "secret-files").map((m) => m.mountPath)).toEqual(want.secretMounts);
        expect(mounts.filter((m) => m.name === "config-files").map((m) => m.mountPath)).toEqual(want.configMounts);
        expect(mounts.some((m) => m.name === "tmp" && m.mountPath === "/tmp")).toBe(want.readOnly);
        const claims = at(one(recorded, T.statefulSet, name).inputs, "spec", "volumeClaimTemplates") as unknown[];
        expect(claims.map((c) => [at(c, "metadata", "name"), at(c, "spec", "resources", "requests", "storage")])).toEqual([
            ["data", "5Gi"],
        ]);
    });

    it("gives every container requests, a memory limit and two different probes", () => {
        const sized: Record<string, [string, string, string]> = {
            postgres: ["250m", "256Mi", "512Mi"],
            minio: ["250m", "256Mi", "512Mi"],
            vault: ["100m", "128Mi", "256Mi"],
            "vault-unsealer": ["100m", "16Mi", "32Mi"],
            registry: ["100m", "64Mi", "128Mi"],
            spark: ["250m", "768Mi", "1536Mi"],
            trino: ["250m", "768Mi", "1536Mi"],
            "trino-worker-1": ["250m", "768Mi", "1536Mi"],
        };
        // A 2-CPU node (a laptop's KIND, the cluster of scripts/cluster) also runs the cluster's own pods.
        const millicores = Object.values(sized).reduce((sum, [cpu]) => sum + Number.parseInt(cpu, 10), 0);
        expect(millicores).toBeLessThanOrEqual(1600);
        for (const w of workloads()) {
            const c = at(podOf(w), "containers", 0);
            const [cpu, request, limit] = sized[w.name] as [string, string, string];
            expect(at(c, "resources"), w.name).toEqual({ requests: { cpu, memory: request }, limits: { memory: limit } });
            expect(at(c, "readinessProbe", "exec"), w.name).toBeDefined();
            // A service that listens is alive while it listens; one that does not (the unsealer) runs its check.
            if (w.name === "vault-unsealer") expect(at(c, "livenessProbe", "exec"), w.name).toBeDefined();
            else expect(at(c, "livenessProbe", "tcpSocket"), w.name).toEqual({ port: at(c, "ports", 0, "containerPort") });
            expect(at(c, "livenessProbe", "periodSeconds")).toBeGreaterThan(at(c, "readinessProbe", "periodSeconds") as number);
        }
    });
});

describe("the kind stack: credentials", () => {
    it("keeps every generated credential out of ConfigMaps, even as a secret value", () => {
        const found = ofType(recorded, T.configMap).flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`, true));
        expect(found).toEqual([]);
    });

    it("passes no credential as a literal env value: every credential-looking variable comes from a secretKeyRef", () => {
        for (const w of workloads()) {
            const env = at(podOf(w), "containers", 0, "env") as { name: string; value?: unknown; valueFrom?: unknown }[];
            expect(credentialLeaks(env, `${w.name}.env`, true)).toEqual([]);
            // `..._FILE` variables name a mounted Secret file, not a credential.
            for (const v of env.filter((e) => /(PASSWORD|SECRET|TOKEN|KEY)$/.test(e.name))) {
                expect(v.value, `${w.name} ${v.name}`).toBeUndefined();
                expect(v.valueFrom, `${w.name} ${v.name}`).toEqual({ secretKeyRef: { name: `${w.name}-env`, key: v.name } });
            }
        }
    });

    it("holds credentials only in Secrets whose data is a Pulumi secret", () => {
        for (const s of ofType(recorded, T.secret)) {
            expect(isSecretInput(s.inputs["stringData"]), s.name).toBe(true);
            expect(s.inputs["type"]).toBe("Opaque");
        }
        expect(plain<Record<string, string>>(one(recorded, T.secret, "postgres-files").inputs["stringData"])).toEqual({
            "postgres-password": "generated-password-postgres-superuser-password",
        });
        expect(Object.keys(plain<Record<string, string>>(one(recorded, T.secret, "minio-files").inputs["stringData"])).sort()).toEqual([
            "access_key",
            "secret_key",
        ]);
        // The registry's HTTP secret is in its config file, which is therefore a secret file too.
        expect(Object.keys(plain<Record<string, string>>(one(recorded, T.secret, "registry-files").inputs["stringData"])).sort()).toEqual([
            "config.yml",
            "htpasswd",
        ]);
    });

    it("never sends a generated credential to any resource in plaintext", () => {
        expect(recorded.flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`, false))).toEqual([]);
    });
});

describe("the kind stack: endpoints", () => {
    it("bootstraps through the NodePorts on 127.0.0.1", () => {
        const pg = one(recorded, "pulumi:providers:postgresql", "postgres-admin").inputs;
        expect([pg["host"], String(pg["port"])]).toEqual(["127.0.0.1", "30432"]);
        expect(one(recorded, "pulumi:providers:minio", "minio-admin").inputs["minioServer"]).toBe("127.0.0.1:30900");
        expect(one(recorded, "pulumi:providers:vault", "vault-admin").inputs["address"]).toBe("http://127.0.0.1:30820");
    });

    it("exports cluster-DNS internal endpoints and NodePort external ones", async () => {
        expect((await resolve(outputs.endpoints.objectStore!)).value).toEqual({
            internal: "http://minio.lakeforge.svc.cluster.local:9000",
            external: "http://127.0.0.1:30900",
        });
        expect((await resolve(outputs.endpoints.database!)).value).toEqual({
            internal: "postgres.lakeforge.svc.cluster.local:5432",
            external: "127.0.0.1:30432",
        });
        const env = await resolve(outputs.clientEnv);
        expect(env.secret).toBe(true);
        expect(env.value).toMatchObject({
            S3_ENDPOINT: "http://127.0.0.1:30900",
            VAULT_ADDR: "http://127.0.0.1:30820",
            REGISTRY: "127.0.0.1:30500",
            PGPORT: "30432",
        });
    });
});
