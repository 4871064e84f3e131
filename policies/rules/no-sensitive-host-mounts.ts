import type { Rule } from "../lib/rule";
import { DOCKER, isProxmoxLxc } from "../lib/types";
import { at, fieldPath, inputsOf, list, str, UNKNOWN, type Props } from "../lib/inputs";
import { isSensitiveHostPath } from "../lib/host-paths";

/** Host paths a docker container or LXC guest bind-mounts, with the field that names each. */
function hostMounts(type: string, props: Props): { field: string; path: string }[] {
    const found: { field: string; path: unknown }[] = [];
    const each = (key: string, pick: (entry: unknown) => unknown, sub: string): void => {
        const entries = list(props[key]);
        if (entries === UNKNOWN) return;
        entries.forEach((entry, i) => found.push({ field: fieldPath(key, i, sub), path: pick(entry) }));
    };
    if (type === DOCKER.container) {
        each("volumes", (v) => at(v, "hostPath"), "hostPath");
        each("mounts", (m) => (at(m, "type") === "bind" ? at(m, "source") : undefined), "source");
    }
    // An LXC mount point whose volume is an absolute path is a bind mount of that host directory.
    if (isProxmoxLxc(type)) each("mountPoints", (m) => at(m, "volume"), "volume");
    return found.flatMap(({ field, path }) => {
        const p = str(path);
        return p !== undefined && p.startsWith("/") ? [{ field, path: p }] : [];
    });
}

/** No container mounts the Docker socket or a sensitive host directory. */
export const noSensitiveHostMounts: Rule = {
    name: "no-sensitive-host-mounts",
    description:
        "Docker containers and Proxmox LXC guests do not bind-mount the Docker/containerd socket or sensitive " +
        "host paths (/, /etc, /proc, /sys, /dev, /root, /var/lib/docker, ...): each is a path to host root.",
    severity: "critical",
    category: "hardening",
    remediationSteps:
        "Keep service state on named volumes (docker `volumes[].volumeName`) or a dedicated data directory " +
        "(e.g. /srv/lakeforge/<service>); deliver config files with `uploads`. Never mount the Docker socket, " +
        "not even read-only: the API it serves is not read-only.",
    validateResource: (args, reportViolation) => {
        for (const { field, path } of hostMounts(args.type, inputsOf(args))) {
            if (isSensitiveHostPath(path)) {
                reportViolation(`${field}: expected a named volume or a dedicated data directory, found host path "${path}".`);
            }
        }
    },
};
