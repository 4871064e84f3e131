/** Host paths whose mount gives a container control of, or secrets from, the host. */
const SENSITIVE_TREES = [
    "/etc",
    "/root",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/kubelet",
    "/run/containerd",
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/etc/pve",
];

/** Directories that are sensitive as a whole (their children may be fine, e.g. `/srv/lake`). */
const SENSITIVE_DIRS = ["/", "/var", "/run", "/var/run", "/home", "/srv", "/mnt"];

/** `/var/run/../run/docker.sock/` -> `/run/docker.sock`. */
export function normalizeHostPath(path: string): string {
    const parts: string[] = [];
    for (const part of path.split("/")) {
        if (part === "" || part === ".") continue;
        if (part === "..") parts.pop();
        else parts.push(part);
    }
    return `/${parts.join("/")}`;
}

/** True for the Docker socket, any runtime socket, system trees and whole top-level directories. */
export function isSensitiveHostPath(path: string): boolean {
    const p = normalizeHostPath(path);
    if (SENSITIVE_DIRS.includes(p) || p.endsWith(".sock")) return true;
    return SENSITIVE_TREES.some((tree) => p === tree || p.startsWith(`${tree}/`));
}
