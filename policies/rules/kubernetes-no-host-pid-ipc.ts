import type { Rule } from "../lib/rule";
import { at, fieldPath, inputsOf, UNKNOWN } from "../lib/inputs";
import { podSpecOf } from "../lib/kubernetes";

/** Pods keep their own PID and IPC namespaces. */
export const kubernetesNoHostPidIpc: Rule = {
    name: "kubernetes-no-host-pid-ipc",
    description:
        "Pod templates do not set `hostPID` or `hostIPC` (Pod Security Standards: baseline), which would let " +
        "containers see node processes and shared memory.",
    severity: "high",
    category: "hardening",
    remediationSteps: "Remove `hostPID` and `hostIPC` from the pod spec.",
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, inputsOf(args));
        if (pod === undefined || pod === UNKNOWN) return;
        for (const field of ["hostPID", "hostIPC"]) {
            if (at(pod.spec, field) === true) {
                reportViolation(`${fieldPath(...pod.path, field)}: expected false or absent, found true.`);
            }
        }
    },
};
