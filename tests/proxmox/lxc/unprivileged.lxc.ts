import { execFileSync } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatedEntrypoint, READY_MARKER } from "../../../src/runtime/proxmox/mapping";
import type { PveNode } from "../../../src/runtime/proxmox/node";
import { connect, harness, inContainer, pct } from "./support";

/*
 * An unprivileged (idmapped) application container, as PVE runs every lakeforge container: ids 0-65535
 * inside are 100000-165535 on the node. A secret pushed for the service user (lfweb, uid 1001) must be
 * its own 0400 file as that user sees it, unreadable to another, and owned by 101001 on the node.
 * Where LXC cannot start such a container here, the tests say why and are skipped.
 */
const h = harness();
const vmid = 9104;
const SHIFT = 100_000;
const SECRET = "/run/secrets/lf-token";
const TOKEN = "lf-unprivileged-token-3b9d";
let node: PveNode | undefined;
let cannot: string | undefined;

/** argv in the container as uid:gid (lxc-attach switches ids inside the container's user namespace). */
function asUser(ids: string, argv: readonly string[]): { ok: boolean; out: string } {
    const [uid = "", gid = ""] = ids.split(":");
    try {
        const out = execFileSync("lxc-attach", ["-P", h.lxcpath, "-n", `lf-${vmid}`, "-u", uid, "-g", gid, "--", ...argv], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        return { ok: true, out };
    } catch (err) {
        return { ok: false, out: String((err as { stderr?: string }).stderr ?? err) };
    }
}

beforeAll(async () => {
    const file = join(h.state, "unprivileged-entrypoint");
    writeFileSync(file, gatedEntrypoint(["sleep", "100000"]));
    execFileSync("bash", ["tests/proxmox/lxc/harness.sh", "app", String(vmid), file, "unprivileged"], { stdio: "inherit" });
    try {
        await pct(h, ["start", String(vmid)]);
    } catch (err) {
        cannot = `LXC cannot start an unprivileged container here: ${String((err as Error).message).split("\n")[0]}`;
        console.log(`== UNPRIVILEGED CONTAINER CASE NOT RUN: ${cannot}`);
        return;
    }
    node = await connect(h);
});
afterAll(async () => {
    node?.close();
    await pct(h, ["stop", String(vmid)]).catch(() => undefined);
});

describe("an unprivileged (idmapped) application container", () => {
    it("runs the gated service as the container's root, which is uid 100000 on the node", async (ctx) => {
        if (cannot !== undefined || node === undefined) return ctx.skip();
        await node.pushFiles(vmid, [
            { path: SECRET, content: TOKEN, mode: 0o400, owner: "1001:1001" },
            { path: READY_MARKER, content: "", mode: 0o444 },
        ]);
        let args = "";
        for (let i = 0; i < 40 && !/^sleep 100000$/m.test(args); i++) {
            await new Promise((r) => setTimeout(r, 250));
            args = inContainer(h, vmid, ["ps", "-e", "-o", "args="]);
        }
        expect(args).toMatch(/^sleep 100000$/m);
        const hostUsers = execFileSync("ps", ["-e", "-o", "uid=,args="], { encoding: "utf8" });
        expect(hostUsers).toMatch(new RegExp(`^\\s*${SHIFT} sleep 100000$`, "m"));
    });

    it("gives the service user its secret 0400, and nobody else", (ctx) => {
        if (cannot !== undefined || node === undefined) return ctx.skip();
        expect(inContainer(h, vmid, ["stat", "-c", "%u:%g %a %U", SECRET]).trim()).toBe("1001:1001 400 lfweb");
        expect(asUser("1001:1001", ["cat", SECRET])).toEqual({ ok: true, out: TOKEN });
        const other = asUser("65534:65534", ["cat", SECRET]);
        expect(other.ok).toBe(false);
        expect(other.out).toMatch(/Permission denied/);
        // On the node the file belongs to the shifted id, not to a host user.
        const onNode = statSync(join(h.lxcpath, `lf-${vmid}`, "rootfs", SECRET));
        expect([onNode.uid, onNode.gid, onNode.mode & 0o777]).toEqual([SHIFT + 1001, SHIFT + 1001, 0o400]);
    });
});
