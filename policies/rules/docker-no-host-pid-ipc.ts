import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { at, inputsOf } from "../lib/inputs";

/** Namespace settings that must not be shared with the host. */
const HOST_NAMESPACES = ["pidMode", "ipcMode", "usernsMode"] as const;

/** Docker containers keep their own PID, IPC and user namespaces. */
export const dockerNoHostPidIpc: Rule = {
    name: "docker-no-host-pid-ipc",
    description:
        "Docker containers do not share the host's PID, IPC or user namespace, which would let them see and " +
        "signal host processes, read shared memory, or drop user remapping.",
    severity: "high",
    category: "hardening",
    remediationSteps: 'Remove `pidMode: "host"`, `ipcMode: "host"` and `usernsMode: "host"` from the container.',
    validateResource: (args, reportViolation) => {
        if (args.type !== DOCKER.container) return;
        const props = inputsOf(args);
        for (const field of HOST_NAMESPACES) {
            if (at(props, field) === "host") {
                reportViolation(`${field}: expected the container's own namespace (absent), found "host".`);
            }
        }
    },
};
