import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { SERVICE_LABEL } from "./kubernetes-network";

type PolicyRule = k8s.types.input.rbac.v1.PolicyRule;
type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/**
 * What a log collector may do with the Kubernetes API, in the platform's namespace only: find its
 * pods and read their output. No Secrets, no exec, nothing cluster-wide, no writes.
 */
export const LOG_READER_RULES: readonly PolicyRule[] = [
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
];

/**
 * The API server's ports (443 behind the `kubernetes` Service, 6443 on control-plane nodes, where
 * policies see the translated address): the only egress a collector's pods get beyond the
 * namespace baseline. The API server is no pod, so no selector can name it.
 */
export const API_SERVER_PORTS = [443, 6443] as const;

/** Egress from the collector's pods to the API server's ports. */
export function apiServerEgressPolicy(service: string): NetworkPolicySpec {
    return {
        podSelector: { matchLabels: { [SERVICE_LABEL]: service } },
        policyTypes: ["Egress"],
        egress: [{ ports: API_SERVER_PORTS.map((port) => ({ protocol: "TCP", port })) }],
    };
}

/**
 * The identity of a log collector's pods: a ServiceAccount bound by a namespaced Role to
 * LOG_READER_RULES, and the egress policy that lets it reach the API server. Returns the
 * ServiceAccount's name for the pod spec.
 */
export function logReaderIdentity(
    service: string,
    metadata: (name: string) => k8s.types.input.meta.v1.ObjectMeta,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
    const account = new k8s.core.v1.ServiceAccount(service, { metadata: metadata(service), automountServiceAccountToken: false }, opts);
    const roleName = `${service}-read-logs`;
    const role = new k8s.rbac.v1.Role(roleName, { metadata: metadata(roleName), rules: [...LOG_READER_RULES] }, opts);
    new k8s.rbac.v1.RoleBinding(
        roleName,
        {
            metadata: metadata(roleName),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
            subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace }],
        },
        opts,
    );
    const egress = `${service}-api-server`;
    new k8s.networking.v1.NetworkPolicy(egress, { metadata: metadata(egress), spec: apiServerEgressPolicy(service) }, opts);
    return account.metadata.name;
}
