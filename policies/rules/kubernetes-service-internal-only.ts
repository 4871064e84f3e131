import type { Rule } from "../lib/rule";
import { K8S } from "../lib/types";
import { at, inputsOf, list, str, UNKNOWN } from "../lib/inputs";

/** Settings of this rule in a stack config. */
interface ServiceExposureConfig {
    allowNodePort?: boolean;
    allowLoadBalancer?: boolean;
}

/** Services stay inside the cluster unless the stack config allows a node port or load balancer. */
export const kubernetesServiceInternalOnly: Rule = {
    name: "kubernetes-service-internal-only",
    description:
        "Kubernetes Services are ClusterIP without externalIPs; NodePort is allowed only where the stack config " +
        "sets `allowNodePort` (kind, dev) and LoadBalancer only where it sets `allowLoadBalancer`.",
    severity: "high",
    category: "exposure",
    configSchema: {
        properties: {
            allowNodePort: { type: "boolean", default: false, description: "Allow type NodePort (local clusters)." },
            allowLoadBalancer: { type: "boolean", default: false, description: "Allow type LoadBalancer." },
        },
    },
    remediationSteps:
        "Use `type: ClusterIP` and reach the service through an Ingress/Gateway with TLS and auth, or " +
        "`kubectl port-forward`. Remove `spec.externalIPs`.",
    validateResource: (args, reportViolation) => {
        if (args.type !== K8S.service) return;
        const config = args.getConfig<ServiceExposureConfig>();
        const props = inputsOf(args);
        const type = str(at(props, "spec", "type"));
        const allowed =
            (type === "NodePort" && config.allowNodePort === true) || (type === "LoadBalancer" && config.allowLoadBalancer === true);
        if ((type === "NodePort" || type === "LoadBalancer") && !allowed) {
            reportViolation(`spec.type: expected "ClusterIP" (this stack config does not allow ${type}), found "${type}".`);
        }
        const externalIPs = list(at(props, "spec", "externalIPs"));
        if (externalIPs !== UNKNOWN && externalIPs.length > 0) {
            reportViolation(`spec.externalIPs: expected none, found ${JSON.stringify(externalIPs)}.`);
        }
    },
};
