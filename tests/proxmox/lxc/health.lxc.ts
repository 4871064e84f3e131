import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PveNode } from "../../../src/runtime/proxmox/node";
import type { HealthCheck } from "../../../src/runtime/spec";
import { connect, harness, inContainer, pct } from "./support";

const h = harness();
const vmid = h.vmids[1] ?? 9102;
let node: PveNode;

beforeAll(async () => {
    node = await connect(h);
});
afterAll(() => node?.close());

const base: HealthCheck = { command: ["true"], intervalSeconds: 1, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 };
/** The stand-in service's own health check, as a ServiceSpec would carry it. */
const web: HealthCheck = { ...base, command: ["busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/"] };

async function timed(run: () => Promise<unknown>): Promise<{ seconds: number; error?: Error }> {
    const start = Date.now();
    try {
        await run();
        return { seconds: (Date.now() - start) / 1000 };
    } catch (error) {
        return { seconds: (Date.now() - start) / 1000, error: error as Error };
    }
}

describe("the readiness loop through pct exec", () => {
    it("fails after `retries` consecutive failures, with the command's last output in the error", async () => {
        const failing = { ...base, command: ["sh", "-c", "echo starting up; echo 'FATAL: role \"lf\" does not exist' >&2; exit 3"] };
        const { seconds, error } = await timed(() => node.waitHealthy(vmid, failing, 60));
        expect(error?.message).toMatch(
            /is unhealthy after 3 consecutive failed health checks \(attempt 3: exit code 3; last output:\nFATAL: role "lf" does not exist\nstarting up\)/,
        );
        expect(seconds).toBeGreaterThanOrEqual(2);
        expect(seconds).toBeLessThan(20);
    });

    it("ends an attempt at timeoutSeconds, and the hung command does not linger in the container", async () => {
        const hung = { ...base, command: ["sleep", "3600"], timeoutSeconds: 2, retries: 2 };
        const { seconds, error } = await timed(() => node.waitHealthy(vmid, hung, 60));
        expect(error?.message).toMatch(/after 2 consecutive failed health checks \(attempt 2: timed out after 2s/);
        expect(seconds).toBeGreaterThanOrEqual(4);
        expect(seconds).toBeLessThan(20);
        expect(inContainer(h, vmid, ["ps", "-eo", "args="])).not.toMatch(/sleep 3600/);
    });

    it("gives up at the overall deadline", async () => {
        const { seconds, error } = await timed(() => node.waitHealthy(vmid, { ...base, command: ["false"], retries: 1000 }, 4));
        expect(error?.message).toMatch(/did not become healthy within 4s/);
        expect(seconds).toBeLessThan(10);
    });

    it("does not count failures during the start period", async () => {
        // Healthy only from the time in the file on; a single counted failure fails the check.
        const healthyAfter = (seconds: number) =>
            node.pushFiles(vmid, [
                { path: "/run/lf-healthy-after", content: String(Math.floor(Date.now() / 1000) + seconds), mode: 0o644 },
            ]);
        const check = { ...base, retries: 1, command: ["sh", "-c", '[ "$(date +%s)" -ge "$(cat /run/lf-healthy-after)" ]'] };
        await healthyAfter(4);
        await expect(node.waitHealthy(vmid, { ...check, startPeriodSeconds: 0 }, 60)).rejects.toThrow(/after 1 consecutive/);
        // Set again once that has failed, so a slow machine still sees failures in the start period.
        await healthyAfter(4);
        const { seconds, error } = await timed(() => node.waitHealthy(vmid, { ...check, startPeriodSeconds: 10 }, 60));
        expect(error).toBeUndefined();
        expect(seconds).toBeGreaterThan(1);
    });
});

describe("a service gated on its files, restarted when a file changes", () => {
    const greeting = "/etc/lakeforge/greeting";

    it("stays unready until lakeforge places its files and the gate marker", async () => {
        // `systemctl is-active` exits non-zero for anything but active, hence the `|| true`.
        expect(inContainer(h, vmid, ["sh", "-c", "systemctl is-active lf-web.service || true"]).trim()).toBe("activating");
        await expect(node.waitHealthy(vmid, { ...web, retries: 2 }, 30)).rejects.toThrow(/unhealthy after 2 consecutive/);
        await node.pushFiles(vmid, [
            { path: greeting, content: "hello v1\n", mode: 0o440, owner: "0:1001" },
            { path: "/etc/lakeforge/.ready", content: "", mode: 0o644 },
        ]);
        await node.waitHealthy(vmid, { ...web, startPeriodSeconds: 10 }, 60);
        expect((await node.exec(vmid, web.command)).stdout).toBe("hello v1\n");
    });

    it("serves the new content after a reboot, and only then", async () => {
        await node.pushFiles(vmid, [{ path: greeting, content: "hello v2\n", mode: 0o440, owner: "0:1001" }]);
        // The service reads the file at start: without the restart it still serves the old content.
        expect((await node.exec(vmid, web.command)).stdout).toBe("hello v1\n");
        await pct(h, ["reboot", String(vmid)]);
        expect(await node.status(vmid)).toBe("running");
        await node.waitHealthy(vmid, { ...web, startPeriodSeconds: 30 }, 90);
        expect((await node.exec(vmid, web.command)).stdout).toBe("hello v2\n");
    });

    it("reports a stopped container, and a health check against it fails with pct's message", async () => {
        await pct(h, ["stop", String(vmid)]);
        try {
            expect(await node.status(vmid)).toBe("stopped");
            await expect(node.waitHealthy(vmid, { ...web, retries: 1 }, 10)).rejects.toThrow(
                /exit code 255; last output:\ncontainer '\d+' not running!/,
            );
        } finally {
            await pct(h, ["start", String(vmid)]);
        }
        expect(await node.status(vmid)).toBe("running");
    });
});
