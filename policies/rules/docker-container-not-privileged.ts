import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, inputsOf } from "../lib/inputs";

/** Docker containers never run privileged. */
export const dockerContainerNotPrivileged: Rule = {
    name: "docker-container-not-privileged",
    description:
        "Docker containers do not set `privileged: true`, which gives the container every capability and " +
        "every host device: root in the container becomes root on the workstation.",
    severity: "critical",
    category: "hardening",
    remediationSteps:
        "Remove `privileged`; add back only the single capability the service needs through " +
        "`capabilities.adds` (e.g. `IPC_LOCK` for Vault's mlock).",
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        if (at(inputsOf(args), "privileged") === true) {
            reportViolation("privileged: expected false or absent, found true.");
        }
    },
};
