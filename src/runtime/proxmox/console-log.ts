/*
 * Every service's output on the proxmox target, the way PVE can give it without a log driver: LXC
 * itself (the container's monitor, on the node) writes the container's console, which is the gated
 * service's stdout and stderr, to a file named by `lxc.console.logfile` in the container's config,
 * one of the raw LXC keys PVE accepts there (not through its API). The collector's container reads
 * the stack's directory through a read-only bind mount (`lxc.mount.entry`). Nothing sits between the
 * service and its stop signal, and no line depends on the collector being up.
 *
 * Each file is made by lakeforge before its container first starts, owned by the collector's mapped
 * uid with mode 0640 (LXC opens it without truncating and never changes its owner), so the
 * unprivileged collector can read it and no other container can. The node's logrotate keeps each at
 * 3 x 10 MB, as Docker's json-file logs are, by copy and truncate: LXC appends (O_APPEND), so its
 * next line lands at the start of the truncated file.
 */

/** PVE's unprivileged containers map ids 0-65535 inside to 100000-165535 on the node. */
export const UNPRIVILEGED_ID_SHIFT = 100_000;
/** Where the collector's container sees the stack's console logs. */
export const COLLECTOR_LOG_DIR = "/var/log/lakeforge";
/** Where PVE keeps container configs (pmxcfs): raw LXC keys can only be written there. */
export const PVE_LXC_CONF_DIR = "/etc/pve/lxc";

/** The stack's directory of console logs on the node. */
export function consoleLogDir(logDir: string, stack: string): string {
    return `${logDir.replace(/\/+$/, "")}/${stack}`;
}

/** A service's console log in the stack's directory. */
export function consoleLogPath(dir: string, service: string): string {
    return `${dir}/${service}.log`;
}

/** Raw LXC lines that make the container's console a file in the stack's directory. */
export function consoleLogLines(path: string): string[] {
    return [`lxc.console.logfile: ${path}`];
}

/** Raw LXC lines that give the collector the stack's directory, read-only. */
export function collectorMountLines(dir: string): string[] {
    return [`lxc.mount.entry: ${dir} ${COLLECTOR_LOG_DIR.slice(1)} none bind,ro,create=dir 0 0`];
}

/** `uid:gid` inside an unprivileged container as the node sees it. */
export function hostIds(user: string | undefined): string {
    const [uid = "0", gid = uid] = (user ?? "0:0").split(":");
    if (!/^\d+$/.test(uid) || !/^\d+$/.test(gid))
        throw new Error(`expected a numeric uid:gid for the log collector, found ${JSON.stringify(user)}`);
    return `${UNPRIVILEGED_ID_SHIFT + Number(uid)}:${UNPRIVILEGED_ID_SHIFT + Number(gid)}`;
}

/** Whether lakeforge wrote this raw line: its console log, or its collector's bind mount. */
function ownedLine(line: string): boolean {
    return /^lxc\.console\.logfile:/.test(line) || (/^lxc\.mount\.entry:/.test(line) && line.includes(` ${COLLECTOR_LOG_DIR.slice(1)} `));
}

/**
 * A PVE container config with lakeforge's raw lines replaced by `lines`: only in the current
 * configuration (before the first `[snapshot]` section), everything else kept as it was.
 */
export function withRawLines(conf: string, lines: readonly string[]): string {
    const at = conf.search(/^\[/m);
    const current = at < 0 ? conf : conf.slice(0, at);
    const rest = at < 0 ? "" : conf.slice(at);
    const kept = current.split("\n").filter((line) => line !== "" && !ownedLine(line));
    return `${[...kept, ...lines].join("\n")}\n${rest === "" ? "" : `\n${rest}`}`;
}

/** The node's logrotate rule for the stack's console logs. */
export function logrotateRule(dir: string): string {
    return [
        `# lakeforge: console logs of the stack's containers (removed with the stack)`,
        `${dir}/*.log {`,
        `    size 10M`,
        `    rotate 3`,
        `    copytruncate`,
        `    missingok`,
        `    notifempty`,
        `    nocompress`,
        `}`,
        ``,
    ].join("\n");
}

/** The logrotate file of a stack on the node. */
export function logrotatePath(stack: string): string {
    return `/etc/logrotate.d/lakeforge-${stack}`;
}

/**
 * Node script: the stack's directory ($1, owner $2, 0750) and its logrotate rule ($3, content on stdin).
 * `install -d` leaves the files already in the directory alone.
 */
export const PREPARE_LOG_DIR_SCRIPT = [
    `set -eu`,
    `install -d -m 0750 -o "\${2%%:*}" -g "\${2##*:}" "$1"`,
    `umask 022; cat > "$3.lf-tmp"; mv -f "$3.lf-tmp" "$3"`,
].join("; ");

/** Node script: the stack's logrotate rule ($2) and directory ($1) removed, logs and all. */
export const REMOVE_LOG_DIR_SCRIPT = `set -eu; rm -f "$2"; rm -rf --one-file-system "$1"`;

/**
 * Node script: a container's console log ($2) made if missing, then owned by $3 with 0640, and its
 * config ($1) replaced by stdin if it still hashes to $4, all under PVE's own lock of that config.
 */
export const SET_RAW_CONFIG_SCRIPT = [
    `set -eu`,
    `if [ -n "$2" ]; then [ -e "$2" ] || : >> "$2"; chown "$3" "$2"; chmod 0640 "$2"; fi`,
    `mkdir -p /run/lock/lxc; exec 9> "/run/lock/lxc/pve-config-$5.lock"`,
    `flock -w 60 9`,
    `[ "$(sha256sum < "$1" | cut -d" " -f1)" = "$4" ] || { echo "the config of CT $5 changed while lakeforge edited it; run again" >&2; exit 75; }`,
    `cat > "$1.tmp.$$"; mv -f "$1.tmp.$$" "$1"`,
].join("; ");
