import type { HealthCheck } from "../spec";
import { withApi, withNode, type ApiInputs, type SshInputs } from "./connection";
import { READY_MARKER } from "./mapping";
import type { ContainerFile } from "./node";

/*
 * Work inside a running container, through `pct` over node SSH: files and secrets, then the health
 * check. Loaded by resources.ts at run time, inside the Pulumi engine.
 */

/** Inputs of a container's files: everything is pushed on stdin, never in a command line. */
export interface FilesInputs extends ApiInputs, SshInputs {
    readonly vmid: number;
    /** The container instance the files went into; a new one gets them all again. */
    readonly instance: string;
    readonly files: readonly ContainerFile[];
    /** Hash of `files`: what the diff compares, as the files themselves are secret. */
    readonly hash: string;
}

/** Places the files, then the marker that opens the gate (so the service never starts without them). */
export async function pushFiles(inputs: FilesInputs): Promise<void> {
    await withNode(inputs, async (node) => {
        await node.pushFiles(inputs.vmid, inputs.files);
        await node.pushFiles(inputs.vmid, [{ path: READY_MARKER, content: "", mode: 0o444 }]);
    });
}

/** Pushes changed files and restarts the container, as services read their files at start. */
export async function updateFiles(olds: FilesInputs, news: FilesInputs): Promise<void> {
    // Only the credentials to reach the node changed: nothing to place, no restart.
    if (olds.hash === news.hash && olds.instance === news.instance && olds.vmid === news.vmid) return;
    await pushFiles(news);
    // A new instance was waiting at the gate and has just started with these files.
    if (olds.instance !== news.instance) return;
    await withApi(news, async (api) => {
        await api.task("POST", api.nodePath(`/lxc/${news.vmid}/status/reboot`), {}, `reboot of CT ${news.vmid}`);
    });
}

/** Inputs of a readiness check. */
export interface ReadyInputs extends SshInputs {
    readonly vmid: number;
    readonly instance: string;
    /** The files' hash: changed files restart the service, which then has to pass its check again. */
    readonly filesHash: string;
    readonly check: HealthCheck;
    readonly deadlineSeconds: number;
}

/** Waits until the service's health check passes inside the container. */
export async function waitReady(inputs: ReadyInputs): Promise<void> {
    await withNode(inputs, (node) => node.waitHealthy(inputs.vmid, inputs.check, inputs.deadlineSeconds));
}
