import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, inputsOf, list, UNKNOWN } from "../lib/inputs";

/** Docker containers define a health check. */
export const dockerHealthcheckPresent: Rule = {
    name: "docker-healthcheck-present",
    description:
        "Docker containers define `healthcheck.tests` (not NONE), so dependents wait for a healthy service and " +
        "`pulumi up` can verify what it started.",
    severity: "medium",
    category: "operability",
    remediationSteps:
        'Set `healthcheck: { tests: ["CMD", ...], interval, timeout, retries, startPeriod }` from the ' +
        "component's health check (e.g. `pg_isready`, `curl -f http://127.0.0.1:9000/minio/health/live`).",
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const tests = list(at(inputsOf(args), "healthcheck", "tests"));
        if (tests === UNKNOWN) return;
        if (tests.length === 0) {
            reportViolation("healthcheck.tests: expected a health check command, found none.");
        } else if (tests[0] === "NONE") {
            reportViolation('healthcheck.tests: expected a health check command, found ["NONE"] (disabled).');
        }
    },
};
