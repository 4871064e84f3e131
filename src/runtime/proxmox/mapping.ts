import { createHash } from "node:crypto";
import type { ServiceSpec } from "../spec";
import { prefixOf } from "./address";
import { shellQuote } from "./node-ssh";
import type { ProxmoxSettings } from "./settings";

/*
 * ServiceSpec -> PVE container parameters, as pure functions: what the dynamic providers send is
 * decided here, at preview time, and tested without PVE.
 */

/** What the OCI image itself says (its config blob); PVE copies these into the container at create. */
export interface ImageConfig {
    readonly env: readonly string[];
    readonly entrypoint: readonly string[];
    readonly cmd: readonly string[];
    /** `User` of the image, e.g. `postgres` or `1000:1000`; empty means root. */
    readonly user: string;
}

/** One service's place in the stack's static plan. */
export interface ServicePlan {
    readonly vmid: number;
    readonly address: string;
    /** Position in the dependency order: PVE starts containers on boot in this order. */
    readonly order: number;
    readonly rootfsGb: number;
    /** Volume id of each of the spec's volumes, in the spec's order. */
    readonly volumeIds: readonly string[];
}

/** Directory inside every container for lakeforge's files: secret.env and the start gate. */
export const LAKEFORGE_DIR = "/etc/lakeforge";
/** The marker the gated entrypoint waits for: files and secrets are in place. */
export const READY_MARKER = `${LAKEFORGE_DIR}/.ready`;
/** Secret environment, sourced by the gated entrypoint; never in PVE's `env`. */
export const SECRET_ENV_FILE = `${LAKEFORGE_DIR}/secret.env`;

/** CPU as PVE takes it: whole cores to schedule on, and a limit that allows fractions. */
export function cpuSettings(cpus: number): { cores: number; cpulimit: number } {
    return { cores: Math.max(1, Math.ceil(cpus)), cpulimit: cpus };
}

/** The `net0` property string: a static address on the bridge, applied by the host (OCI containers have no network stack of their own). */
export function net0(settings: ProxmoxSettings, address: string): string {
    const { network } = settings;
    const vlan = network.vlan === undefined ? "" : `,tag=${network.vlan}`;
    return `name=eth0,bridge=${network.bridge},ip=${address}/${prefixOf(network.cidr)},gw=${network.gateway},host-managed=1${vlan}`;
}

/** An `mpN` property string for a holder-owned volume. */
export function mountPoint(volumeId: string, path: string): string {
    return `${volumeId},mp=${path},backup=1`;
}

/** PVE's tag list: lowercased and sorted as PVE stores it, so a read-back shows no drift. */
export function pveTags(settings: ProxmoxSettings, service: string): string {
    return [...new Set([...settings.tags, service].map((t) => t.toLowerCase()))].sort().join(";");
}

/**
 * The container's settings that can change in place (PUT /config), without env and entrypoint.
 * Nothing here may carry a credential: PVE stores it in plain text in /etc/pve/lxc/<vmid>.conf.
 */
export function mutableConfig(
    spec: ServiceSpec,
    settings: ProxmoxSettings,
    plan: ServicePlan,
    stack: string,
): Record<string, string | number> {
    return { ...settingsConfig(spec, settings, plan, stack), ...mountConfig(spec, plan.volumeIds, mountPoint) };
}

/** mutableConfig but the mount points: known before any volume exists, so a preview shows it (and policies judge it). */
export function settingsConfig(
    spec: ServiceSpec,
    settings: ProxmoxSettings,
    plan: Omit<ServicePlan, "volumeIds">,
    stack: string,
): Record<string, string | number> {
    const config: Record<string, string | number> = {
        hostname: spec.name,
        ...cpuSettings(spec.resources.cpus),
        memory: spec.resources.memoryMb,
        swap: 0,
        net0: net0(settings, plan.address),
        onboot: settings.onboot ? 1 : 0,
        startup: `order=${plan.order}`,
        tags: pveTags(settings, spec.name),
        description: `lakeforge ${stack}: service ${spec.name} (managed by Pulumi; changes here are overwritten)`,
    };
    if (settings.network.dns.length > 0) config["nameserver"] = settings.network.dns.join(" ");
    if (settings.network.searchDomain !== undefined) config["searchdomain"] = settings.network.searchDomain;
    return config;
}

/** The `mpN` entries of the spec's volumes, in its order; `entry` makes each property string from a volume id and a path. */
export function mountConfig<T, R>(
    spec: Pick<ServiceSpec, "name" | "volumes">,
    volumeIds: readonly T[],
    entry: (volumeId: T, path: string) => R,
): Record<string, R> {
    return Object.fromEntries(
        spec.volumes.map((v, i) => {
            const volid = volumeIds[i];
            if (volid === undefined) throw new Error(`service ${spec.name}: no volume id for volume ${v.name}`);
            return [`mp${i}`, entry(volid, v.path)];
        }),
    );
}

/** Parameters only a new container takes: its image (a template volume id, or an Output of one), root filesystem and the fixed ones. */
export function createOnlyConfig<T = string>(
    settings: ProxmoxSettings,
    plan: Omit<ServicePlan, "address" | "order" | "volumeIds">,
    template: T,
): Record<string, string | number | T> {
    const config: Record<string, string | number | T> = {
        vmid: plan.vmid,
        ostemplate: template,
        unprivileged: 1,
        rootfs: `${settings.storage.rootfs}:${plan.rootfsGb}`,
        start: 0,
    };
    if (settings.pool !== undefined) config["pool"] = settings.pool;
    return config;
}

/** The image's `Env` with the spec's env over it: PVE's `env` replaces the whole environment, `PATH` included. */
export function mergeEnv(imageEnv: readonly string[], specEnv: Readonly<Record<string, string>>): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const line of imageEnv) {
        const eq = line.indexOf("=");
        if (eq > 0) merged[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return { ...merged, ...specEnv };
}

/** PVE's `env`: `KEY=value` entries separated by NUL, sorted for a stable diff. */
export function pveEnv(env: Readonly<Record<string, string>>): string {
    return Object.keys(env)
        .sort()
        .map((k) => `${k}=${env[k]}`)
        .join("\0");
}

/** The command the container runs, as Docker would run it: the spec's entrypoint replaces the image's and resets its Cmd. */
export function serviceArgv(spec: Pick<ServiceSpec, "entrypoint" | "command" | "name">, image: ImageConfig): string[] {
    const entrypoint = spec.entrypoint ?? image.entrypoint;
    const command = spec.command ?? (spec.entrypoint === undefined ? image.cmd : []);
    const argv = [...entrypoint, ...command];
    if (argv.length === 0) throw new Error(`service ${spec.name}: neither the spec nor the image says what to run`);
    return argv;
}

/** Where the gate records the service's restarts (`restarts= exit= ran= next=`): /tmp, as the gate may run as the image's non-root user. */
export const GATE_STATUS_FILE = "/tmp/lakeforge-gate.status";

/**
 * The gate every container starts through, PID 1 of the container: wait until lakeforge has placed
 * files and secrets (they can only be pushed into a running container), load secret.env, then run the
 * service and restart it whenever it exits, as Docker's `unless-stopped` does: after 1 s, doubling up
 * to 60 s while it keeps failing within 10 s of its start, back to 1 s after a longer run. Each restart
 * is logged on the console and in GATE_STATUS_FILE. A stop signal (PVE's shutdown sends SIGPWR or
 * SIGTERM, a reboot SIGINT) is passed on to the service as SIGTERM, and the gate then exits with it.
 */
export const GATE_SCRIPT = [
    `trap "exit 143" TERM INT HUP QUIT PWR`,
    `until [ -e ${READY_MARKER} ]; do sleep 1; done`,
    `if [ -r ${SECRET_ENV_FILE} ]; then set -a; . ${SECRET_ENV_FILE}; set +a; fi`,
    `stop=; child=; delay=1; restarts=0`,
    `halt() { stop=1; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null; }`,
    `trap halt TERM INT HUP QUIT PWR`,
    `while :; do started=$(date +%s); "$@" & child=$!`,
    `wait "$child"; status=$?; while [ -n "$stop" ] && kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done`,
    `[ -z "$stop" ] || exit "$status"`,
    `ran=$(($(date +%s) - started)); [ "$ran" -lt 10 ] || delay=1; restarts=$((restarts + 1))`,
    `echo "restarts=$restarts exit=$status ran=\${ran}s next=\${delay}s" 2>/dev/null >${GATE_STATUS_FILE}`,
    `echo "lakeforge-gate: $1 exited with status $status after \${ran}s, restart $restarts in \${delay}s" >&2`,
    `sleep "$delay" & child=$!; wait "$child"; [ -z "$stop" ] || exit "$status"`,
    `delay=$((delay * 2)); [ "$delay" -le 60 ] || delay=60; done`,
].join("; ");

/** The gate script's version: containers made with another one get the new entrypoint in place, with a restart. */
export const GATE_VERSION = createHash("sha256").update(GATE_SCRIPT).digest("hex").slice(0, 12);

/**
 * PVE's `entrypoint`: the gate, then the service's own command line. PVE hands it to LXC as
 * `lxc.init.cmd`, which LXC splits on every space with no quoting at all (lxc_iterate_parts on " "),
 * so the gate and the argv travel as one space-free word: `sh -c` evaluates what printf decodes from
 * it (spaces, quotes, backslashes and `%` as octal escapes; printf and eval are builtins of every sh).
 */
export function gatedEntrypoint(argv: readonly string[]): string {
    const script = `set -- ${argv.map(shellQuote).join(" ")}; ${GATE_SCRIPT}`;
    const word = script.replace(/[ \t\n\r\\'%]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
    return `/bin/sh -c eval\${IFS}"$(printf\${IFS}'${word}')" lakeforge-gate`;
}

/** The service's argv in a gated entrypoint, as the gate will run it (for tests and the reader of a PVE config). */
export function gatedArgv(entrypoint: string): string[] | undefined {
    const word = /^\/bin\/sh -c eval\$\{IFS\}"\$\(printf\$\{IFS\}'(\S*)'\)" lakeforge-gate$/.exec(entrypoint)?.[1];
    if (word === undefined) return undefined;
    const script = word.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    const end = script.indexOf(`; ${GATE_SCRIPT}`);
    return script.startsWith("set -- ") && end > 0 ? splitShellWords(script.slice("set -- ".length, end)) : undefined;
}

/** Words of a line of shellQuote'd words: bare, or in single quotes, with `\\'` for a quote between. */
function splitShellWords(line: string): string[] {
    return [...line.matchAll(/(?:\\'|[^\s'\\]+|'[^']*')+/g)].map((m) =>
        m[0].replace(/\\'|'([^']*)'/g, (q, inner?: string) => inner ?? "'"),
    );
}

/** secret.env: one `KEY='value'` line per secret variable, for `set -a; . file`. */
export function secretEnvFile(secretEnv: Readonly<Record<string, string>>): string {
    return Object.keys(secretEnv)
        .sort()
        .map((k) => `${k}=${shellQuote(secretEnv[k] ?? "")}\n`)
        .join("");
}

/**
 * /etc/hosts of every container: the platform's service names from the static plan, so a service
 * finds another by name without DNS (PVE leaves the file alone with /etc/.pve-ignore.hosts).
 */
export function hostsFile(plan: Readonly<Record<string, string>>): string {
    const lines = Object.keys(plan)
        .sort()
        .map((name) => `${plan[name]}\t${name}`);
    return ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", "# lakeforge: platform services", ...lines, ""].join("\n");
}

/** Who the service runs as, for file ownership: the spec's `uid:gid`, else the image's user, else root. */
export function runUser(spec: Pick<ServiceSpec, "user">, image: ImageConfig): string | undefined {
    const user = spec.user ?? image.user;
    return user === "" || user === "root" || user === "0" || user === "0:0" ? undefined : user;
}

/** The template's file name on the node: repository, tag and digest, so one image is uploaded once. */
export function templateFileName(image: string): string {
    const [name = image, digest] = image.split("@sha256:");
    const slug = name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+/, "");
    return `lakeforge_${slug}${digest === undefined ? "" : `_${digest.slice(0, 12)}`}.tar`;
}
