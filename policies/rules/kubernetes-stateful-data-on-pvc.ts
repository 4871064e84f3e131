import type { Rule } from "../lib/rule";
import { K8S } from "../lib/types";
import { at, inputsOf, isUnknown, list, UNKNOWN } from "../lib/inputs";
import { podSpecOf, RUN_TO_COMPLETION } from "../lib/kubernetes";
import { processesOf, statefulServiceOf } from "../lib/processes";

/** Kubernetes workloads of stateful services keep their data on PersistentVolumeClaims. */
export const kubernetesStatefulDataOnPvc: Rule = {
    name: "kubernetes-stateful-data-on-pvc",
    description:
        "Long-running pod templates whose main container runs a stateful service (postgres, minio, vault/openbao, " +
        "registry on local storage, loki, ...) get a PersistentVolumeClaim, from a StatefulSet " +
        "`volumeClaimTemplates` entry or a `persistentVolumeClaim` volume, so data survives rescheduling.",
    severity: "high",
    category: "durability",
    remediationSteps:
        "Run the service as a StatefulSet with `volumeClaimTemplates` (and a StorageClass with `reclaimPolicy: " +
        "Retain` in prod) and mount the claim at the data directory; do not keep data on emptyDir. A registry " +
        "may instead use an object storage driver (REGISTRY_STORAGE_S3_*).",
    validateResource: (args, reportViolation) => {
        if (RUN_TO_COMPLETION.includes(args.type)) return; // jobs use these images as clients
        const props = inputsOf(args);
        const pod = podSpecOf(args.type, props);
        if (pod === undefined || pod === UNKNOWN) return;
        const stateful = processesOf(args.type, props).flatMap((p) => statefulServiceOf(p) ?? []);
        if (stateful.length === 0) return;
        const templates = args.type === K8S.statefulSet ? list(at(props, "spec", "volumeClaimTemplates")) : [];
        const volumes = list(pod.spec["volumes"]);
        if (templates === UNKNOWN || volumes === UNKNOWN || templates.length > 0) return;
        const claimed = volumes.some((v) => isUnknown(v) || at(v, "persistentVolumeClaim") !== undefined);
        if (!claimed) {
            const field = args.type === K8S.statefulSet ? "spec.volumeClaimTemplates" : "volumes";
            reportViolation(`${field}: expected a PersistentVolumeClaim for ${stateful.join(", ")} data, found none.`);
        }
    },
};
