import type { Rule } from "../lib/rule";
import { isLakeforgeContainer } from "../lib/types";
import { at, inputsOf, isUnknown, shown } from "../lib/inputs";

/** lakeforge's proxmox containers have a memory limit and a CPU allowance. */
export const proxmoxLxcResourcesSet: Rule = {
    name: "proxmox-lxc-resources-set",
    description:
        "lakeforge's proxmox containers set `config.memory` (MiB) and `config.cores`, so one runaway service " +
        "(a Trino query, a Spark job) cannot take the node's memory and CPU from the others.",
    severity: "medium",
    category: "operability",
    remediationSteps:
        "Give the component's `resources` a memory limit and CPUs (lakeforge maps them to PVE's `memory`, `cores` " + "and `cpulimit`).",
    validateResource: (args, reportViolation) => {
        const props = inputsOf(args);
        if (!isLakeforgeContainer(args.type)) return;
        for (const key of ["memory", "cores"]) {
            const value = at(props, "config", key);
            if (isUnknown(value) || (typeof value === "number" && value > 0)) continue;
            reportViolation(`config.${key}: expected a positive number, found ${shown(value)}.`);
        }
    },
};
