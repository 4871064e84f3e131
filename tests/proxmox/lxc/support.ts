import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import type { NodeSshSettings, PveNode } from "../../../src/runtime/proxmox/node";
import { connectNode } from "../../../src/runtime/proxmox/node-ssh";

/** What `harness.sh up` wrote about the stand-in node it started. */
export interface Harness {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly privateKeyPath: string;
    readonly hostKey: string;
    readonly netns: string;
    readonly lxcpath: string;
    readonly pct: string;
    readonly state: string;
    /** The harness's /etc/pve/lxc, as node SSH sees it. */
    readonly pveConf: string;
    /** A directory for console logs on the node. */
    readonly logs: string;
    readonly vmids: readonly number[];
}

const runFile = promisify(execFile);

/** The running harness; a clear error when the tier was started without `run.sh`. */
export function harness(): Harness {
    const state = process.env["LF_PVE_LXC_STATE"] ?? "/var/tmp/lakeforge-pve-lxc";
    try {
        return JSON.parse(readFileSync(`${state}/env.json`, "utf8")) as Harness;
    } catch {
        throw new Error(`no LXC harness at ${state}: run the tier with tests/proxmox/lxc/run.sh`);
    }
}

/** Node-SSH settings for the harness's sshd, with `overrides` for the refusal cases. */
export function nodeSettings(h: Harness, overrides: Partial<NodeSshSettings> = {}): NodeSshSettings {
    return {
        host: h.host,
        port: h.port,
        user: h.user,
        privateKey: readFileSync(h.privateKeyPath, "utf8"),
        hostKey: h.hostKey,
        ...overrides,
    };
}

/** Opens lakeforge's own node-SSH session to the harness. */
export function connect(h: Harness): Promise<PveNode> {
    return connectNode(nodeSettings(h));
}

/**
 * Runs argv in container lf-<vmid> with lxc-attach directly: the ground truth the tests check
 * lakeforge's results against, independent of the SSH path under test.
 */
export function inContainer(h: Harness, vmid: number, argv: readonly string[]): string {
    return execFileSync("lxc-attach", ["-P", h.lxcpath, "-n", `lf-${vmid}`, "--", ...argv], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
}

/** Runs the fake pct on this host (the stand-in for a start, stop or reboot through the PVE API). */
export async function pct(h: Harness, args: readonly string[]): Promise<string> {
    return (await runFile(h.pct, [...args])).stdout;
}

/** Every process's full command line on the node, as another user on it would see with `ps`. */
export async function processArgs(): Promise<string> {
    return (await runFile("ps", ["-e", "-ww", "-o", "args="], { maxBuffer: 16 * 1024 * 1024 })).stdout;
}
