import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GATE_STATUS_FILE, gatedEntrypoint, READY_MARKER, SECRET_ENV_FILE, secretEnvFile } from "../../../src/runtime/proxmox/mapping";
import type { PveNode } from "../../../src/runtime/proxmox/node";
import { connect, harness, inContainer, pct, processArgs } from "./support";

/*
 * lakeforge's gated entrypoint as the init of an application container (what PVE makes of an OCI
 * image): LXC splits it from lxc.init.cmd, it waits for the files, loads secret.env, runs the service
 * and restarts it when it exits, with a backoff, and stops with the container.
 */
const h = harness();
const vmid = 9103;
const TOKEN = "lf-gate-token-7c1e9a";
const sha256 = (text: string): string => execFileSync("sha256sum", { input: text, encoding: "utf8" }).split(" ")[0] ?? "";
/**
 * The stand-in service: fails on purpose while /etc/lf-app/crash exists, else states what it was given
 * and runs until stopped. (No network: an application container's loopback is down here.)
 */
const SERVICE = [
    "#!/bin/sh",
    '[ ! -e /etc/lf-app/crash ] || { echo "lf-app: failing on purpose" >&2; exit 3; }',
    "mkdir -p /run/lf-app",
    'echo "arg=$1 token=$(printf %s "$LF_APP_TOKEN" | sha256sum | cut -d" " -f1) pid=$$" > /run/lf-app/state',
    "exec sleep 100000",
    "",
].join("\n");
const ARGV = ["/usr/local/bin/lf-app", "served by 'lakeforge'"];
let node: PveNode;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inApp = (argv: readonly string[]): string => inContainer(h, vmid, argv);
/** What the running service states, or "" while none runs (its health check). */
function page(): string {
    try {
        return inApp(["sh", "-c", 'kill -0 "$(sed "s/.*pid=//" /run/lf-app/state)" && cat /run/lf-app/state']).trim();
    } catch {
        return "";
    }
}
async function until<T>(what: string, seconds: number, probe: () => T | undefined): Promise<T> {
    for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(250)) {
        const value = probe();
        if (value !== undefined) return value;
    }
    throw new Error(`${what}: not within ${seconds} s`);
}
const servedPid = (): string | undefined => /pid=(\d+)$/.exec(page())?.[1];
const status = (): string => {
    try {
        return inApp(["cat", GATE_STATUS_FILE]).trim();
    } catch {
        return "";
    }
};
const consoleLog = (): string => readFileSync(join(h.lxcpath, `lf-${vmid}`, "console.log"), "utf8");

beforeAll(async () => {
    const file = join(h.state, "app-entrypoint");
    writeFileSync(file, gatedEntrypoint(ARGV));
    execFileSync("bash", ["tests/proxmox/lxc/harness.sh", "app", String(vmid), file], { stdio: "inherit" });
    await pct(h, ["start", String(vmid)]);
    node = await connect(h);
});
afterAll(async () => {
    node?.close();
    await pct(h, ["stop", String(vmid)]);
});

describe("the gated entrypoint as an application container's init", () => {
    it("holds the service at the gate until lakeforge has placed its files", async () => {
        await sleep(2000);
        // LXC split lxc.init.cmd on its spaces into exactly the four words of the gated entrypoint.
        expect(
            inApp(["cat", "/proc/1/cmdline"])
                .split("\0")
                .filter((w) => w !== ""),
        ).toEqual(gatedEntrypoint(ARGV).split(" "));
        expect(page()).toBe("");
    });

    it("then runs it with secret.env loaded and its arguments as given, the secret in no command line", async () => {
        await node.pushFiles(vmid, [
            { path: ARGV[0] ?? "", content: SERVICE, mode: 0o555 },
            { path: SECRET_ENV_FILE, content: secretEnvFile({ LF_APP_TOKEN: TOKEN }), mode: 0o400 },
            { path: READY_MARKER, content: "", mode: 0o444 },
        ]);
        const served = await until("the service runs", 15, () => page() || undefined);
        expect(served).toMatch(new RegExp(`^arg=served by 'lakeforge' token=${sha256(TOKEN)} pid=\\d+$`));
        expect(await processArgs()).not.toContain(TOKEN);
        expect(inApp(["ps", "-eww", "-o", "args="])).not.toContain(TOKEN);
    });

    it("restarts the service when its process is killed, and records the restart", async () => {
        const before = await until("a pid", 10, servedPid);
        inApp(["kill", "-9", before]);
        const after = await until("the service again", 10, () => {
            const pid = servedPid();
            return pid !== undefined && pid !== before ? pid : undefined;
        });
        expect(after).not.toBe(before);
        expect(status()).toMatch(/^restarts=1 exit=137 ran=\d+s next=1s$/);
        expect(consoleLog()).toContain("lakeforge-gate: /usr/local/bin/lf-app exited with status 137");
    });

    it("backs off a crash loop (each wait twice the last), visible in the status file and on the console, and recovers", async () => {
        inApp(["sh", "-c", "mkdir -p /etc/lf-app && touch /etc/lf-app/crash"]);
        inApp(["kill", "-9", await until("a pid", 10, servedPid)]);
        const seen: string[] = [];
        for (const end = Date.now() + 9000; Date.now() < end; await sleep(200)) {
            const next = /next=(\d+)s/.exec(status())?.[1];
            if (next !== undefined && seen.at(-1) !== next) seen.push(next);
        }
        // The first wait is 1 s, or 2 s if the service ran under 10 s since the last restart; then each failure doubles it.
        const waits = seen.map(Number);
        expect(waits.length, seen.join(",")).toBeGreaterThanOrEqual(3);
        expect([1, 2], seen.join(",")).toContain(waits[0]);
        expect(waits.slice(1, 3), seen.join(",")).toEqual([2 * (waits[0] ?? 0), 4 * (waits[0] ?? 0)]);
        expect(status()).toMatch(/exit=3 /);
        expect(consoleLog()).toMatch(
            /lf-app: failing on purpose\r?\nlakeforge-gate: \/usr\/local\/bin\/lf-app exited with status 3 after 0s, restart \d+ in \d+s/,
        );
        inApp(["rm", "/etc/lf-app/crash"]);
        await until("the service back after the crash loop", 25, servedPid);
    });

    it("stops with the container (the stop signal reaches the service), and runs again at once after a reboot", async () => {
        const started = Date.now();
        await pct(h, ["reboot", String(vmid)]);
        // A clean stop: well within lxc-stop's 30 s timeout, after which it would have killed the container.
        expect(Date.now() - started).toBeLessThan(15_000);
        // The gate ended with its service instead of restarting it.
        expect(consoleLog()).not.toMatch(/exited with status 143/);
        await until("the service after the reboot, with no push", 15, servedPid);
    });
});
