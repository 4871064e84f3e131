import type { Rule } from "../lib/rule";
import { at, fieldPath, inputsOf, UNKNOWN } from "../lib/inputs";
import { containersOf, podSpecOf } from "../lib/kubernetes";

/** The resource settings every container declares. */
const REQUIRED = [
    ["requests", "cpu"],
    ["requests", "memory"],
    ["limits", "memory"],
] as const;

/** Every container declares CPU and memory requests and a memory limit. */
export const kubernetesResourcesSet: Rule = {
    name: "kubernetes-resources-set",
    description:
        "Every container sets `resources.requests.cpu`, `resources.requests.memory` and " +
        "`resources.limits.memory`, so the scheduler places it correctly and a leak cannot starve the node.",
    severity: "medium",
    category: "operability",
    remediationSteps:
        "Set `resources: { requests: { cpu, memory }, limits: { memory } }` on every container, from the " +
        "component's resources settings.",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        for (const c of containersOf(pod)) {
            const missing = REQUIRED.filter((path) => at(c.spec, "resources", ...path) === undefined);
            if (missing.length === 0) continue;
            const names = missing.map((path) => path.join("."));
            reportViolation(
                `${fieldPath(...c.path, "resources")}: expected ${names.join(", ")} to be set, found them absent ` +
                    `(container "${c.label}").`,
            );
        }
    },
};
