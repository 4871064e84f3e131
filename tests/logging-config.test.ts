import { describe, expect, it } from "vitest";
import { renderAlloyConfig } from "../components/logging/alloy-config";
import { LOGGING_DEFAULTS } from "../components/logging/defaults";
import { renderLokiConfig, retentionHours } from "../components/logging/loki-config";
import { checkLokiStartLine, lokiProbeUrl, type Fetch } from "../src/smoke/loki";
import { configProblems } from "./support/stack";

/* Logging's pure parts: rendered files, config errors, and the smoke step against canned answers. */

const s3 = {
    kind: "s3",
    url: "http://seaweedfs:8333",
    bucket: "logs",
    region: "us-east-1",
    accessKeyId: "loki",
    secretAccessKey: "REDACTED",
} as const;

describe("Loki's rendered config", () => {
    it("s3: its own bucket path-style over plain HTTP, TSDB v13, Thanos client pinned off, compactor retention", () => {
        expect(renderLokiConfig(s3, "168h")).toMatchSnapshot();
    });

    it("volume: the filesystem store, and delete requests kept there too", () => {
        const text = renderLokiConfig({ kind: "volume" }, "2w");
        expect(text).toContain("chunks_directory: /loki/chunks");
        expect(text).toContain("object_store: filesystem");
        expect(text).toContain("delete_request_store: filesystem");
        expect(text).toContain("retention_period: 336h");
        expect(text).toContain("use_thanos_objstore: false");
        expect(text).not.toContain("s3");
    });

    it("reads retentions in hours, days and weeks", () => {
        expect(["168h", "30d", "4w"].map(retentionHours)).toEqual([168, 720, 672]);
        expect(() => retentionHours("1y")).toThrow("not a retention: 1y");
    });
});

describe("Alloy's rendered pipeline", () => {
    it("push (docker): a GELF listener; the service from the tag, the line from short_message", () => {
        expect(
            renderAlloyConfig({
                delivery: { kind: "push", port: 12201 },
                pushUrl: "http://loki:3100/loki/api/v1/push",
                collector: "alloy",
            }),
        ).toMatchSnapshot();
    });

    it("pull (kubernetes): the namespace's pods through the API, the collector itself left out", () => {
        const text = renderAlloyConfig({
            delivery: { kind: "pull", namespace: "data", serviceLabel: "app.kubernetes.io/name" },
            pushUrl: "http://loki.data.svc.cluster.local:3100/loki/api/v1/push",
            collector: "alloy",
        });
        expect(text).toMatchSnapshot();
    });
});

describe("logging config", () => {
    const components = (logging: object, more: object = {}) => ({
        "lakeforge:target": "docker",
        "lakeforge:components": { logging: { enabled: true, ...logging }, ...more },
    });

    it("defaults mirror LOGGING_DEFAULTS", async () => {
        const { parseConfig } = await import("../src/config");
        const { toAllConfig } = await import("./support/stack");
        const parsed = parseConfig(toAllConfig(components({})), "test").components.logging;
        expect(parsed).toMatchObject({
            engine: LOGGING_DEFAULTS.engine,
            collector: LOGGING_DEFAULTS.collector,
            storage: LOGGING_DEFAULTS.storage,
            bucket: LOGGING_DEFAULTS.bucket,
            retention: LOGGING_DEFAULTS.retention,
        });
    });

    it.each([
        [
            components({}, { objectStore: { enabled: false } }),
            'lakeforge:components.logging.storage: expected "volume" while objectStore.enabled is false (Loki keeps its chunks in the object store otherwise), found "objectStore"',
        ],
        [
            components({ bucket: "lake" }),
            'lakeforge:components.logging.bucket: expected a bucket of its own, not the lake bucket (Loki\'s key is granted the whole bucket), found "lake"',
        ],
        [
            components({ retention: "1y" }),
            'lakeforge:components.logging.retention: expected a retention such as "168h", "30d" or "4w", found "1y"',
        ],
        [
            components({ retention: "36h" }),
            'lakeforge:components.logging.retention: expected whole days (Loki\'s index period is 24h), e.g. "168h", found "36h"',
        ],
        [components({ storage: "s3" }), 'lakeforge:components.logging.storage: expected one of "objectStore", "volume", found "s3"'],
        [components({ collector: "promtail" }), 'lakeforge:components.logging.collector: expected one of "alloy", found "promtail"'],
        [components({ collectorImage: "grafana/alloy:latest" }), "lakeforge:components.logging.collectorImage"],
        [
            components({}, { objectStore: { consumers: [{ name: "loki", bucket: "lake" }] } }),
            'lakeforge:components.objectStore.consumers[0].name: expected a consumer name other than "loki" while logging (storage "objectStore") is enabled (its own key), found "loki"',
        ],
    ])("refuses %j", (config, message) => {
        expect(configProblems(config).join("\n")).toContain(message);
    });

    it("accepts volume storage without an object store", () => {
        expect(configProblems(components({ storage: "volume" }, { objectStore: { enabled: false } }))).toEqual([]);
    });

    it("needs host ports of its own on docker", () => {
        expect(configProblems({ ...components({}), "lakeforge:docker": { ports: { logging: 5432 } } })).toEqual([
            "lakeforge:docker.ports.logging: expected a host port not already used by ports.database, found 5432",
        ]);
    });
});

describe("the smoke test's Loki step", () => {
    const NOW = Date.UTC(2026, 10, 30, 12);
    const answer = (status: number, body: unknown): Fetch => {
        return async () => ({ ok: status === 200, status, text: async () => JSON.stringify(body) });
    };

    it("asks for PostgreSQL's start line labelled by service, over 30 days, newest first", () => {
        const url = new URL(lokiProbeUrl("http://127.0.0.1:3100/", NOW));
        expect(url.pathname).toBe("/loki/api/v1/query_range");
        expect(url.searchParams.get("query")).toBe('{service="postgres"} |= "database system is ready to accept connections"');
        expect(BigInt(url.searchParams.get("end") as string) - BigInt(url.searchParams.get("start") as string)).toBe(
            720n * 3600n * 10n ** 9n,
        );
        expect(url.searchParams.get("direction")).toBe("backward");
    });

    it("passes when Loki returns the line, and says when it was logged", async () => {
        const ns = `${BigInt(NOW - 60_000) * 1_000_000n}`;
        const body = {
            status: "success",
            data: {
                resultType: "streams",
                result: [{ stream: { service: "postgres" }, values: [[ns, "LOG:  database system is ready to accept connections"]] }],
            },
        };
        await expect(checkLokiStartLine("http://127.0.0.1:3100", answer(200, body), NOW)).resolves.toBe(
            'postgres logged "database system is ready to accept connections" at 2026-11-30T11:59:00.000Z',
        );
    });

    it("fails naming what is missing: no line, an error answer", async () => {
        const empty = { status: "success", data: { resultType: "streams", result: [] } };
        await expect(checkLokiStartLine("http://x:3100", answer(200, empty), NOW)).rejects.toThrow(
            'no line from service "postgres" containing "database system is ready to accept connections" in the last 30 days',
        );
        await expect(checkLokiStartLine("http://x:3100", answer(400, { message: "parse error" }), NOW)).rejects.toThrow(
            "Loki answered 400 to query_range",
        );
    });
});
