import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { HealthCheck } from "../src/runtime/spec";
import type { Clock, ProbeResult } from "../src/runtime/proxmox/node-ssh";
import {
    connectNode,
    outputTail,
    pctCommand,
    placeFileArgv,
    runHealthLoop,
    shellQuote,
    sshFingerprint,
} from "../src/runtime/proxmox/node-ssh";

/** Runs `argv` the way the node's login shell would parse the quoted command line, and returns what arrived. */
function argsThroughShell(args: readonly string[]): string[] {
    const out = execFileSync("sh", ["-c", `printf '%s\\0' ${args.map(shellQuote).join(" ")}`]);
    return out.toString("utf8").split("\0").slice(0, -1);
}

describe("shell quoting for the node's shell", () => {
    it("delivers every argument unchanged, including shell syntax", () => {
        const nasty = [
            "plain",
            "",
            "two words",
            "it's",
            `"double"`,
            "$(touch /tmp/lf-pwned)",
            "`id`",
            "a;b|c&d",
            "*",
            "~",
            "line\nbreak",
            "back\\slash",
            "-n",
        ];
        expect(argsThroughShell(nasty)).toEqual(nasty);
    });

    it("leaves safe words bare so the command line stays readable in logs", () => {
        expect(shellQuote("/usr/bin/pg_isready")).toBe("/usr/bin/pg_isready");
        expect(shellQuote("a b")).toBe("'a b'");
    });
});

describe("the pct command line", () => {
    it("is pct exec with the container's argv after --", () => {
        expect(pctCommand(["exec", "9101", "--", "pg_isready", "-h", "127.0.0.1"])).toBe("pct exec 9101 -- pg_isready -h 127.0.0.1");
    });

    it("prefixes sudo -n for a non-root user, so a missing sudoers rule fails instead of prompting", () => {
        expect(pctCommand(["status", "9101"], { sudo: true })).toBe("sudo -n pct status 9101");
    });

    it("puts timeout in front (outside sudo, so the sudoers rule still matches pct), rounding up to whole seconds", () => {
        expect(pctCommand(["exec", "1", "--", "true"], { sudo: true, timeoutMs: 2500 })).toBe(
            "timeout --kill-after=2 3 sudo -n pct exec 1 -- true",
        );
    });
});

describe("placing a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "lf-place-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;

    function place(path: string, content: string, mode: number): void {
        const argv = placeFileArgv({ path, content, mode, owner });
        execFileSync(argv[0] ?? "", argv.slice(1), { input: content });
    }

    it("writes stdin to the path with the mode, creating reachable parent directories", () => {
        const path = join(dir, "new dir", "it's secret.env");
        place(path, "PASSWORD=hunter2\n", 0o400);
        expect(readFileSync(path, "utf8")).toBe("PASSWORD=hunter2\n");
        expect(statSync(path).mode & 0o777).toBe(0o400);
        expect(statSync(join(dir, "new dir")).mode & 0o777).toBe(0o755);
    });

    it("replaces an existing file and leaves no temporary file behind", () => {
        const path = join(dir, "config.yml");
        place(path, "a: 1\n", 0o644);
        place(path, "a: 2\n", 0o640);
        expect(readFileSync(path, "utf8")).toBe("a: 2\n");
        expect(statSync(path).mode & 0o777).toBe(0o640);
        expect(execFileSync("ls", ["-A", dir]).toString()).not.toMatch(/lf-tmp/);
    });

    it("keeps the content out of the argv", () => {
        expect(placeFileArgv({ path: "/etc/x", content: "s3cr3t-value", mode: 0o400 }).join(" ")).not.toContain("s3cr3t-value");
        expect(placeFileArgv({ path: "/etc/x", content: "", mode: 0o400 }).slice(-2)).toEqual(["0:0", "400"]);
    });

    it("refuses a relative path", () => {
        expect(() => placeFileArgv({ path: "etc/x", content: "", mode: 0o400 })).toThrow(/absolute/);
    });
});

describe("host key", () => {
    it("has the fingerprint ssh-keygen -lf prints", () => {
        const blob = Buffer.from("AAAAC3NzaC1lZDI1NTE5AAAAIBOquGzR1mPKfD3awxMiBeEDLIyD283nt0L/FU6fl7Ue", "base64");
        expect(sshFingerprint(blob)).toBe("SHA256:NKc7mRZmWcq0Ks+MWIR6s8YWTZ31FOXo+cJPduFGGhg");
    });

    it("must be pinned unless insecureHostKey is set", async () => {
        await expect(connectNode({ host: "127.0.0.1", port: 1, user: "root", privateKey: "x" })).rejects.toThrow(
            /lakeforge:proxmox\.ssh\.hostKey is not set/,
        );
    });

    it("must be a SHA256 fingerprint", async () => {
        await expect(connectNode({ host: "127.0.0.1", port: 1, user: "root", privateKey: "x", hostKey: "MD5:aa:bb" })).rejects.toThrow(
            /must be a SHA256: fingerprint/,
        );
    });
});

/** A clock that only moves when the loop sleeps or a probe takes time. */
function fakeClock(): Clock & { t: number } {
    const clock = { t: 0, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
    return clock;
}

/** A probe that fails until `healthyAt` ms, each attempt taking `takes` ms, recording when it ran and with what timeout. */
function scriptedProbe(clock: { t: number }, healthyAt: number, takes = 100) {
    const calls: { at: number; timeoutMs: number }[] = [];
    const probe = async (timeoutMs: number): Promise<ProbeResult> => {
        calls.push({ at: clock.t, timeoutMs });
        clock.t += takes;
        const ok = clock.t >= healthyAt;
        return { code: ok ? 0 : 2, stdout: "", stderr: `line one\nconnection refused at ${calls.length}`, timedOut: false };
    };
    return { probe, calls };
}

const check: HealthCheck = { command: ["true"], intervalSeconds: 2, timeoutSeconds: 3, retries: 3, startPeriodSeconds: 0 };

describe("the health loop", () => {
    it("returns on the first passing attempt, which runs at once", async () => {
        const clock = fakeClock();
        const { probe, calls } = scriptedProbe(clock, 0);
        await runHealthLoop(probe, check, 60, "ct 1", clock);
        expect(calls).toEqual([{ at: 0, timeoutMs: 3000 }]);
    });

    it("fails after `retries` consecutive failures, quoting the command's last output", async () => {
        const clock = fakeClock();
        const { probe, calls } = scriptedProbe(clock, Infinity);
        await expect(runHealthLoop(probe, check, 600, "container 9101", clock)).rejects.toThrow(
            /container 9101 is unhealthy after 3 consecutive failed health checks \(attempt 3: exit code 2; last output:\nline one\nconnection refused at 3\)/,
        );
        expect(calls.map((c) => c.at)).toEqual([0, 2100, 4200]);
    });

    it("does not count failures inside the start period", async () => {
        const clock = fakeClock();
        // Healthy from 11 s: attempts at 0…10.5 s fail, but only those after the 10 s start period count.
        const { probe, calls } = scriptedProbe(clock, 11_000);
        await runHealthLoop(probe, { ...check, retries: 2, startPeriodSeconds: 10 }, 600, "ct", clock);
        expect(calls).toHaveLength(7);
    });

    it("counts failures once the start period is over", async () => {
        const clock = fakeClock();
        const { probe, calls } = scriptedProbe(clock, 13_000);
        await expect(runHealthLoop(probe, { ...check, retries: 2, startPeriodSeconds: 10 }, 600, "ct", clock)).rejects.toThrow(
            /after 2 consecutive/,
        );
        expect(calls).toHaveLength(7);
    });

    it("gives up at the overall deadline, however many retries are left", async () => {
        const clock = fakeClock();
        const { probe, calls } = scriptedProbe(clock, Infinity);
        await expect(runHealthLoop(probe, { ...check, retries: 100 }, 5, "container 7", clock)).rejects.toThrow(
            /container 7 did not become healthy within 5s \(attempt 3:/,
        );
        expect(calls).toHaveLength(3);
    });

    it("reports an attempt that ran past its timeout, and never gives an attempt more time than the deadline leaves", async () => {
        const clock = fakeClock();
        const calls: number[] = [];
        const probe = async (timeoutMs: number): Promise<ProbeResult> => {
            calls.push(timeoutMs);
            clock.t += timeoutMs;
            return { code: 124, stdout: "", stderr: "", timedOut: true };
        };
        await expect(
            runHealthLoop(probe, { ...check, timeoutSeconds: 4, intervalSeconds: 1, retries: 10 }, 7, "ct", clock),
        ).rejects.toThrow(/within 7s \(attempt 2: timed out after 2s; last output:\n\(no output\)\)/);
        expect(calls).toEqual([4000, 2000]);
    });
});

describe("output tail", () => {
    it("keeps the last lines, stderr before stdout", () => {
        const many = Array.from({ length: 30 }, (_, i) => `l${i}`).join("\n");
        expect(outputTail({ code: 1, stdout: "out", stderr: many }, 3)).toBe("l28\nl29\nout");
    });
});
