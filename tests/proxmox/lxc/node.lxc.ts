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
