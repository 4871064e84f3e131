import { randomUUID } from "node:crypto";
import { setRawConfig, type ConsoleLogFile } from "./console-log-impl";
import { canonical } from "./diff";
import { withApi, withNode, type ApiInputs, type SshConnection } from "./connection";
import { gatedEntrypoint, mergeEnv, pveEnv, serviceArgv, type ImageConfig } from "./mapping";
import type { PveApi } from "./pve-api";

/*
 * The container provider's work: create from the OCI template, then set env and the gated entrypoint
 * (PVE overwrites both from the image at create), update in place, and destroy without its volumes
 * (they belong to the holder vmid). Loaded by resources.ts at run time, inside the Pulumi engine.
 */

/** Inputs of a container; `create` and `config` come from mapping.ts. */
export interface ContainerInputs extends ApiInputs {
    readonly service: string;
    readonly vmid: number;
    /** Parameters only a new container takes (template, rootfs, unprivileged). */
    readonly create: Readonly<Record<string, string | number>>;
    /** Parameters set in place on a change. */
    readonly config: Readonly<Record<string, string | number>>;
    readonly rootfsGb: number;
    readonly env: Readonly<Record<string, string>>;
    readonly entrypoint?: readonly string[];
    readonly command?: readonly string[];
    /** The image's config from the archive; unset in pull mode, where it is read back from PVE. */
    readonly imageConfig?: ImageConfig;
    /** The image reference the template holds, for the policy pack (its pin) and the reader of the state. */
    readonly image?: string;
    /** The health check ProxmoxReady runs, for the policy pack. */
    readonly healthCheck?: readonly string[];
    /** GATE_VERSION when the container's entrypoint was set; absent in containers made before the gate had one. */
    readonly gate?: string;
    /** Raw LXC lines (console log, the collector's bind mount), written over node SSH: PVE's API refuses them. */
    readonly raw?: readonly string[];
    /** The console log file `raw` names, made before the first start so the collector can read it. */
    readonly logFile?: ConsoleLogFile;
    /** Node SSH, given with `raw`. */
    readonly ssh?: SshConnection;
    readonly sshKey?: string;
}

/** What the container resource keeps: the image config it used and an id per created instance. */
export interface ContainerOutputs extends ContainerInputs {
    readonly imageConfig: ImageConfig;
    /** New on every create: the files and readiness resources redo their work for a new container. */
    readonly instance: string;
}

type PveConfig = Record<string, unknown> & { env?: string; entrypoint?: string; lxc?: [string, string][] };

/** The image config as PVE wrote it into the container (pull mode: no archive on this machine). */
export function imageConfigFromPve(config: PveConfig, service: string, spec: Pick<ContainerInputs, "entrypoint" | "command">): ImageConfig {
    if (spec.command !== undefined && spec.entrypoint === undefined) {
        throw new Error(
            `lakeforge:proxmox.images.transport: service ${service} replaces its image's command, but a pulled image's ` +
                `Entrypoint and Cmd reach PVE joined into one string, so lakeforge cannot tell them apart; use transport "upload"`,
        );
    }
    const raw = Object.fromEntries(config.lxc ?? []);
    const uid = raw["lxc.init.uid"];
    const gid = raw["lxc.init.gid"];
    return {
        env: (config.env ?? "").split("\0").filter((e) => e !== ""),
        entrypoint: (config.entrypoint ?? "").split(/\s+/).filter((w) => w !== "" && w !== "/sbin/init"),
        cmd: [],
        user: uid === undefined ? "" : `${uid}:${gid ?? uid}`,
    };
}

/** PVE's `env` and `entrypoint` for the spec on this image. */
export function runtimeConfig(inputs: ContainerInputs, image: ImageConfig): { env: string; entrypoint: string } {
    return {
        env: pveEnv(mergeEnv(image.env, inputs.env)),
        entrypoint: gatedEntrypoint(serviceArgv({ name: inputs.service, entrypoint: inputs.entrypoint, command: inputs.command }, image)),
    };
}

function lxcPath(api: PveApi, vmid: number, sub = ""): string {
    return api.nodePath(`/lxc/${vmid}${sub}`);
}

async function isRunning(api: PveApi, vmid: number): Promise<boolean> {
    const status = await api.call<{ status: string }>("GET", lxcPath(api, vmid, "/status/current"));
    return status.status === "running";
}

/** Writes the container's raw LXC lines when it has (or had) any; true when they changed. */
async function applyRaw(inputs: ContainerInputs, olds?: ContainerInputs): Promise<boolean> {
    const changed = canonical([olds?.raw ?? [], olds?.logFile]) !== canonical([inputs.raw ?? [], inputs.logFile]);
    if (!changed) return false;
    const { ssh, sshKey } = inputs;
    if (ssh === undefined || sshKey === undefined)
        throw new Error(`CT ${inputs.vmid}: raw LXC lines need node SSH (lakeforge:proxmox.ssh)`);
    await withNode({ ssh, sshKey }, (node) => setRawConfig(node, inputs.vmid, inputs.raw ?? [], inputs.logFile));
    return true;
}

/** Creates the container stopped, sets env, the gated entrypoint and raw lines, then starts it (the service waits at the gate). */
export async function createContainer(inputs: ContainerInputs): Promise<ContainerOutputs> {
    return withApi(inputs, async (api) => {
        await api.task("POST", api.nodePath("/lxc"), { ...inputs.create, ...inputs.config }, `create of CT ${inputs.vmid}`);
        const written = await api.call<PveConfig>("GET", lxcPath(api, inputs.vmid, "/config"));
        const image = inputs.imageConfig ?? imageConfigFromPve(written, inputs.service, inputs);
        await api.call("PUT", lxcPath(api, inputs.vmid, "/config"), runtimeConfig(inputs, image));
        await applyRaw(inputs);
        await api.task("POST", lxcPath(api, inputs.vmid, "/status/start"), {}, `start of CT ${inputs.vmid}`);
        return { ...inputs, imageConfig: image, instance: randomUUID() };
    });
}

/** Config keys the old inputs had and the new ones do not (a removed volume, an unset search domain). */
export function removedKeys(olds: Readonly<Record<string, unknown>>, news: Readonly<Record<string, unknown>>): string[] {
    return Object.keys(olds).filter((k) => !(k in news));
}

/** Applies changed settings in place; a new env or command restarts a running container, as they apply at start. */
export async function updateContainer(olds: ContainerOutputs, news: ContainerInputs): Promise<ContainerOutputs> {
    return withApi(news, async (api) => {
        const image = olds.imageConfig;
        const before = runtimeConfig(olds, image);
        const after = runtimeConfig(news, image);
        const changed = Object.fromEntries(Object.entries(news.config).filter(([k, v]) => olds.config[k] !== v));
        // A new gate script renders the same before and after: its version says the container's is older.
        const runtimeChanged = before.env !== after.env || before.entrypoint !== after.entrypoint || olds.gate !== news.gate;
        const removed = removedKeys(olds.config, news.config);
        const params = { ...changed, ...(runtimeChanged ? after : {}), ...(removed.length > 0 ? { delete: removed.join(",") } : {}) };
        if (Object.keys(params).length > 0) await api.call("PUT", lxcPath(api, news.vmid, "/config"), params);
        if (news.rootfsGb > olds.rootfsGb) {
            await api.task(
                "PUT",
                lxcPath(api, news.vmid, "/resize"),
                { disk: "rootfs", size: `${news.rootfsGb}G` },
                `resize of CT ${news.vmid}`,
            );
        }
        const rawChanged = await applyRaw(news, olds);
        if ((runtimeChanged || rawChanged) && (await isRunning(api, news.vmid))) {
            await api.task("POST", lxcPath(api, news.vmid, "/status/reboot"), {}, `reboot of CT ${news.vmid}`);
        }
        return { ...news, imageConfig: image, instance: olds.instance };
    });
}

/**
 * Stops and destroys the container. Its data volumes belong to the holder vmid, and PVE frees only
 * volumes the destroyed container owns, so they stay on the storage.
 */
export async function deleteContainer(olds: ContainerOutputs): Promise<void> {
    await withApi(olds, async (api) => {
        if (await isRunning(api, olds.vmid)) {
            await api.task("POST", lxcPath(api, olds.vmid, "/status/stop"), {}, `stop of CT ${olds.vmid}`);
        }
        await api.task("DELETE", lxcPath(api, olds.vmid), { purge: 1, "destroy-unreferenced-disks": 0 }, `destroy of CT ${olds.vmid}`);
    });
}
