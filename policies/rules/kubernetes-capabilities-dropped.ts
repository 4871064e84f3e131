import type { Rule } from "../lib/rule";
import { at, fieldPath, inputsOf, UNKNOWN } from "../lib/inputs";
import { containersOf, podSpecOf } from "../lib/kubernetes";
import { capabilityList } from "../lib/capabilities";

/** Pod Security Standards (restricted) allow adding back only this capability. */
const ALLOWED_ADDS = ["NET_BIND_SERVICE"];

/** Every container drops all capabilities and adds back at most NET_BIND_SERVICE. */
export const kubernetesCapabilitiesDropped: Rule = {
    name: "kubernetes-capabilities-dropped",
    description:
        'Every container sets `securityContext.capabilities.drop: ["ALL"]` and adds back nothing but ' +
        "NET_BIND_SERVICE (Pod Security Standards: restricted).",
    severity: "high",
    category: "hardening",
    remediationSteps:
        'Set `securityContext.capabilities: { drop: ["ALL"] }` on every container; listen on ports above 1024 ' +
        "instead of adding capabilities.",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        for (const c of containersOf(pod)) {
            const caps = (...path: string[]): string => fieldPath(...c.path, "securityContext", "capabilities", ...path);
            const drop = capabilityList(at(c.spec, "securityContext", "capabilities", "drop"));
            if (drop !== UNKNOWN && !drop.includes("ALL")) {
                reportViolation(`${caps("drop")}: expected to include "ALL", found ${JSON.stringify(drop)} (container "${c.label}").`);
            }
            const add = capabilityList(at(c.spec, "securityContext", "capabilities", "add"));
            const extra = add === UNKNOWN ? [] : add.filter((cap) => !ALLOWED_ADDS.includes(cap));
            if (extra.length > 0) {
                reportViolation(
                    `${caps("add")}: expected at most ["NET_BIND_SERVICE"], found ${JSON.stringify(extra)} (container "${c.label}").`,
                );
            }
        }
    },
};
