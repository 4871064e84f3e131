import type * as k8s from "@pulumi/kubernetes";
import type { KubernetesSettings } from "./kubernetes-settings";
import type { ServiceSpec } from "./spec";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;

/** Labels on every object lakeforge creates in the cluster. */
export const PART_OF = { "app.kubernetes.io/part-of": "lakeforge", "app.kubernetes.io/managed-by": "pulumi" } as const;
/** The label that selects one service's pods. */
export const SERVICE_LABEL = "app.kubernetes.io/name";
/** The label Kubernetes puts on every namespace with its own name (1.22+). */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Namespace labels that make the API server enforce, audit and warn at the Pod Security level. */
export function podSecurityLabels(level: KubernetesSettings["podSecurity"]): Record<string, string> {
    return {
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": level,
        "pod-security.kubernetes.io/warn": level,
    };
}

/** A namespace-wide policy, by Pulumi resource name and spec. */
export interface NamedPolicy {
    readonly name: string;
    readonly spec: NetworkPolicySpec;
}

/**
 * The namespace baseline: deny all ingress and egress, then allow DNS lookups to the cluster DNS
 * (`lakeforge:kubernetes.dns`) and traffic between the platform's own pods (each service's ingress policy then
 * narrows what reaches it to its declared ports).
 */
export function baselinePolicies(dns: KubernetesSettings["dns"]): NamedPolicy[] {
    return [
        { name: "default-deny", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
        {
            name: "allow-dns",
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [
                            {
                                namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dns.namespace } },
                                podSelector: { matchLabels: { ...dns.podLabels } },
                            },
                            // NodeLocal DNSCache (169.254.20.10) and resolvers outside the cluster match no pod selector.
                            ...dns.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
                        ],
                        ports: [
                            { protocol: "UDP", port: 53 },
                            { protocol: "TCP", port: 53 },
                        ],
                    },
                ],
            },
        },
        { name: "allow-platform-egress", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: {} }] }] } },
    ];
}

/**
 * Who may reach one service: pods of the platform on every declared port, and on the published
 * (admin) ports whatever the admin access mode needs: anyone for node ports and load balancers
 * (traffic arrives from nodes and clients), the listed namespaces otherwise (an in-cluster CI
 * runner, an ingress controller). `kubectl port-forward` enters through the pod's loopback and
 * needs no rule.
 */
export function serviceIngressPolicy(spec: ServiceSpec, settings: KubernetesSettings): NetworkPolicySpec {
    const ports = (list: ServiceSpec["ports"]) => list.map((p) => ({ protocol: "TCP", port: p.port }));
    const ingress: IngressRule[] = [{ from: [{ podSelector: {} }], ports: ports(spec.ports) }];
    const published = spec.ports.filter((p) => p.publishAs !== undefined);
    if (published.length > 0) {
        if (settings.adminAccess === "nodePort" || settings.adminAccess === "loadBalancer") {
            ingress.push({ ports: ports(published) });
        } else if (settings.adminNamespaces.length > 0) {
            const from = settings.adminNamespaces.map((ns) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } } }));
            ingress.push({ from, ports: ports(published) });
        }
    }
    return { podSelector: { matchLabels: { [SERVICE_LABEL]: spec.name } }, policyTypes: ["Ingress"], ingress };
}
