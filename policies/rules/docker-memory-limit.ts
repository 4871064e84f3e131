import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, inputsOf, isUnknown, shown } from "../lib/inputs";

/** Docker containers have a memory limit. */
export const dockerMemoryLimit: Rule = {
    name: "docker-memory-limit",
    description:
        "Docker containers set `memory` (MB), so one runaway service (a Trino query, a Spark job) cannot take " +
        "the workstation's memory from the others.",
    severity: "medium",
    category: "operability",
    remediationSteps:
        "Set `memory` on the container from the component's `resources` (lakeforge maps the ServiceSpec memory " + "limit to it).",
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const memory = at(inputsOf(args), "memory");
        if (isUnknown(memory) || (typeof memory === "number" && memory > 0)) return;
        reportViolation(`memory: expected a memory limit in MB (e.g. 1024), found ${shown(memory)}.`);
    },
};
