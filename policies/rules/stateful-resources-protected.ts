import type { Rule } from "../lib/rule";
import { isProxmoxLxc, K8S, LAKEFORGE_PROXMOX, MINIO, POSTGRESQL, VAULT } from "../lib/types";
import { at, inputsOf } from "../lib/inputs";

/**
 * Resources whose deletion deletes data. Docker volumes are not listed: the docker runtime always
 * sets `retainOnDelete` on them (not visible to policies), so destroy and renames keep their data.
 */
const DATA_TYPES: readonly string[] = [
    K8S.persistentVolumeClaim,
    POSTGRESQL.database,
    MINIO.bucket,
    VAULT.mount,
    LAKEFORGE_PROXMOX.container,
    LAKEFORGE_PROXMOX.volume,
];

/** Resources holding data are protected from deletion and do not delete data on their own. */
export const statefulResourcesProtected: Rule = {
    name: "stateful-resources-protected",
    description:
        "Resources that hold data (PVCs, PostgreSQL databases, MinIO buckets, Vault mounts, " +
        "LXC guests, lakeforge's proxmox containers and data volumes) set `protect: true`; buckets do not set `forceDestroy`; StatefulSets keep their claims " +
        "when deleted. Advisory on workstations, mandatory in prod.",
    severity: "high",
    category: "durability",
    remediationSteps:
        "Pass `{ protect: true }` in the resource options (lakeforge does so when `protect` is on for the " +
        "stack); remove `forceDestroy` from buckets; set StatefulSet " +
        '`persistentVolumeClaimRetentionPolicy.whenDeleted: "Retain"` or leave it unset.',
    validateResource: (args, reportViolation) => {
        const props = inputsOf(args);
        if ((DATA_TYPES.includes(args.type) || isProxmoxLxc(args.type)) && args.opts.protect !== true) {
            reportViolation("opts.protect: expected true for a resource that holds data, found false.");
        }
        if (args.type === MINIO.bucket && at(props, "forceDestroy") === true) {
            reportViolation("forceDestroy: expected false or absent, found true (destroy would delete every object).");
        }
        if (args.type === K8S.statefulSet && at(props, "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted") === "Delete") {
            reportViolation('spec.persistentVolumeClaimRetentionPolicy.whenDeleted: expected "Retain" or absent, found "Delete".');
        }
    },
};
