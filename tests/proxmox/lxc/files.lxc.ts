import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PveNode } from "../../../src/runtime/proxmox/node";
import { connect, harness, inContainer, processArgs } from "./support";

const h = harness();
const vmid = h.vmids[0] ?? 9101;
let node: PveNode;

beforeAll(async () => {
    node = await connect(h);
});
afterAll(() => node?.close());

function statOf(path: string): string {
    return inContainer(h, vmid, ["stat", "-c", "%U:%G %a", path]).trim();
}

describe("files placed over node SSH", () => {
    const config = 'listen: 127.0.0.1:8080\nname: it\'s "quoted" $HOME `x` ünïcode\n';
    const secret = `PASSWORD=${randomBytes(12).toString("hex")}`; // no trailing newline on purpose

    beforeAll(async () => {
        await node.pushFiles(vmid, [
            { path: "/etc/lakeforge/app/config.yml", content: config, mode: 0o644 },
            { path: "/etc/lakeforge/app/secret.env", content: secret, mode: 0o400, owner: "1001:1001" },
            { path: "/etc/lakeforge/app/shared", content: "", mode: 0o440, owner: "0:1001" },
        ]);
    });

    it("arrive byte for byte", () => {
        expect(inContainer(h, vmid, ["cat", "/etc/lakeforge/app/config.yml"])).toBe(config);
        expect(inContainer(h, vmid, ["cat", "/etc/lakeforge/app/secret.env"])).toBe(secret);
        expect(inContainer(h, vmid, ["cat", "/etc/lakeforge/app/shared"])).toBe("");
    });

    it("have the owner and mode asked for (root when no owner is given)", () => {
        expect(statOf("/etc/lakeforge/app/config.yml")).toBe("root:root 644");
        expect(statOf("/etc/lakeforge/app/secret.env")).toBe("lfweb:lfweb 400");
        expect(statOf("/etc/lakeforge/app/shared")).toBe("root:lfweb 440");
    });

    it("sit in directories the service user can reach, readable by it and by no other user", () => {
        expect(statOf("/etc/lakeforge/app")).toBe("root:root 755");
        const as = (uid: number) => [
            "setpriv",
            `--reuid=${uid}`,
            `--regid=${uid}`,
            "--clear-groups",
            "cat",
            "/etc/lakeforge/app/secret.env",
        ];
        expect(inContainer(h, vmid, as(1001))).toBe(secret);
        expect(() => inContainer(h, vmid, as(65534))).toThrow(/Permission denied/);
    });

    it("replace the old content atomically and leave no temporary file", async () => {
        await node.pushFiles(vmid, [{ path: "/etc/lakeforge/app/config.yml", content: "v: 2\n", mode: 0o600 }]);
        expect(inContainer(h, vmid, ["cat", "/etc/lakeforge/app/config.yml"])).toBe("v: 2\n");
        expect(statOf("/etc/lakeforge/app/config.yml")).toBe("root:root 600");
        expect(inContainer(h, vmid, ["find", "/etc/lakeforge", "-name", "*.lf-tmp"])).toBe("");
    });

    it("fail with the path and the container's own error when a file cannot be placed", async () => {
        await expect(node.pushFiles(vmid, [{ path: "/etc/hostname/nested", content: "x", mode: 0o600 }])).rejects.toThrow(
            /placing \/etc\/hostname\/nested in container \d+ failed \(exit code 1\): mkdir: cannot create directory '\/etc\/hostname'/,
        );
    });
});

describe("a secret pushed to a container", () => {
    const value = `lf-secret-${randomBytes(16).toString("hex")}`;
    // Padding makes the push last long enough for `ps` to catch the placing command many times.
    const content = `TOKEN=${value}\n${"# padding so the transfer takes a while\n".repeat(200_000)}`;
    const path = "/etc/lakeforge/secret.env";

    it("never appears in any process's command line on the node while it is pushed", async () => {
        const samples: string[] = [];
        let pushing = true;
        const sampler = (async () => {
            while (pushing) samples.push(await processArgs());
        })();
        await node.pushFiles(vmid, [{ path, content, mode: 0o400, owner: "1001:1001" }]);
        pushing = false;
        await sampler;
        // The check can only pass meaningfully if `ps` saw the push in flight at least once.
        const sawPush = samples.filter((s) => s.includes("lf-tmp") && s.includes(path));
        expect(sawPush.length).toBeGreaterThan(0);
        expect(samples.filter((s) => s.includes(value))).toEqual([]);
        expect(inContainer(h, vmid, ["head", "-c", "200", path])).toContain(`TOKEN=${value}`);
    });

    it("is on the node's disk only inside the container's rootfs", async () => {
        const grep = (dirs: readonly string[], exclude: readonly string[]) =>
            promisify(execFile)("grep", ["-rlsF", "-D", "skip", ...exclude.map((d) => `--exclude-dir=${d}`), "--", value, ...dirs]).then(
                (r) => r.stdout.trim().split("\n"),
                (e: { code?: number; stdout?: string }) => (e.code === 1 ? [] : (e.stdout ?? "").trim().split("\n").filter(Boolean)),
            );
        // Where sshd, the fake pct and lxc-attach could leave anything: the harness (sshd and LXC logs,
        // configs), temporary directories, logs, /etc and root's home without its toolchain caches.
        const nodeSide = [h.state, "/tmp", "/var/tmp", "/dev/shm", "/var/log", "/etc", "/run/lxc", "/run/sshd", "/root"];
        const skip = ["rootfs", "bash_tool_*", ".cache", ".pyenv", ".rustup", "go", ".npm", ".cargo", ".pulumi", ".docker"];
        expect(await grep(nodeSide, skip)).toEqual([]);
        // The same search does find it where it belongs, so an empty result above is not a broken grep.
        expect(await grep([`${h.lxcpath}/lf-${vmid}/rootfs/etc/lakeforge`], [])).toEqual([`${h.lxcpath}/lf-${vmid}/rootfs${path}`]);
    });
});
