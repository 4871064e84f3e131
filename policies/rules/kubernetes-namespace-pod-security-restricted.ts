import type { Rule } from "../lib/rule";
import { K8S } from "../lib/types";
import { at, fieldPath, inputsOf, isUnknown, shown } from "../lib/inputs";

/** The admission label that makes the API server enforce a Pod Security Standard. */
const ENFORCE = "pod-security.kubernetes.io/enforce";

/** Namespaces enforce the restricted Pod Security Standard at admission. */
export const kubernetesNamespacePodSecurityRestricted: Rule = {
    name: "kubernetes-namespace-pod-security-restricted",
    description:
        `Namespaces carry the label \`${ENFORCE}: restricted\`, so the API server itself rejects pods that ` +
        "run as root, escalate privileges or keep capabilities, whoever deploys them.",
    severity: "high",
    category: "hardening",
    remediationSteps: `Add \`metadata.labels["${ENFORCE}"] = "restricted"\` to the namespace.`,
    validateResource: (args, reportViolation) => {
        if (args.type !== K8S.namespace) return;
        const level = at(inputsOf(args), "metadata", "labels", ENFORCE);
        if (isUnknown(level) || level === "restricted") return;
        reportViolation(`${fieldPath("metadata", "labels", ENFORCE)}: expected "restricted", found ${shown(level)}.`);
    },
};
