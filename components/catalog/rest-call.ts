/*
 * The one HTTP call every catalog bootstrap makes (Polaris, Lakekeeper, Unity Catalog): JSON in,
 * status and parsed JSON out. Kept free of Pulumi so dynamic providers serialize it with them.
 */

/** A catalog server's answer: the HTTP status and its JSON body (`{ raw }` when it was not JSON). */
export interface RestAnswer {
    readonly status: number;
    readonly body: Record<string, unknown>;
}

/** Sends `body` as JSON to `url` and parses the answer; a body that is not JSON is kept short as `raw`. */
export async function jsonCall(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<RestAnswer> {
    const res = await fetch(url, {
        method,
        headers: { ...headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
        parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
        parsed = { raw: text.slice(0, 200) };
    }
    return { status: res.status, body: parsed };
}

/** Fails with the server's own message (an Iceberg-style `error.message` or UC's `message`) unless the status is in `ok`. */
export function expectAnswer(server: string, what: string, res: RestAnswer, ok: number[]): void {
    if (ok.includes(res.status)) return;
    const error = res.body["error"] as { message?: string } | undefined;
    const message = error?.message ?? (res.body["message"] as string | undefined) ?? JSON.stringify(res.body).slice(0, 200);
    throw new Error(`${server}: ${what}: HTTP ${res.status} ${message}`);
}

/**
 * Makes `call` until the server answers below 500 (while it starts it refuses connections or says
 * 502/503), at most `tries` times, 2 s apart; returns that answer. A 4xx is an answer, not a wait.
 */
export async function untilAnswered(what: string, call: () => Promise<RestAnswer>, tries = 60): Promise<RestAnswer> {
    let last: unknown;
    for (let i = 0; i < tries; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 2000));
        try {
            const res = await call();
            if (res.status < 500) return res;
            last = `HTTP ${res.status}`;
        } catch (err) {
            last = err;
        }
    }
    throw new Error(`${what}: no answer after ${tries} tries: ${String(last)}`);
}
