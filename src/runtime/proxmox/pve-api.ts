import { openAsBlob } from "node:fs";
import * as path from "node:path";
import { Agent, FormData, request } from "undici";

/** How lakeforge reaches the PVE API; `apiToken` is a credential and only ever goes into a header. */
export interface PveApiSettings {
    readonly endpoint: string;
    readonly node: string;
    readonly apiToken: string;
    readonly caCert?: string;
    readonly insecure?: boolean;
}

/** A PVE API call that failed: the method, the API path and PVE's own message. */
export class PveApiError extends Error {
    constructor(
        readonly method: string,
        readonly apiPath: string,
        readonly status: number,
        reason: string,
    ) {
        super(`PVE API ${method} ${apiPath}: HTTP ${status}: ${reason}`);
        this.name = "PveApiError";
    }
}

type Params = Readonly<Record<string, string | number | undefined>>;

/** PVE's message of a failed answer: the status line, plus per-parameter `errors` when it sends them. */
function reasonOf(status: number, statusText: string, body: string): string {
    try {
        const parsed = JSON.parse(body) as { message?: string; errors?: Record<string, string> };
        const errors =
            parsed.errors === undefined
                ? ""
                : ` (${Object.entries(parsed.errors)
                      .map(([k, v]) => `${k}: ${String(v).trim()}`)
                      .join("; ")})`;
        return `${(parsed.message ?? statusText).trim()}${errors}`;
    } catch {
        return (statusText || body.slice(0, 200) || String(status)).trim();
    }
}

/** A thin client of the PVE API (`/api2/json`) with the node's CA pinned and API-token auth. */
export class PveApi {
    private readonly agent: Agent;
    private readonly base: string;

    constructor(private readonly settings: PveApiSettings) {
        this.base = `${settings.endpoint.replace(/\/$/, "")}/api2/json`;
        this.agent = new Agent({
            connect: { ca: settings.caCert, rejectUnauthorized: settings.insecure !== true },
            headersTimeout: 60_000,
            bodyTimeout: 300_000,
        });
    }

    /** `/nodes/<node>` plus a sub path. */
    nodePath(sub: string): string {
        return `/nodes/${encodeURIComponent(this.settings.node)}${sub}`;
    }

    /** One call; form-encoded parameters (PVE's `env` NUL separators survive as %00). Returns `data`. */
    async call<T = unknown>(method: "GET" | "POST" | "PUT" | "DELETE", apiPath: string, params: Params = {}): Promise<T> {
        const defined = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
        const form = new URLSearchParams(defined.map(([k, v]): [string, string] => [k, String(v)]));
        const inQuery = method === "GET" || method === "DELETE";
        const url = `${this.base}${apiPath}${inQuery && defined.length > 0 ? `?${form.toString()}` : ""}`;
        const res = await request(url, {
            method,
            dispatcher: this.agent,
            headers: {
                authorization: `PVEAPIToken=${this.settings.apiToken}`,
                ...(inQuery ? {} : { "content-type": "application/x-www-form-urlencoded" }),
            },
            body: inQuery ? undefined : form.toString(),
        }).catch((err: unknown) => {
            throw new PveApiError(method, apiPath, 0, `no answer from ${this.settings.endpoint}: ${String(err)}`);
        });
        const text = await res.body.text();
        if (res.statusCode >= 400) throw new PveApiError(method, apiPath, res.statusCode, reasonOf(res.statusCode, "", text));
        return (JSON.parse(text || "{}") as { data: T }).data;
    }

    /** Uploads a local file as a template (`content=vztmpl`); returns the task's UPID. */
    async upload(storage: string, file: string): Promise<string> {
        const apiPath = this.nodePath(`/storage/${encodeURIComponent(storage)}/upload`);
        const form = new FormData();
        form.set("content", "vztmpl");
        form.set("filename", await openAsBlob(file), path.basename(file));
        const res = await request(`${this.base}${apiPath}`, {
            method: "POST",
            dispatcher: this.agent,
            headers: { authorization: `PVEAPIToken=${this.settings.apiToken}` },
            body: form,
        });
        const text = await res.body.text();
        if (res.statusCode >= 400) throw new PveApiError("POST", apiPath, res.statusCode, reasonOf(res.statusCode, "", text));
        return (JSON.parse(text) as { data: string }).data;
    }

    /** Waits for a task (its UPID) to stop; fails with the task's exit status unless it is OK. */
    async waitTask(upid: string, what: string, timeoutSeconds = 600): Promise<void> {
        const apiPath = this.nodePath(`/tasks/${encodeURIComponent(upid)}/status`);
        const deadline = Date.now() + timeoutSeconds * 1000;
        for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
            const status = await this.call<{ status: string; exitstatus?: string }>("GET", apiPath);
            if (status.status === "stopped") {
                if (status.exitstatus === "OK") return;
                throw new PveApiError("GET", apiPath, 200, `task ${what} failed: ${status.exitstatus ?? "no exit status"}`);
            }
            if (Date.now() > deadline) throw new PveApiError("GET", apiPath, 200, `task ${what} still running after ${timeoutSeconds} s`);
            await new Promise((resolve) => setTimeout(resolve, delay));
        }
    }

    /** A call that starts a task, then waits for it. */
    async task(method: "POST" | "PUT" | "DELETE", apiPath: string, params: Params, what: string): Promise<void> {
        const upid = await this.call<string | null>(method, apiPath, params);
        // Some calls finish synchronously and answer null instead of a UPID.
        if (typeof upid === "string" && upid.startsWith("UPID:")) await this.waitTask(upid, what);
    }

    /** Closes the connection pool. */
    async close(): Promise<void> {
        await this.agent.close();
    }
}
