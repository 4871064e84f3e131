/*
 * The logging step of the smoke test: Loki holds a line a known service printed at start, labelled
 * with that service's name, so the collector, its labels and Loki's storage all worked. A pure
 * function over an injected fetch, so it is tested against canned answers.
 */

/** The line PostgreSQL prints each time it starts accepting connections, and the service that prints it. */
export const LOKI_PROBE = { service: "postgres", line: "database system is ready to accept connections" } as const;

/** Loki refuses ranges longer than 721h by default (`max_query_length`). */
const LOOKBACK_MS = 720 * 3600 * 1000;

/** The part of `fetch` the step uses. */
export type Fetch = (url: string) => Promise<{ readonly ok: boolean; readonly status: number; text(): Promise<string> }>;

/** Loki's query_range URL for the probe line over the last 30 days, newest first. */
export function lokiProbeUrl(lokiUrl: string, nowMs: number): string {
    const query = `{service="${LOKI_PROBE.service}"} |= "${LOKI_PROBE.line}"`;
    const params = new URLSearchParams({
        query,
        start: `${BigInt(nowMs - LOOKBACK_MS) * 1_000_000n}`,
        end: `${BigInt(nowMs) * 1_000_000n}`,
        limit: "1",
        direction: "backward",
    });
    return `${lokiUrl.replace(/\/+$/, "")}/loki/api/v1/query_range?${params.toString()}`;
}

interface QueryRange {
    status?: string;
    data?: { result?: { stream?: Record<string, string>; values?: [string, string][] }[] };
}

/** Finds the probe line in Loki; returns what was found, throws naming what is missing. */
export async function checkLokiStartLine(lokiUrl: string, fetchFn: Fetch, nowMs: number = Date.now()): Promise<string> {
    const url = lokiProbeUrl(lokiUrl, nowMs);
    const response = await fetchFn(url);
    const body = await response.text();
    if (!response.ok) throw new Error(`Loki answered ${response.status} to query_range: ${body.slice(0, 200)}`);
    const parsed = JSON.parse(body) as QueryRange;
    if (parsed.status !== "success") throw new Error(`Loki's query_range status is ${String(parsed.status)}`);
    const entry = (parsed.data?.result ?? []).flatMap((s) =>
        (s.values ?? []).map(([ns, line]) => ({ stream: s.stream ?? {}, ns, line })),
    )[0];
    if (entry === undefined) {
        throw new Error(
            `no line from service "${LOKI_PROBE.service}" containing "${LOKI_PROBE.line}" in the last 30 days: ` +
                `is the collector running, and did the service start after it?`,
        );
    }
    if (entry.stream["service"] !== LOKI_PROBE.service) throw new Error(`the line is labelled ${JSON.stringify(entry.stream)}`);
    const at = new Date(Number(BigInt(entry.ns) / 1_000_000n)).toISOString();
    return `${LOKI_PROBE.service} logged "${LOKI_PROBE.line}" at ${at}`;
}
