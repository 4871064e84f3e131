import type { Rule } from "../lib/rule";
import { at, fieldPath, inputsOf, list, str, UNKNOWN } from "../lib/inputs";
import { podSpecOf } from "../lib/kubernetes";
import { normalizeHostPath } from "../lib/host-paths";

/** Settings of this rule in a stack config. */
interface HostPathConfig {
    allowedHostPaths?: string[];
}

/** Pods use no hostPath volumes, except paths the stack config explicitly allows. */
export const kubernetesNoHostPathVolumes: Rule = {
    name: "kubernetes-no-host-path-volumes",
    description:
        "Pod templates mount no `hostPath` volumes (Pod Security Standards: restricted), so a container " +
        "cannot read or write the node's files, e.g. the container runtime socket.",
    severity: "high",
    category: "hardening",
    configSchema: {
        properties: {
            allowedHostPaths: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Exact host paths a workload may mount (e.g. for a log collector); default none.",
            },
        },
    },
    remediationSteps:
        "Replace hostPath volumes with PersistentVolumeClaims (state), ConfigMaps/Secrets (files) or emptyDir " +
        "(scratch). Collect logs through the Kubernetes API (e.g. Alloy `loki.source.kubernetes`) rather than " +
        "node log directories.",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        const allowed = (args.getConfig<HostPathConfig>().allowedHostPaths ?? []).map(normalizeHostPath);
        const volumes = list(pod.spec["volumes"]);
        if (volumes === UNKNOWN) return;
        volumes.forEach((volume, i) => {
            const hostPath = at(volume, "hostPath");
            if (hostPath === undefined || hostPath === UNKNOWN) return;
            const path = str(at(hostPath, "path"));
            if (path === undefined || allowed.includes(normalizeHostPath(path))) return; // unknown path: may be allowed
            reportViolation(
                `${fieldPath(...pod.path, "volumes", i, "hostPath")}: expected a PVC, ConfigMap, Secret or emptyDir ` +
                    `volume, found hostPath "${path}".`,
            );
        });
    },
};
