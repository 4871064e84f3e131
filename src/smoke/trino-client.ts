/*
 * The smallest Trino client: Trino's HTTP protocol (POST /v1/statement, then follow nextUri until
 * the query finishes), enough for the smoke test's statements. No dependency beyond fetch.
 */

interface StatementResponse {
    nextUri?: string;
    columns?: { name: string }[];
    data?: unknown[][];
    error?: { message: string; errorName?: string };
    stats?: { state: string };
}

/** One query's rows, as objects keyed by column name. */
export type Row = Record<string, unknown>;

export class TrinoClient {
    constructor(
        private readonly url: string,
        private readonly user: string,
        private readonly catalog?: string,
    ) {}

    /** Runs one statement to completion; throws with Trino's own message on failure. */
    async query(sql: string, timeoutSeconds = 300): Promise<Row[]> {
        const headers: Record<string, string> = { "X-Trino-User": this.user, "X-Trino-Source": "lakeforge-smoke" };
        if (this.catalog !== undefined) headers["X-Trino-Catalog"] = this.catalog;
        const deadline = Date.now() + timeoutSeconds * 1000;
        let res = await this.call(`${this.url}/v1/statement`, { method: "POST", headers, body: sql });
        const columns: string[] = [];
        const rows: Row[] = [];
        for (;;) {
            if (res.error !== undefined) throw new Error(`${res.error.errorName ?? "error"}: ${res.error.message}`);
            if (res.columns !== undefined && columns.length === 0) columns.push(...res.columns.map((c) => c.name));
            for (const values of res.data ?? []) rows.push(Object.fromEntries(columns.map((c, i) => [c, values[i]])));
            if (res.nextUri === undefined) return rows;
            if (Date.now() > deadline) throw new Error(`query did not finish within ${timeoutSeconds} s: ${sql}`);
            res = await this.call(res.nextUri, { method: "GET", headers });
        }
    }

    private async call(url: string, init: RequestInit): Promise<StatementResponse> {
        for (let attempt = 0; ; attempt++) {
            const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
            // 502-504: the coordinator asks the client to retry the same URI.
            if ([502, 503, 504].includes(res.status) && attempt < 10) {
                await new Promise((r) => setTimeout(r, 500));
                continue;
            }
            const text = await res.text();
            if (!res.ok) throw new Error(`Trino at ${this.url}: HTTP ${res.status} ${text.slice(0, 300)}`);
            return JSON.parse(text) as StatementResponse;
        }
    }
}
