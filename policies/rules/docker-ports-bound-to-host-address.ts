import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, fieldPath, inputsOf, isUnknown, list, shown, UNKNOWN } from "../lib/inputs";

/** Host addresses that mean "every interface". */
const ALL_INTERFACES = ["", "0.0.0.0", "::", "[::]"];

/** Published docker ports name the host address they bind to; none listens on every interface. */
export const dockerPortsBoundToHostAddress: Rule = {
    name: "docker-ports-bound-to-host-address",
    description:
        "Docker containers publish ports only on an explicit loopback or host address (e.g. 127.0.0.1), never " +
        "on every interface, so workstation services are not reachable from the network.",
    severity: "high",
    category: "exposure",
    remediationSteps:
        'Set `ip: "127.0.0.1"` (or another specific host address) on every entry of the container\'s `ports` ' +
        "and do not set `publishAllPorts`. Reach services from other machines through a reverse proxy or an " +
        "SSH tunnel instead.",
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const props = inputsOf(args);
        if (at(props, "publishAllPorts") === true) {
            reportViolation("publishAllPorts: expected false or absent, found true, which publishes every exposed port on all interfaces.");
        }
        const ports = list(props["ports"]);
        if (ports === UNKNOWN) return;
        ports.forEach((port, i) => {
            const ip = at(port, "ip");
            if (isUnknown(ip)) return;
            if (ip === undefined || (typeof ip === "string" && ALL_INTERFACES.includes(ip))) {
                const internal = shown(at(port, "internal"));
                reportViolation(
                    `${fieldPath("ports", i, "ip")}: expected a loopback or specific host address (e.g. "127.0.0.1"), ` +
                        `found ${shown(ip)}, which publishes container port ${internal} on all interfaces.`,
                );
            }
        });
    },
};
