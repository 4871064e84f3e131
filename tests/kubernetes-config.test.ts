import { describe, expect, it } from "vitest";
import { parseConfig, type LakeforgeConfig } from "../src/config";
import { KUBERNETES_DEFAULTS } from "../src/runtime/kubernetes-settings";
import { configProblems, stackConfig, toAllConfig } from "./support/stack";

/** The problems parseConfig reports for a kubernetes config, or [] when it is valid. */
function problems(kubernetes: unknown, components?: unknown): readonly string[] {
    const config: Record<string, unknown> = { "lakeforge:target": "kubernetes", "lakeforge:kubernetes": kubernetes };
    if (components !== undefined) config["lakeforge:components"] = components;
    return configProblems(config);
}

/** The kubernetes settings of a parsed config; fails the test for another target. */
function kubernetesOf(config: LakeforgeConfig) {
    if (config.target !== "kubernetes") throw new Error(`expected the kubernetes target, found ${config.target}`);
    return config.kubernetes;
}

const DNS_LABEL = "expected a DNS label (lowercase letters, digits and '-', at most 63 characters)";
const SIZE = 'expected a storage size such as "10Gi" (a whole number with a Mi, Gi, Ti or Pi suffix)';

describe("lakeforge:kubernetes defaults", () => {
    const settings = kubernetesOf(parseConfig({ "lakeforge:target": "kubernetes" }, "test"));

    it("applies every default from KUBERNETES_DEFAULTS", () => {
        expect(settings).toEqual({
            namespace: KUBERNETES_DEFAULTS.namespace,
            clusterDomain: KUBERNETES_DEFAULTS.clusterDomain,
            volumeSize: KUBERNETES_DEFAULTS.volumeSize,
            volumeSizes: {},
            adminAccess: KUBERNETES_DEFAULTS.adminAccess,
            nodeAddress: KUBERNETES_DEFAULTS.nodeAddress,
            nodePorts: { ...KUBERNETES_DEFAULTS.nodePorts },
            adminHosts: {},
            adminEndpoints: {},
            adminServiceAnnotations: {},
            adminNamespaces: [],
            podSecurity: KUBERNETES_DEFAULTS.podSecurity,
            defaultUser: KUBERNETES_DEFAULTS.defaultUser,
            protect: KUBERNETES_DEFAULTS.protect,
            dns: { ...KUBERNETES_DEFAULTS.dns, cidrs: [] },
        });
    });

    it("defaults to a restricted namespace, unprotected data and node ports on loopback", () => {
        expect(KUBERNETES_DEFAULTS).toMatchObject({
            namespace: "lakeforge",
            podSecurity: "restricted",
            protect: false,
            adminAccess: "nodePort",
            nodeAddress: "127.0.0.1",
            volumeSize: "10Gi",
            defaultUser: 65532,
        });
        expect(KUBERNETES_DEFAULTS.nodePorts).toEqual({
            database: 30432,
            objectStore: 30900,
            objectStoreConsole: 30901,
            secrets: 30820,
            registry: 30500,
            catalog: 30818,
            trino: 30880,
            sparkConnect: 31502,
            modelRegistry: 30550,
            orchestrator: 30300,
            logging: 30310,
            metastore: 30983,
        });
    });

    it("accepts the shipped kind and prod stack files", () => {
        expect(kubernetesOf(parseConfig(stackConfig("kind"), "kind"))).toMatchObject({
            context: "kind-lakeforge",
            adminAccess: "nodePort",
            protect: false,
        });
        expect(kubernetesOf(parseConfig(stackConfig("prod"), "prod"))).toMatchObject({
            adminAccess: "inCluster",
            protect: true,
            podSecurity: "restricted",
            adminNamespaces: ["ci"],
        });
    });
});

describe("lakeforge:kubernetes errors", () => {
    const external = { adminAccess: "external", adminNamespaces: ["ingress-nginx"] };
    const cases: [string, unknown, unknown, string[]][] = [
        [
            "typo in a key",
            { contxt: "kind-lakeforge" },
            undefined,
            [
                'lakeforge:kubernetes.contxt: unknown key (expected one of: context, kubeconfig, namespace, clusterDomain, storageClass, volumeSize, volumeSizes, adminAccess, nodeAddress, nodePorts, adminHosts, adminEndpoints, adminServiceAnnotations, adminNamespaces, podSecurity, defaultUser, protect, dns, renderYamlTo), found "kind-lakeforge"',
            ],
        ],
        [
            "empty context",
            { context: "" },
            undefined,
            ['lakeforge:kubernetes.context: expected a string of at least 1 character, found ""'],
        ],
        [
            "namespace not a DNS label",
            { namespace: "Lake_Forge" },
            undefined,
            [`lakeforge:kubernetes.namespace: ${DNS_LABEL}, found "Lake_Forge"`],
        ],
        ["volume size in GB", { volumeSize: "10GB" }, undefined, [`lakeforge:kubernetes.volumeSize: ${SIZE}, found "10GB"`]],
        [
            "volume size for an unknown service",
            { volumeSizes: { postgress: "1Ti" } },
            undefined,
            [
                'lakeforge:kubernetes.volumeSizes.postgress: unknown key (expected one of: postgres, minio, seaweedfs, garage, vault, openbao, registry, loki, alloy), found "1Ti"',
            ],
        ],
        [
            "volume size without unit",
            { volumeSizes: { minio: "500" } },
            undefined,
            [`lakeforge:kubernetes.volumeSizes.minio: ${SIZE}, found "500"`],
        ],
        [
            "unknown admin access mode",
            { adminAccess: "ingress" },
            undefined,
            ['lakeforge:kubernetes.adminAccess: expected one of "nodePort", "loadBalancer", "inCluster", "external", found "ingress"'],
        ],
        [
            "node port below the range",
            { nodePorts: { database: 5432 } },
            undefined,
            ["lakeforge:kubernetes.nodePorts.database: expected a number >= 30000, found 5432"],
        ],
        [
            "two ports on one node port",
            { nodePorts: { registry: 30432 } },
            undefined,
            ["lakeforge:kubernetes.nodePorts.registry: expected a node port not already used by nodePorts.database, found 30432"],
        ],
        [
            "node address with a scheme",
            { nodeAddress: "http://127.0.0.1" },
            undefined,
            ['lakeforge:kubernetes.nodeAddress: expected a host name or IPv4 address such as "127.0.0.1", found "http://127.0.0.1"'],
        ],
        [
            "privileged pod security",
            { podSecurity: "privileged" },
            undefined,
            ['lakeforge:kubernetes.podSecurity: expected one of "restricted", "baseline", found "privileged"'],
        ],
        ["protect as a string", { protect: "yes" }, undefined, ['lakeforge:kubernetes.protect: expected true or false, found "yes"']],
        ["root as the default user", { defaultUser: 0 }, undefined, ["lakeforge:kubernetes.defaultUser: expected a number >= 1, found 0"]],
        [
            "admin namespace not a label",
            { adminNamespaces: ["CI"] },
            undefined,
            [`lakeforge:kubernetes.adminNamespaces[0]: ${DNS_LABEL}, found "CI"`],
        ],
        [
            "admin hosts without a load balancer",
            { adminHosts: { database: "db.example.com" } },
            undefined,
            [
                'lakeforge:kubernetes.adminHosts: expected no adminHosts unless adminAccess is "loadBalancer" (it is "nodePort"), found {"database":"db.example.com"}',
            ],
        ],
        [
            "admin endpoints outside external mode",
            { adminAccess: "inCluster", adminEndpoints: { secrets: { host: "vault.example.com", port: 443 } } },
            undefined,
            [
                'lakeforge:kubernetes.adminEndpoints: expected no adminEndpoints unless adminAccess is "external" (it is "inCluster"), found {"secrets":{"host":"vault.example.com","port":443}}',
            ],
        ],
        [
            "admin endpoint port out of range",
            { adminAccess: "external", adminEndpoints: { database: { host: "db", port: 0 } } },
            { objectStore: { enabled: false }, secrets: { enabled: false }, registry: { enabled: false } },
            ["lakeforge:kubernetes.adminEndpoints.database.port: expected a number >= 1, found 0"],
        ],
        [
            "external mode without endpoints",
            external,
            { objectStore: { enabled: false }, registry: { enabled: false } },
            [
                'lakeforge:kubernetes.adminEndpoints.database: expected {host, port} reachable from the machine running Pulumi (adminAccess is "external" and components.database is enabled), found nothing',
                'lakeforge:kubernetes.adminEndpoints.secrets: expected {host, port} reachable from the machine running Pulumi (adminAccess is "external" and components.secrets is enabled), found nothing',
            ],
        ],
        [
            "external mode missing the console",
            { ...external, adminEndpoints: { objectStore: { host: "s3.example.com", port: 443 } } },
            { database: { enabled: false }, secrets: { enabled: false }, registry: { enabled: false }, objectStore: { engine: "minio" } },
            [
                'lakeforge:kubernetes.adminEndpoints.objectStoreConsole: expected {host, port} reachable from the machine running Pulumi (adminAccess is "external" and components.objectStore is enabled), found nothing',
            ],
        ],
        [
            "render mode with bootstrapped capabilities",
            { renderYamlTo: "manifests" },
            undefined,
            [
                'lakeforge:kubernetes.renderYamlTo: expected no value while components.database, components.objectStore, components.secrets are enabled (their databases, buckets, keys and Vault initialization are made through the running server, which render mode never starts), found "manifests"',
            ],
        ],
        [
            "render mode with the database only",
            { renderYamlTo: "manifests" },
            { objectStore: { enabled: false }, secrets: { enabled: false } },
            [
                'lakeforge:kubernetes.renderYamlTo: expected no value while components.database is enabled (their databases, buckets, keys and Vault initialization are made through the running server, which render mode never starts), found "manifests"',
            ],
        ],
    ];

    it.each(cases)("%s", (_name, kubernetes, components, expected) => {
        expect(problems(kubernetes, components)).toEqual(expected);
    });

    it("accepts external mode once every enabled capability has its endpoint", () => {
        const endpoint = { host: "admin.example.com", port: 443 };
        const all = { database: endpoint, objectStore: endpoint, objectStoreConsole: endpoint, secrets: endpoint, registry: endpoint };
        expect(problems({ adminAccess: "external", adminEndpoints: all, adminNamespaces: ["ingress-nginx"] })).toEqual([]);
    });

    it.each(["inCluster", "external"])(
        "refuses %s admin access without adminNamespaces (the NetworkPolicies would block bootstrap)",
        (mode) => {
            expect(problems({ adminAccess: mode, adminEndpoints: {} }).filter((p) => p.includes("adminNamespaces"))).toEqual([
                expect.stringMatching(
                    new RegExp(
                        `^lakeforge:kubernetes\\.adminNamespaces: expected the namespaces .*adminAccess is "${mode}".*found \\[\\]$`,
                    ),
                ),
            ]);
        },
    );

    it("accepts render mode when only the registry is enabled", () => {
        expect(
            problems(
                { renderYamlTo: "manifests" },
                { database: { enabled: false }, objectStore: { enabled: false }, secrets: { enabled: false } },
            ),
        ).toEqual([]);
    });

    it("refuses docker settings on a kubernetes stack", () => {
        expect(() => parseConfig(toAllConfig({ "lakeforge:target": "kubernetes", "lakeforge:docker": { network: "x" } }), "test")).toThrow(
            'lakeforge:docker: expected no settings for a target the stack does not use (lakeforge:target is "kubernetes"), found {"network":"x"}',
        );
    });
});
