import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeSshSettings, PveNode } from "../src/runtime/proxmox/node";
import { connectNode, sshFingerprint } from "../src/runtime/proxmox/node-ssh";
import { dropFirstConnections, startFakePveNode, type FakePveNode } from "./support/fake-pve-node";

// connectNode over a real SSH session (ssh2's own server in this process, with a fake pct that runs
// commands on this machine): what the in-container tier checks on real LXC, minus LXC and root.
let fake: FakePveNode;
let node: PveNode;
let settings: NodeSshSettings;

beforeAll(async () => {
    fake = await startFakePveNode();
    settings = {
        host: "127.0.0.1",
        port: fake.port,
        user: "root",
        privateKey: fake.clientPrivateKey,
        hostKey: sshFingerprint(fake.hostKeyBlob),
    };
    node = await connectNode(settings);
});
afterAll(async () => {
    node?.close();
    await fake?.close();
});

describe("a session to the node", () => {
    it("refuses a host key that is not the pinned one, naming the setting and both fingerprints", async () => {
        const wrong = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        await expect(connectNode({ ...settings, hostKey: wrong })).rejects.toThrow(
            `the Proxmox node's SSH host key does not match lakeforge:proxmox.ssh.hostKey: expected ${wrong}, found ${sshFingerprint(fake.hostKeyBlob)}`,
        );
    });

    it("says which node and which settings when it cannot log in", async () => {
        const other = (await import("ssh2")).utils.generateKeyPairSync("ed25519").private;
        await expect(connectNode({ ...settings, privateKey: other })).rejects.toThrow(
            `cannot open an SSH session to the Proxmox node as root@127.0.0.1:${fake.port} (lakeforge:proxmox.ssh): All configured authentication methods failed`,
        );
    });

    it("hands the container's command every argument unchanged, with stdin and the exit code", async () => {
        const args = ["two words", "it's", "$(id -u)", "`id`", "a;b|c", "*", ""];
        expect(await node.exec(9101, ["sh", "-c", 'printf "<%s>" "$@"', "sh", ...args])).toEqual({
            code: 0,
            stdout: args.map((a) => `<${a}>`).join(""),
            stderr: "",
        });
        expect(await node.exec(9101, ["sh", "-c", "tr a-z A-Z; echo done >&2; exit 7"], { stdin: "abc\n" })).toEqual({
            code: 7,
            stdout: "ABC\n",
            stderr: "done\n",
        });
        expect(fake.commands).toContain("pct exec 9101 --keep-env 0 -- sh -c 'tr a-z A-Z; echo done >&2; exit 7'");
    });

    it("keeps multi-byte characters whole across the channel's chunks", async () => {
        // `head` writes in blocks that do not line up with the 7-byte lines, so characters straddle chunks.
        expect((await node.exec(9101, ["sh", "-c", "yes 'aü€' | head -n 8000"])).stdout).toBe("aü€\n".repeat(8000));
    });

    it("reports a command the node's shell lost to a signal with 128 + its number, as a shell would", async () => {
        // The fake node's shell and pct exec into the command, so killing itself kills the session's
        // process, which the fake node reports the way sshd does (exit-signal, no exit code).
        expect(await node.exec(9101, ["sh", "-c", "kill -KILL $$"])).toEqual({ code: 137, stdout: "", stderr: "" });
    });

    it("reads the container's status from pct", async () => {
        expect(await node.status(9101)).toBe("running");
    });

    it("ends a command at its timeout, on the node", async () => {
        const started = Date.now();
        const result = await node.exec(9101, ["sleep", "30"], { timeoutMs: 1000 });
        expect(result.code).toBe(124);
        expect(Date.now() - started).toBeLessThan(5000);
    });
});

describe("connecting to a busy node", () => {
    const noWait = { now: () => 0, sleep: async () => undefined };

    it("tries again when the connection is dropped before the handshake, as sshd does past MaxStartups", async () => {
        const front = await dropFirstConnections(fake.port, 2);
        try {
            const busy = await connectNode({ ...settings, port: front.port }, noWait);
            busy.close();
            expect(front.connections()).toBe(3);
        } finally {
            await front.close();
        }
    });

    it("gives up after three attempts, saying why", async () => {
        const front = await dropFirstConnections(fake.port, 3);
        try {
            await expect(connectNode({ ...settings, port: front.port }, noWait)).rejects.toThrow(
                /cannot open an SSH session to the Proxmox node as root@127\.0\.0\.1:\d+ \(lakeforge:proxmox\.ssh\): /,
            );
            expect(front.connections()).toBe(3);
        } finally {
            await front.close();
        }
    });

    it("does not try again after a wrong host key or a refused login", async () => {
        const front = await dropFirstConnections(fake.port, 0);
        try {
            await expect(connectNode({ ...settings, port: front.port, hostKey: "SHA256:AAAA" }, noWait)).rejects.toThrow(/does not match/);
            const other = (await import("ssh2")).utils.generateKeyPairSync("ed25519").private;
            await expect(connectNode({ ...settings, port: front.port, privateKey: other }, noWait)).rejects.toThrow(
                /authentication methods failed/,
            );
            expect(front.connections()).toBe(2);
        } finally {
            await front.close();
        }
    });
});

describe("files pushed over the session", () => {
    const dir = mkdtempSync(join(tmpdir(), "lf-push-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("arrive with their mode, and their content never reaches a command line", async () => {
        const secret = `s3cr3t-${randomBytes(8).toString("hex")}`;
        const path = join(dir, "etc", "secret.env");
        await node.pushFiles(9101, [
            { path, content: `TOKEN=${secret}\n`, mode: 0o400, owner: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}` },
        ]);
        expect(readFileSync(path, "utf8")).toBe(`TOKEN=${secret}\n`);
        expect(statSync(path).mode & 0o777).toBe(0o400);
        expect(fake.commands.some((c) => c.includes(path))).toBe(true);
        expect(fake.commands.filter((c) => c.includes(secret))).toEqual([]);
    });
});
