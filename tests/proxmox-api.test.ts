import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PveApi } from "../src/runtime/proxmox/pve-api";

const TOKEN = "lakeforge@pve!deploy=token-secret";
let dir: string;
let server: Server;
let endpoint: string;
let nodeCa: string;
let otherCa: string;
const seen: { method?: string; url?: string; authorization?: string; body: string }[] = [];

/** A self-signed certificate for 127.0.0.1 (it is its own CA); returns [certificate, key] as PEM. */
function selfSigned(name: string): [string, string] {
    const cert = join(dir, `${name}.crt`);
    const key = join(dir, `${name}.key`);
    execFileSync(
        "openssl",
        [
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            `/CN=${name}`,
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            key,
            "-out",
            cert,
        ],
        { stdio: "ignore" },
    );
    return [readFileSync(cert, "utf8"), readFileSync(key, "utf8")];
}

/** What the stand-in node answers, as PVE does: `data`, or a status with PVE's `message`. */
const ANSWERS: Record<string, [number, unknown]> = {
    "GET /api2/json/nodes/pve/lxc/101/status/current": [200, { data: { status: "running" } }],
    "PUT /api2/json/nodes/pve/lxc/101/config": [500, { data: null, message: "CT is locked (backup)\n" }],
    "POST /api2/json/nodes/pve/lxc": [400, { data: null, message: "Parameter verification failed.\n", errors: { net0: "invalid format" } }],
    "POST /api2/json/nodes/pve/lxc/101/status/start": [200, { data: "UPID:pve:0001:start" }],
    "GET /api2/json/nodes/pve/tasks/UPID%3Apve%3A0001%3Astart/status": [
        200,
        { data: { status: "stopped", exitstatus: "startup for container '101' failed" } },
    ],
};

beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lakeforge-pve-api-"));
    const [cert, key] = selfSigned("node");
    nodeCa = cert;
    otherCa = selfSigned("other")[0];
    server = createServer({ cert, key }, (req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => {
            seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
            const [status, answer] = ANSWERS[`${req.method} ${req.url?.split("?")[0]}`] ?? [
                501,
                { data: null, message: "not in this test" },
            ];
            res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
});

/** A client of the stand-in node, closed after `fn`. */
async function withClient<T>(options: { caCert?: string; insecure?: boolean }, fn: (api: PveApi) => Promise<T>): Promise<T> {
    const api = new PveApi({ endpoint, node: "pve", apiToken: TOKEN, ...options });
    try {
        return await fn(api);
    } finally {
        await api.close();
    }
}

describe("the PVE API client", () => {
    it("trusts the pinned CA and sends the token only in PVE's Authorization header", async () => {
        const status = await withClient({ caCert: nodeCa }, (api) =>
            api.call<{ status: string }>("GET", api.nodePath("/lxc/101/status/current")),
        );
        expect(status.status).toBe("running");
        const request = seen.at(-1);
        expect(request?.authorization).toBe(`PVEAPIToken=${TOKEN}`);
        expect(request?.url).not.toContain("token-secret");
    });

    it("refuses a node whose certificate the pinned CA did not sign", async () => {
        const before = seen.length;
        await expect(withClient({ caCert: otherCa }, (api) => api.call("GET", api.nodePath("/lxc/101/status/current")))).rejects.toThrow(
            /^PVE API GET \/nodes\/pve\/lxc\/101\/status\/current: HTTP 0: no answer from https:\/\/127\.0\.0\.1:\d+: .*(certificate|self.signed)/i,
        );
        expect(seen.length).toBe(before);
    });

    it("accepts any certificate only with insecure: true", async () => {
        await expect(withClient({ insecure: true }, (api) => api.call("GET", api.nodePath("/lxc/101/status/current")))).resolves.toEqual({
            status: "running",
        });
    });

    it("names the method, the API path and PVE's message, with per-parameter errors", async () => {
        await expect(
            withClient({ caCert: nodeCa }, (api) => api.call("PUT", api.nodePath("/lxc/101/config"), { memory: 512 })),
        ).rejects.toThrow("PVE API PUT /nodes/pve/lxc/101/config: HTTP 500: CT is locked (backup)");
        expect(seen.at(-1)?.body).toBe("memory=512");
        await expect(withClient({ caCert: nodeCa }, (api) => api.call("POST", api.nodePath("/lxc"), { net0: "x" }))).rejects.toThrow(
            "PVE API POST /nodes/pve/lxc: HTTP 400: Parameter verification failed. (net0: invalid format)",
        );
    });

    it("waits for a task and fails with its exit status unless it is OK", async () => {
        await expect(
            withClient({ caCert: nodeCa }, (api) => api.task("POST", api.nodePath("/lxc/101/status/start"), {}, "start of CT 101")),
        ).rejects.toThrow("task start of CT 101 failed: startup for container '101' failed");
    });

    it("keeps NUL separators of env intact on the wire", async () => {
        await withClient({ caCert: nodeCa }, (api) => api.call("PUT", api.nodePath("/lxc/101/config"), { env: "A=1\0B=2" })).catch(
            () => undefined,
        );
        expect(decodeURIComponent(seen.at(-1)?.body.replace(/^env=/, "") ?? "")).toBe("A=1\0B=2");
    });
});
