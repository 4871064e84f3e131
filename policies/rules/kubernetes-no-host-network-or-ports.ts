import type { Rule } from "../lib/rule";
import { at, fieldPath, inputsOf, list, UNKNOWN } from "../lib/inputs";
import { containersOf, podSpecOf } from "../lib/kubernetes";

/** Pods neither join the node's network namespace nor bind node ports. */
export const kubernetesNoHostNetworkOrPorts: Rule = {
    name: "kubernetes-no-host-network-or-ports",
    description:
        "Pod templates do not set `hostNetwork: true` and containers declare no `hostPort`: both expose the " +
        "service on the node's interfaces, outside Services and NetworkPolicies.",
    severity: "high",
    category: "exposure",
    remediationSteps: "Remove `hostNetwork` and every `ports[].hostPort`; expose the workload through a ClusterIP Service.",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        if (at(pod.spec, "hostNetwork") === true) {
            reportViolation(`${fieldPath(...pod.path, "hostNetwork")}: expected false or absent, found true.`);
        }
        for (const c of containersOf(pod)) {
            const ports = list(c.spec["ports"]);
            if (ports === UNKNOWN) continue;
            ports.forEach((port, i) => {
                const hostPort = at(port, "hostPort");
                if (typeof hostPort === "number" && hostPort > 0) {
                    reportViolation(
                        `${fieldPath(...c.path, "ports", i, "hostPort")}: expected absent, found ${hostPort} ` +
                            `(container "${c.label}" binds a port on every node interface).`,
                    );
                }
            });
        }
    },
};
