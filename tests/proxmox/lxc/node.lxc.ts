import { describe, expect, it } from "vitest";
import { connectNode } from "../../../src/runtime/proxmox/node-ssh";
import { harness, nodeSettings } from "./support";

const h = harness();
const vmid = h.vmids[0] ?? 9101;

describe("the node's SSH host key", () => {
    it("is refused when it is not the pinned one, naming the setting and both fingerprints", async () => {
        const wrong = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        const escaped = h.hostKey.replace(/[+/]/g, (c) => `\\${c}`);
        await expect(connectNode(nodeSettings(h, { hostKey: wrong }))).rejects.toThrow(
            new RegExp(`does not match lakeforge:proxmox\\.ssh\\.hostKey: expected ${wrong}, found ${escaped}$`),
        );
    });

    it("is accepted unpinned only with insecureHostKey", async () => {
        await expect(connectNode(nodeSettings(h, { hostKey: undefined }))).rejects.toThrow(/hostKey is not set/);
        const node = await connectNode(nodeSettings(h, { hostKey: undefined, insecureHostKey: true }));
        try {
            expect(await node.status(vmid)).toBe("running");
        } finally {
            node.close();
        }
    });
});

describe("many sessions at once", () => {
    it("all open and run, as when Pulumi creates every service's resources in parallel", async () => {
        // 24 handshakes at once: past sshd's default MaxStartups (10) some are dropped and tried again.
        const nodes = await Promise.all(Array.from({ length: 24 }, () => connectNode(nodeSettings(h))));
        try {
            const results = await Promise.all(nodes.map((node, i) => node.exec(vmid, ["echo", String(i)])));
            expect(results.map((r) => r.stdout)).toEqual(nodes.map((_, i) => `${i}\n`));
        } finally {
            for (const node of nodes) node.close();
        }
    });
});

describe("pct through the node's shell", () => {
    it("hands the container every argument unchanged", async () => {
        const node = await connectNode(nodeSettings(h));
        try {
            const args = ["two words", "it's", "$(id -u)", "`id`", "a;b|c", "*", ""];
            const result = await node.exec(vmid, ["sh", "-c", 'printf "<%s>" "$@"', "sh", ...args]);
            expect(result).toEqual({ code: 0, stdout: args.map((a) => `<${a}>`).join(""), stderr: "" });
        } finally {
            node.close();
        }
    });

    it("runs the command with the container's environment, not the node's", async () => {
        const node = await connectNode(nodeSettings(h));
        try {
            const env = (await node.exec(vmid, ["env"])).stdout.split("\n").filter(Boolean).sort();
            expect(env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "container=lxc"]);
        } finally {
            node.close();
        }
    });

    it("passes stdin to the command and its exit code back", async () => {
        const node = await connectNode(nodeSettings(h));
        try {
            const result = await node.exec(vmid, ["sh", "-c", "tr a-z A-Z; exit 7"], { stdin: "from stdin\n" });
            expect(result).toEqual({ code: 7, stdout: "FROM STDIN\n", stderr: "" });
        } finally {
            node.close();
        }
    });
});
