import type { Rule } from "../lib/rule";
import { fieldPath, inputsOf, isUnknown, shown, UNKNOWN } from "../lib/inputs";
import { containersOf, podSpecOf, securitySetting } from "../lib/kubernetes";

/** Seccomp profile types Pod Security Standards (restricted) accept. */
const CONFINED = ["RuntimeDefault", "Localhost"];

/** Every container runs under a seccomp profile. */
export const kubernetesSeccompRestricted: Rule = {
    name: "kubernetes-seccomp-restricted",
    description:
        "Every container runs with `seccompProfile.type` RuntimeDefault or Localhost, set on the container or " +
        "the pod (Pod Security Standards: restricted), which blocks rarely needed, risky syscalls.",
    severity: "medium",
    category: "hardening",
    remediationSteps: 'Set `spec.securityContext.seccompProfile: { type: "RuntimeDefault" }` on the pod template.',
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        for (const c of containersOf(pod)) {
            const type = securitySetting(pod, c, "seccompProfile", "type");
            if (isUnknown(type) || (typeof type === "string" && CONFINED.includes(type))) continue;
            reportViolation(
                `${fieldPath(...c.path, "securityContext", "seccompProfile", "type")}: expected "RuntimeDefault" or ` +
                    `"Localhost" (here or in the pod's securityContext), found ${shown(type)} (container "${c.label}").`,
            );
        }
    },
};
