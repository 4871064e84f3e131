import type { Rule } from "../lib/rule";
import { fieldPath, inputsOf, isUnknown, shown, UNKNOWN } from "../lib/inputs";
import { containersOf, podSpecOf, securitySetting } from "../lib/kubernetes";

/** Every container runs as a non-root user, enforced by the kubelet. */
export const kubernetesRunAsNonRoot: Rule = {
    name: "kubernetes-run-as-non-root",
    description:
        "Every container has `runAsNonRoot: true` (its own or the pod's securityContext) and no `runAsUser: 0` " +
        "(Pod Security Standards: restricted), so the kubelet refuses to start it as root.",
    severity: "high",
    category: "hardening",
    remediationSteps:
        "Set `spec.securityContext: { runAsNonRoot: true, runAsUser: <uid>, fsGroup: <gid> }` on the pod " +
        "template, with the image's non-root UID; remove any `runAsUser: 0`.",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        for (const c of containersOf(pod)) {
            const nonRoot = securitySetting(pod, c, "runAsNonRoot");
            if (!isUnknown(nonRoot) && nonRoot !== true) {
                reportViolation(
                    `${fieldPath(...c.path, "securityContext", "runAsNonRoot")}: expected true (here or in the pod's ` +
                        `securityContext), found ${shown(nonRoot)} (container "${c.label}").`,
                );
            }
            if (securitySetting(pod, c, "runAsUser") === 0) {
                reportViolation(
                    `${fieldPath(...c.path, "securityContext", "runAsUser")}: expected a non-zero UID, found 0 ` +
                        `(container "${c.label}").`,
                );
            }
        }
    },
};
