import type { Rule } from "../lib/rule";
import { at, fieldPath, inputsOf, UNKNOWN } from "../lib/inputs";
import { containersOf, podSpecOf, RUN_TO_COMPLETION } from "../lib/kubernetes";

/** Probes every long-running container declares. */
const PROBES = ["readinessProbe", "livenessProbe"] as const;

/** Long-running containers declare readiness and liveness probes. */
export const kubernetesProbesPresent: Rule = {
    name: "kubernetes-probes-present",
    description:
        "Containers of long-running workloads (not Jobs, CronJobs or init containers) declare `readinessProbe` " +
        "and `livenessProbe`, so traffic waits for readiness and hung services restart.",
    severity: "medium",
    category: "operability",
    remediationSteps:
        "Add `readinessProbe` and `livenessProbe` (httpGet, tcpSocket or exec) from the component's health " +
        "check; use a `startupProbe` for slow starters such as Trino or the Hive metastore.",
    validateResource: (args, reportViolation) => {
        if (RUN_TO_COMPLETION.includes(args.type)) return;
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        for (const c of containersOf(pod)) {
            if (c.init) continue;
            for (const probe of PROBES) {
                if (at(c.spec, probe) !== undefined) continue;
                reportViolation(`${fieldPath(...c.path, probe)}: expected a probe, found absent (container "${c.label}").`);
            }
        }
    },
};
