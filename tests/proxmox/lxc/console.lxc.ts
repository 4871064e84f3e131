import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
    collectorMountLines,
    COLLECTOR_LOG_DIR,
    consoleLogDir,
    consoleLogLines,
    consoleLogPath,
    hostIds,
    logrotatePath,
} from "../../../src/runtime/proxmox/console-log";
import { prepareLogDir, removeLogDir, setRawConfig, type ConsoleLogsInputs } from "../../../src/runtime/proxmox/console-log-impl";
import { gatedEntrypoint, READY_MARKER } from "../../../src/runtime/proxmox/mapping";
import type { PveNode } from "../../../src/runtime/proxmox/node";
import { connect, harness, nodeSettings, pct } from "./support";

/*
 * Logging on the proxmox target, with LXC doing what it does on a PVE node: lakeforge's node SSH
 * prepares the stack's log directory and logrotate rule, writes `lxc.console.logfile` into the
 * container's PVE config (the fake pct turns raw lines into LXC config at start, as PVE does), and
 * LXC writes the gated service's output there. An unprivileged collector container reads it through
 * lakeforge's read-only bind mount as its own user; nobody else in it can, and it cannot write.
 * The node's real logrotate rotates it by copy and truncate while the service keeps writing.
 */
const h = harness();
const SERVICE_VMID = 9105;
const COLLECTOR_VMID = 9106;
const STACK = "lxc-tier";
/** The stand-in collector runs as the rootfs's lfweb (uid 1001), as Alloy runs as its own user. */
const COLLECTOR_USER = "1001:1001";
const dir = consoleLogDir(h.logs, STACK);
const logFile = consoleLogPath(dir, "lf-talker");
const owner = hostIds(COLLECTOR_USER);
/** A service that says a numbered line every 100 ms on stdout, and one on stderr at start. */
const TALKER = ["sh", "-c", 'echo "lf-talker starting" >&2; i=0; while :; do i=$((i+1)); echo "lf-line $i"; sleep 0.1; done'];
let node: PveNode;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inputs = (): ConsoleLogsInputs => {
    const { privateKey, ...ssh } = nodeSettings(h);
    return { ssh: { ...ssh, insecureHostKey: false, sudo: false }, sshKey: privateKey, stack: STACK, dir, owner };
};
/** A PVE-style config for the app container, with a snapshot section lakeforge must leave alone. */
const pveConf = (vmid: number) =>
    `arch: amd64\nhostname: lf-${vmid}\nunprivileged: 1\n\n[snap1]\narch: amd64\nlxc.console.logfile: /elsewhere.log\nsnaptime: 1\n`;
function appContainer(vmid: number, argv: readonly string[]): void {
    const file = join(h.state, `entrypoint-${vmid}`);
    writeFileSync(file, gatedEntrypoint(argv));
    execFileSync("bash", ["tests/proxmox/lxc/harness.sh", "app", String(vmid), file, "unprivileged"], { stdio: "inherit" });
    writeFileSync(join(h.pveConf, `${vmid}.conf`), pveConf(vmid));
}
async function until<T>(what: string, seconds: number, probe: () => T | undefined): Promise<T> {
    for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(200)) {
        const value = probe();
        if (value !== undefined) return value;
    }
    throw new Error(`${what}: not within ${seconds} s`);
}
const lines = (): string[] => readFileSync(logFile, "utf8").split("\n");
const lastLine = (): number => Math.max(0, ...lines().map((l) => Number(/^lf-line (\d+)\r?$/.exec(l)?.[1] ?? 0)));
/** argv in the collector container as uid:gid. */
function asUser(ids: string, argv: readonly string[]): { ok: boolean; out: string } {
    const [uid = "", gid = ""] = ids.split(":");
    try {
        const out = execFileSync("lxc-attach", ["-P", h.lxcpath, "-n", `lf-${COLLECTOR_VMID}`, "-u", uid, "-g", gid, "--", ...argv], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        return { ok: true, out };
    } catch (err) {
        return { ok: false, out: String((err as { stderr?: string }).stderr ?? err) };
    }
}

beforeAll(async () => {
    appContainer(SERVICE_VMID, TALKER);
    appContainer(COLLECTOR_VMID, ["sleep", "100000"]);
    node = await connect(h);
});
afterAll(async () => {
    node?.close();
    for (const vmid of [SERVICE_VMID, COLLECTOR_VMID]) await pct(h, ["stop", String(vmid)]).catch(() => undefined);
});

describe("console logs on the node, read by the collector", () => {
    it("prepares the stack's directory for the collector's mapped user, and its logrotate rule", async () => {
        await prepareLogDir(inputs());
        const st = statSync(dir);
        expect([st.uid, st.gid, st.mode & 0o777]).toEqual([101_001, 101_001, 0o750]);
        expect(readFileSync(join(h.state, "logrotate.d", logrotatePath(STACK).split("/").pop() ?? ""), "utf8")).toContain(`${dir}/*.log {`);
    });

    it("writes the console log line into the container's PVE config, keeping the snapshot, and makes the file first", async () => {
        await setRawConfig(node, SERVICE_VMID, consoleLogLines(logFile), { path: logFile, owner });
        const conf = readFileSync(join(h.pveConf, `${SERVICE_VMID}.conf`), "utf8");
        expect(conf).toBe(
            `arch: amd64\nhostname: lf-${SERVICE_VMID}\nunprivileged: 1\nlxc.console.logfile: ${logFile}\n\n[snap1]\narch: amd64\nlxc.console.logfile: /elsewhere.log\nsnaptime: 1\n`,
        );
        const st = statSync(logFile);
        expect([st.uid, st.gid, st.mode & 0o777, st.size]).toEqual([101_001, 101_001, 0o640, 0]);
        // Run again, nothing changes.
        await setRawConfig(node, SERVICE_VMID, consoleLogLines(logFile), { path: logFile, owner });
        expect(readFileSync(join(h.pveConf, `${SERVICE_VMID}.conf`), "utf8")).toBe(conf);
    });

    it("gets every line the gated service writes, stdout and stderr, in the file LXC keeps (owner and mode unchanged)", async () => {
        await pct(h, ["start", String(SERVICE_VMID)]);
        await node.pushFiles(SERVICE_VMID, [{ path: READY_MARKER, content: "", mode: 0o444 }]);
        await until("20 lines in the console log", 20, () => (lastLine() >= 20 ? true : undefined));
        const text = readFileSync(logFile, "utf8");
        expect(text).toContain("lf-talker starting");
        const numbers = lines()
            .map((l) => /^lf-line (\d+)\r?$/.exec(l)?.[1])
            .filter((n) => n !== undefined)
            .map(Number);
        expect(numbers.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        const st = statSync(logFile);
        expect([st.uid, st.gid, st.mode & 0o777]).toEqual([101_001, 101_001, 0o640]);
    });

    it("lets the collector read it through the read-only bind mount as its user; another user cannot, and nobody can write", async () => {
        await setRawConfig(node, COLLECTOR_VMID, collectorMountLines(dir));
        await pct(h, ["start", String(COLLECTOR_VMID)]);
        const inside = `${COLLECTOR_LOG_DIR}/lf-talker.log`;
        const read = await until("the collector reads the log", 15, () => {
            const r = asUser(COLLECTOR_USER, ["cat", inside]);
            return r.ok ? r : undefined;
        });
        expect(read.out).toContain("lf-line 5");
        expect(asUser("65534:65534", ["cat", inside])).toMatchObject({ ok: false, out: expect.stringMatching(/Permission denied/) });
        expect(asUser(COLLECTOR_USER, ["sh", "-c", `echo forged >> ${inside}`])).toMatchObject({
            ok: false,
            out: expect.stringMatching(/Read-only file system/),
        });
    });

    it("is rotated by the node's logrotate while the service writes: the old lines kept aside, new ones from the start", async () => {
        const before = lastLine();
        execFileSync("logrotate", ["-f", "-s", join(h.state, "logrotate.status"), join(h.state, "logrotate.d", `lakeforge-${STACK}`)]);
        expect(readFileSync(`${logFile}.1`, "utf8")).toContain(`lf-line ${before}`);
        await until("new lines after the rotation", 10, () => (lastLine() > before + 5 ? true : undefined));
        const text = readFileSync(logFile, "utf8");
        // LXC appends: the truncated file starts with new lines, not with a hole of NUL bytes.
        expect(text.charCodeAt(0)).not.toBe(0);
        expect(text).not.toContain("lf-line 1\n");
        const st = statSync(logFile);
        expect([st.uid, st.gid, st.mode & 0o777]).toEqual([101_001, 101_001, 0o640]);
        expect(asUser(COLLECTOR_USER, ["cat", `${COLLECTOR_LOG_DIR}/lf-talker.log`]).ok).toBe(true);
    });

    it("removes the directory and the rule with the stack", async () => {
        await pct(h, ["stop", String(COLLECTOR_VMID)]);
        await removeLogDir(inputs());
        expect(existsSync(dir)).toBe(false);
        expect(existsSync(join(h.state, "logrotate.d", `lakeforge-${STACK}`))).toBe(false);
    });
});
