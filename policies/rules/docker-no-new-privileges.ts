import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, inputsOf, isUnknown, list, UNKNOWN } from "../lib/inputs";

/** `no-new-privileges`, `no-new-privileges:true` and `no-new-privileges=true` all enable it. */
const NO_NEW_PRIVILEGES = /^no-new-privileges([:=]true)?$/i;

/** Docker container processes cannot gain privileges through setuid binaries. */
export const dockerNoNewPrivileges: Rule = {
    name: "docker-no-new-privileges",
    description:
        'Docker containers set `securityOpts: ["no-new-privileges:true"]`, so no process in the container can ' +
        "gain privileges through setuid/setgid binaries or file capabilities.",
    severity: "medium",
    category: "hardening",
    remediationSteps: 'Add `"no-new-privileges:true"` to the container\'s `securityOpts`.',
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const opts = list(at(inputsOf(args), "securityOpts"));
        if (opts === UNKNOWN || opts.some(isUnknown)) return;
        if (!opts.some((o) => typeof o === "string" && NO_NEW_PRIVILEGES.test(o))) {
            reportViolation(`securityOpts: expected to include "no-new-privileges:true", found ${JSON.stringify(opts)}.`);
        }
    },
};
