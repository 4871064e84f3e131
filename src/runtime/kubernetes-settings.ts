import { z } from "zod";
import type { ComponentsConfig } from "../components-schema";
import { describeValue } from "../config-errors";
import { dnsLabel, port, strict } from "../schema";

/** Keys of the ports a capability publishes for the machine running Pulumi (`ServicePort.publishAs`). */
export const ADMIN_PORT_KEYS = [
    "database",
    "objectStore",
    "objectStoreConsole",
    "secrets",
    "registry",
    "catalog",
    "trino",
    "sparkConnect",
    "modelRegistry",
    "orchestrator",
    "logging",
    "metastore",
] as const;
/** One of ADMIN_PORT_KEYS. */
export type AdminPortKey = (typeof ADMIN_PORT_KEYS)[number];

/** Which admin ports each capability publishes, so config can be checked against what is enabled. */
export const ADMIN_PORTS_BY_CAPABILITY: Readonly<
    Record<
        | "database"
        | "objectStore"
        | "secrets"
        | "registry"
        | "catalog"
        | "queryEngine"
        | "modelRegistry"
        | "orchestrator"
        | "logging"
        | "metastore",
        readonly AdminPortKey[]
    >
> = {
    database: ["database"],
    objectStore: ["objectStore", "objectStoreConsole"],
    secrets: ["secrets"],
    registry: ["registry"],
    catalog: ["catalog"],
    queryEngine: ["trino", "sparkConnect"],
    modelRegistry: ["modelRegistry"],
    orchestrator: ["orchestrator"],
    logging: ["logging"],
    metastore: ["metastore"],
};

/** Capabilities whose bootstrap resources (postgresql, minio, vault providers) talk to the live server. */
const BOOTSTRAPPED = ["database", "objectStore", "secrets"] as const;

/** Defaults of `lakeforge:kubernetes`; each is mirrored in the README's config reference. */
export const KUBERNETES_DEFAULTS = {
    namespace: "lakeforge",
    clusterDomain: "cluster.local",
    volumeSize: "10Gi",
    adminAccess: "nodePort",
    nodeAddress: "127.0.0.1",
    nodePorts: {
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
    },
    podSecurity: "restricted",
    /** UID (and fsGroup) for images whose spec names no user: distroless's `nonroot`. */
    defaultUser: 65532,
    protect: false,
    dns: { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } },
} as const;

/** A host name or IPv4 address. */
const host = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, {
    error: 'expected a host name or IPv4 address such as "127.0.0.1"',
});
/** A storage size in binary units. */
const quantity = z.string().regex(/^[1-9][0-9]*(Mi|Gi|Ti|Pi)$/, {
    error: 'expected a storage size such as "10Gi" (a whole number with a Mi, Gi, Ti or Pi suffix)',
});
const nodePort = z.number().int().min(30000).max(32767);
const nonEmpty = z.string().min(1);

/** An object with one optional entry per admin port key. */
function perAdminPort<T extends z.ZodType>(value: T) {
    return strict({
        database: value.optional(),
        objectStore: value.optional(),
        objectStoreConsole: value.optional(),
        secrets: value.optional(),
        registry: value.optional(),
        catalog: value.optional(),
        trino: value.optional(),
        sparkConnect: value.optional(),
        modelRegistry: value.optional(),
        orchestrator: value.optional(),
        logging: value.optional(),
        metastore: value.optional(),
    });
}

/** `lakeforge:kubernetes`: which cluster, where, how big, and how Pulumi reaches the admin endpoints. */
export const kubernetesSettingsSchema = strict({
    context: nonEmpty.optional(),
    kubeconfig: nonEmpty.optional(),
    namespace: dnsLabel.default(KUBERNETES_DEFAULTS.namespace),
    clusterDomain: host.default(KUBERNETES_DEFAULTS.clusterDomain),
    storageClass: host.optional(),
    volumeSize: quantity.default(KUBERNETES_DEFAULTS.volumeSize),
    volumeSizes: strict({
        postgres: quantity.optional(),
        minio: quantity.optional(),
        seaweedfs: quantity.optional(),
        garage: quantity.optional(),
        vault: quantity.optional(),
        openbao: quantity.optional(),
        registry: quantity.optional(),
        loki: quantity.optional(),
        alloy: quantity.optional(),
    }).prefault({}),
    adminAccess: z.enum(["nodePort", "loadBalancer", "inCluster", "external"]).default(KUBERNETES_DEFAULTS.adminAccess),
    nodeAddress: host.default(KUBERNETES_DEFAULTS.nodeAddress),
    nodePorts: strict({
        database: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.database),
        objectStore: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.objectStore),
        objectStoreConsole: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.objectStoreConsole),
        secrets: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.secrets),
        registry: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.registry),
        catalog: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.catalog),
        trino: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.trino),
        sparkConnect: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.sparkConnect),
        modelRegistry: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.modelRegistry),
        orchestrator: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.orchestrator),
        logging: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.logging),
        metastore: nodePort.default(KUBERNETES_DEFAULTS.nodePorts.metastore),
    }).prefault({}),
    adminHosts: perAdminPort(host).prefault({}),
    adminEndpoints: perAdminPort(strict({ host, port })).prefault({}),
    adminServiceAnnotations: z.record(z.string().min(1), z.string()).default({}),
    adminNamespaces: z.array(dnsLabel).default([]),
    podSecurity: z.enum(["restricted", "baseline"]).default(KUBERNETES_DEFAULTS.podSecurity),
    defaultUser: z.number().int().min(1).max(2147483647).default(KUBERNETES_DEFAULTS.defaultUser),
    protect: z.boolean().default(KUBERNETES_DEFAULTS.protect),
    /** Where pods may send DNS lookups: the cluster DNS pods, and address blocks (NodeLocal DNSCache). */
    dns: strict({
        namespace: dnsLabel.default(KUBERNETES_DEFAULTS.dns.namespace),
        podLabels: z.record(z.string().min(1), z.string()).default({ ...KUBERNETES_DEFAULTS.dns.podLabels }),
        cidrs: z
            .array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { error: 'expected an IPv4 CIDR such as "169.254.20.10/32"' }))
            .default([]),
    }).prefault({}),
    renderYamlTo: nonEmpty.optional(),
}).superRefine((settings, ctx) => {
    const seen = new Map<number, string>();
    for (const [key, value] of Object.entries(settings.nodePorts)) {
        const other = seen.get(value);
        if (other !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["nodePorts", key],
                input: value,
                message: `expected a node port not already used by nodePorts.${other}`,
            });
        }
        seen.set(value, key);
    }
    // Settings of one admin access mode given under another would be silently ignored.
    const onlyWith = [
        ["adminHosts", "loadBalancer"],
        ["adminEndpoints", "external"],
    ] as const;
    for (const [key, mode] of onlyWith) {
        const value = settings[key];
        if (settings.adminAccess !== mode && Object.keys(value).length > 0) {
            ctx.addIssue({
                code: "custom",
                path: [key],
                input: value,
                message: `expected no ${key} unless adminAccess is "${mode}" (it is "${settings.adminAccess}")`,
            });
        }
    }
});

/** Validated `lakeforge:kubernetes` settings. */
export type KubernetesSettings = z.infer<typeof kubernetesSettingsSchema>;

/**
 * Problems that need both the kubernetes settings and the components: admin endpoints the
 * `external` mode lacks, and render mode with capabilities whose bootstrap needs a live server.
 * One line each, in the config error format.
 */
export function kubernetesConfigProblems(settings: KubernetesSettings, components: ComponentsConfig): string[] {
    const problems: string[] = [];
    const enabled = (Object.keys(ADMIN_PORTS_BY_CAPABILITY) as (keyof typeof ADMIN_PORTS_BY_CAPABILITY)[]).filter(
        (c) => components[c].enabled,
    );
    if ((settings.adminAccess === "inCluster" || settings.adminAccess === "external") && settings.adminNamespaces.length === 0) {
        // The NetworkPolicies admit admin traffic only from these namespaces; with none, bootstrap hangs.
        problems.push(
            `lakeforge:kubernetes.adminNamespaces: expected the namespaces Pulumi ${settings.adminAccess === "external" ? "and the ingress controller run" : "runs"} in ` +
                `(adminAccess is "${settings.adminAccess}": the NetworkPolicies admit admin traffic only from them), found []`,
        );
    }
    if (settings.adminAccess === "external") {
        for (const capability of enabled) {
            for (const key of ADMIN_PORTS_BY_CAPABILITY[capability]) {
                if (settings.adminEndpoints[key] !== undefined) continue;
                // SeaweedFS publishes its S3 port only (MinIO's console and Garage's admin API use this one).
                if (key === "objectStoreConsole" && components.objectStore.engine === "seaweedfs") continue;
                // The jdbc catalog runs no server; each query engine publishes its own port.
                if (key === "catalog" && components.catalog.engine === "jdbc") continue;
                if (
                    (key === "trino" || key === "sparkConnect") &&
                    !components.queryEngine.engines.includes(key === "trino" ? "trino" : "spark")
                )
                    continue;
                problems.push(
                    `lakeforge:kubernetes.adminEndpoints.${key}: expected {host, port} reachable from the machine running Pulumi ` +
                        `(adminAccess is "external" and components.${capability} is enabled), found nothing`,
                );
            }
        }
    }
    const bootstrapped = BOOTSTRAPPED.filter((c) => components[c].enabled);
    if (settings.renderYamlTo !== undefined && bootstrapped.length > 0) {
        problems.push(
            `lakeforge:kubernetes.renderYamlTo: expected no value while ${bootstrapped.map((c) => `components.${c}`).join(", ")} ` +
                `${bootstrapped.length === 1 ? "is" : "are"} enabled (their databases, buckets, keys and Vault initialization are made ` +
                `through the running server, which render mode never starts), found ${describeValue(settings.renderYamlTo)}`,
        );
    }
    return problems;
}
