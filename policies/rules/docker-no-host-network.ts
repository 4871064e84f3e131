import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, inputsOf } from "../lib/inputs";

/** Docker containers keep their own network namespace. */
export const dockerNoHostNetwork: Rule = {
    name: "docker-no-host-network",
    description:
        "Docker containers do not use the host's network namespace: with `networkMode: host` every port the " +
        "service opens listens on the host's interfaces, bypassing published-port bindings.",
    severity: "high",
    category: "exposure",
    remediationSteps:
        'Remove `networkMode: "host"`; attach the container to the platform\'s bridge network ' +
        "(`networksAdvanced`) and publish only the ports clients need, bound to 127.0.0.1.",
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const mode = at(inputsOf(args), "networkMode");
        if (mode === "host") {
            reportViolation('networkMode: expected a bridge or user-defined network, found "host".');
        }
    },
};
