import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, fieldPath, inputsOf, isUnknown, list, str, UNKNOWN } from "../lib/inputs";
import { processesOf, statefulServiceOf } from "../lib/processes";

/** True when a mount source is (or may be, if unknown) set. */
function isSet(value: unknown): boolean {
    return isUnknown(value) || (typeof value === "string" && value !== "");
}

/** Stateful docker services keep their data on named volumes. */
export const dockerStatefulDataOnNamedVolume: Rule = {
    name: "docker-stateful-data-on-named-volume",
    description:
        "Docker containers of stateful services (postgres, minio, vault/openbao, registry, loki, ...) mount a " +
        "volume, and no container uses anonymous volumes, so data survives container replacement.",
    severity: "high",
    category: "durability",
    remediationSteps:
        "Create a `docker.Volume` per service and mount it with `volumes: [{ volumeName: volume.name, " +
        "containerPath: <data dir> }]`; give every volume entry a `volumeName`, `hostPath` or `fromContainer`.",
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const props = inputsOf(args);
        const volumes = list(props["volumes"]);
        const mounts = list(props["mounts"]);
        if (volumes === UNKNOWN || mounts === UNKNOWN) return;
        volumes.forEach((v, i) => {
            if (isUnknown(v) || ["volumeName", "hostPath", "fromContainer"].some((k) => isSet(at(v, k)))) return;
            const target = str(at(v, "containerPath")) ?? "(unknown path)";
            reportViolation(`${fieldPath("volumes", i, "volumeName")}: expected a named volume, found an anonymous volume at ${target}.`);
        });
        const service = processesOf(args.type, props).flatMap((p) => statefulServiceOf(p) ?? [])[0];
        const persists = (m: unknown): boolean => isUnknown(m) || (at(m, "type") !== "tmpfs" && isSet(at(m, "source")));
        if (service === undefined || volumes.length > 0 || mounts.some(persists)) return;
        reportViolation(`volumes: expected a named volume for ${service}'s data, found none (its data dies with the container).`);
    },
};
