import type { Rule } from "../lib/rule";
import { at, fieldPath, inputsOf, UNKNOWN } from "../lib/inputs";
import { containersOf, podSpecOf } from "../lib/kubernetes";

/** No container in a pod template runs privileged. */
export const kubernetesNoPrivilegedContainers: Rule = {
    name: "kubernetes-no-privileged-containers",
    description:
        "Containers in pod templates do not set `securityContext.privileged: true` (Pod Security Standards: " +
        "baseline), which gives them every capability and host device.",
    severity: "critical",
    category: "hardening",
    remediationSteps: "Remove `securityContext.privileged` from every container and init container.",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        for (const c of containersOf(pod)) {
            if (at(c.spec, "securityContext", "privileged") === true) {
                reportViolation(
                    `${fieldPath(...c.path, "securityContext", "privileged")}: expected false or absent, ` +
                        `found true (container "${c.label}").`,
                );
            }
        }
    },
};
