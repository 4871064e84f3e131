import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, fieldPath, inputsOf, isUnknown } from "../lib/inputs";

/** Docker containers logging to json-file rotate their logs. */
export const dockerLogRotation: Rule = {
    name: "docker-log-rotation",
    description:
        "Docker containers that log with the json-file driver (the default) set `logOpts` `max-size` so logs " +
        "rotate instead of filling the disk; `local` and remote drivers rotate or ship logs themselves.",
    severity: "medium",
    category: "operability",
    remediationSteps:
        'Set `logDriver: "json-file"` with `logOpts: { "max-size": "10m", "max-file": "3" }` (or use the ' + "`local` driver).",
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const props = inputsOf(args);
        const driver = at(props, "logDriver");
        if (isUnknown(driver) || (driver !== undefined && driver !== "json-file")) return;
        const maxSize = at(props, "logOpts", "max-size");
        if (isUnknown(maxSize) || (typeof maxSize === "string" && maxSize !== "")) return;
        reportViolation(`${fieldPath("logOpts", "max-size")}: expected a size limit (e.g. "10m") for the json-file driver, found absent.`);
    },
};
