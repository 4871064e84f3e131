import type { HealthCheck } from "../spec";

/**
 * The Proxmox VE node as the proxmox runtime reaches it over SSH: only `pct` (exec, status, reboot),
 * because the PVE API has no way to run a command or place a file inside a container.
 * Implemented in `node-ssh.ts` with `ssh2`; everything secret travels on stdin, never in argv.
 */
export interface NodeSshSettings {
    readonly host: string;
    readonly port: number;
    /** `root`, or a user allowed `sudo -n /usr/sbin/pct` without a password. */
    readonly user: string;
    /** PEM/OpenSSH private key (secret). */
    readonly privateKey: string;
    /** The node's host key as `ssh-keygen -lf` prints it (`SHA256:...`); unset only with `insecureHostKey`. */
    readonly hostKey?: string;
    readonly insecureHostKey?: boolean;
    /** Prefix `pct` with `sudo -n` (for a non-root user). */
    readonly sudo?: boolean;
}

/** A file placed inside a container: content on stdin, written to a temporary name, then renamed. */
export interface ContainerFile {
    /** Absolute path inside the container; parent directories are created. */
    readonly path: string;
    readonly content: string;
    /** Octal mode, e.g. 0o400. */
    readonly mode: number;
    /** `uid:gid` inside the container; unset keeps root. */
    readonly owner?: string;
}

export interface ExecResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** One SSH session to the node. `close()` ends it. */
export interface PveNode {
    /** `pct exec <vmid> -- argv...`, with optional stdin; never puts stdin into the command line. */
    exec(vmid: number, argv: readonly string[], options?: { readonly stdin?: string; readonly timeoutMs?: number }): Promise<ExecResult>;
    /** Places each file atomically (umask 077, tmp + mv, chown, chmod). */
    pushFiles(vmid: number, files: readonly ContainerFile[]): Promise<void>;
    /**
     * A script run on the node itself (`sh -c script sh args...`, through `sudo -n` for a non-root
     * user): for what only the node's files can hold, such as a container's raw LXC keys.
     */
    host(script: string, args: readonly string[], stdin?: string): Promise<ExecResult>;
    /** `pct status <vmid>`: `running` or `stopped`. */
    status(vmid: number): Promise<"running" | "stopped">;
    /**
     * Runs the health check through `exec` as Docker would: failures inside the start period do
     * not count; fails after `retries` consecutive failures or after `deadlineSeconds`, with the
     * last output of the command in the error.
     */
    waitHealthy(vmid: number, check: HealthCheck, deadlineSeconds: number): Promise<void>;
    close(): void;
}
