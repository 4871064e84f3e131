import type { Rule } from "../lib/rule";
import { isLakeforgeContainer } from "../lib/types";
import { at, inputsOf, list, UNKNOWN } from "../lib/inputs";

/** lakeforge's proxmox containers have a health check. */
export const proxmoxLxcHealthcheckPresent: Rule = {
    name: "proxmox-lxc-healthcheck-present",
    description:
        "lakeforge's proxmox containers carry a `healthCheck` command (LXC has none of its own: lakeforge runs it " +
        "through `pct exec`), so dependents wait for a healthy service and `pulumi up` verifies what it started.",
    severity: "medium",
    category: "operability",
    remediationSteps:
        "Give the component's ServiceSpec a `healthCheck.command` (e.g. `pg_isready`, `wget -q -O- http://127.0.0.1:8181/healthcheck`).",
    validateResource: (args, reportViolation) => {
        const props = inputsOf(args);
        if (!isLakeforgeContainer(args.type)) return;
        const command = list(at(props, "healthCheck"));
        if (command === UNKNOWN || command.length > 0) return;
        reportViolation("healthCheck: expected a health check command, found none.");
    },
};
