import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, inputsOf, UNKNOWN } from "../lib/inputs";
import { capabilityList, DANGEROUS_CAPABILITIES } from "../lib/capabilities";

/** Docker containers drop every capability and add back only harmless ones. */
export const dockerCapabilitiesDropped: Rule = {
    name: "docker-capabilities-dropped",
    description:
        'Docker containers drop all Linux capabilities (`capabilities.drops: ["ALL"]`) and add back only what ' +
        "the service needs, never host-control capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE.",
    severity: "high",
    category: "hardening",
    remediationSteps:
        'Set `capabilities: { drops: ["ALL"], adds: [...] }` with the minimal set (e.g. CHOWN, SETUID, ' +
        "SETGID, DAC_OVERRIDE, FOWNER for images whose entrypoint drops root; IPC_LOCK for Vault).",
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const props = inputsOf(args);
        const drops = capabilityList(at(props, "capabilities", "drops"));
        if (drops !== UNKNOWN && !drops.includes("ALL")) {
            reportViolation(`capabilities.drops: expected to include "ALL", found ${JSON.stringify(drops)}.`);
        }
        const adds = capabilityList(at(props, "capabilities", "adds"));
        if (adds === UNKNOWN) return;
        const dangerous = adds.filter((cap) => DANGEROUS_CAPABILITIES.includes(cap));
        if (dangerous.length > 0) {
            reportViolation(`capabilities.adds: expected no host-control capabilities, found ${JSON.stringify(dangerous)}.`);
        }
    },
};
