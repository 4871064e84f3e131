import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { PlatformOutputs } from "../src/outputs";
import { KUBERNETES_DEFAULTS } from "../src/runtime/kubernetes-settings";
import { deployShipped, K8S } from "./support/deploy";
import { at, one, ofType, plain, resolve, type Recorded } from "./support/mocks";
import { ROOT } from "./support/stack";

/* The kind stack under mocks: its namespace, objects, network policies, NodePorts and the endpoints they give. */

const T = K8S;

let recorded: Recorded[];
let outputs: PlatformOutputs;

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
        expect(names(T.deployment)).toEqual(["metastore", "spark-master", "spark-worker-1", "trino", "trino-worker-1", "vault-unsealer"]);
        expect(names(T.service)).toEqual([
            "metastore",
            "metastore-admin",
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
            "spark-master",
            "spark-pods",
            "spark-worker-1",
            "trino",
            "trino-admin",
            "trino-worker-1",
            "vault",
            "vault-admin",
            "vault-pods",
        ]);
        expect(names(T.secret)).toEqual([
            "metastore-files",
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
            "metastore",
            "minio",
            "postgres",
            "registry",
            "spark",
            "spark-master",
            "spark-worker-1",
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

    it("opens only NodePorts kind/cluster.yaml maps to 127.0.0.1, which maps every default NodePort", () => {
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
        expect(nodePorts.sort()).toEqual([30432, 30500, 30820, 30880, 30900, 30901, 30983, 31502]);
        // Every NodePort a capability may open is mapped already: enabling one later needs no new cluster.
        expect(mappings.map((m) => m.containerPort).sort()).toEqual(Object.values(KUBERNETES_DEFAULTS.nodePorts).sort());
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
