import type { Rule } from "../lib/rule";
import { at, fieldPath, inputsOf, isUnknown, shown, UNKNOWN } from "../lib/inputs";
import { containersOf, podSpecOf } from "../lib/kubernetes";

/** Every container explicitly forbids privilege escalation. */
export const kubernetesNoPrivilegeEscalation: Rule = {
    name: "kubernetes-no-privilege-escalation",
    description:
        "Every container sets `securityContext.allowPrivilegeEscalation: false` (Pod Security Standards: " +
        "restricted); absent means true, so setuid binaries could gain privileges.",
    severity: "high",
    category: "hardening",
    remediationSteps: "Set `securityContext.allowPrivilegeEscalation: false` on every container and init container.",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        for (const c of containersOf(pod)) {
            const value = at(c.spec, "securityContext", "allowPrivilegeEscalation");
            if (isUnknown(value) || value === false) continue;
            reportViolation(
                `${fieldPath(...c.path, "securityContext", "allowPrivilegeEscalation")}: expected false, ` +
                    `found ${shown(value)} (container "${c.label}").`,
            );
        }
    },
};
