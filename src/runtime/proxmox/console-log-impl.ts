import { createHash } from "node:crypto";
import { withNode, type SshInputs } from "./connection";
import {
    logrotatePath,
    logrotateRule,
    PREPARE_LOG_DIR_SCRIPT,
    PVE_LXC_CONF_DIR,
    REMOVE_LOG_DIR_SCRIPT,
    SET_RAW_CONFIG_SCRIPT,
    withRawLines,
} from "./console-log";
import type { ExecResult, PveNode } from "./node";
import { outputTail } from "./node-ssh";

/*
 * The node-side work of console logs (console-log.ts), over node SSH: the stack's directory and
 * logrotate rule, and each container's raw LXC lines. Loaded at run time, inside the Pulumi engine.
 */

/** A container's console log file on the node, and who may read it (the collector's mapped ids). */
export interface ConsoleLogFile {
    readonly path: string;
    readonly owner: string;
}

function check(result: ExecResult, what: string): ExecResult {
    if (result.code !== 0) {
        throw new Error(
            `${what} on the Proxmox node failed (exit code ${result.code}; console logs need root on the node, ` +
                `lakeforge:proxmox.ssh.user root or sudo without a password): ${outputTail(result)}`,
        );
    }
    return result;
}

/**
 * Sets lakeforge's raw LXC lines in the container's config (they apply at its next start), making
 * its console log first when it has one. Other lines and snapshot sections are kept as they were.
 */
export async function setRawConfig(node: PveNode, vmid: number, lines: readonly string[], logFile?: ConsoleLogFile): Promise<void> {
    const conf = `${PVE_LXC_CONF_DIR}/${vmid}.conf`;
    const current = check(await node.host(`cat "$1"`, [conf]), `reading ${conf}`).stdout;
    const wanted = withRawLines(current, lines);
    if (wanted === current && logFile === undefined) return;
    const hash = createHash("sha256").update(current).digest("hex");
    const args = [conf, logFile?.path ?? "", logFile?.owner ?? "", hash, String(vmid)];
    check(await node.host(SET_RAW_CONFIG_SCRIPT, args, wanted), `setting the console log of CT ${vmid} in ${conf}`);
}

/** Inputs of the stack's console log directory. */
export interface ConsoleLogsInputs extends SshInputs {
    readonly stack: string;
    readonly dir: string;
    /** The collector's mapped `uid:gid` on the node. */
    readonly owner: string;
}

/** The directory, owned by the collector, and the logrotate rule for its files. */
export async function prepareLogDir(inputs: ConsoleLogsInputs): Promise<void> {
    await withNode(inputs, async (node) => {
        const args = [inputs.dir, inputs.owner, logrotatePath(inputs.stack)];
        check(await node.host(PREPARE_LOG_DIR_SCRIPT, args, logrotateRule(inputs.dir)), `preparing ${inputs.dir}`);
    });
}

/** The logrotate rule and the directory removed: Loki holds what was collected. */
export async function removeLogDir(inputs: ConsoleLogsInputs): Promise<void> {
    await withNode(inputs, async (node) => {
        check(await node.host(REMOVE_LOG_DIR_SCRIPT, [inputs.dir, logrotatePath(inputs.stack)]), `removing ${inputs.dir}`);
    });
}
