import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "vitest";
import { attempt, openStack, REPO, run } from "./support/stack";

/*
 * `npm run bench:e2e`: lakeforge against the docker compose file it renders, on the same stand-in
 * images and the same Docker Engine, in one run. Medians of BENCH_RUNS (default 3) of:
 *   - cold `up` to every service healthy and bootstrapped, vs `docker compose up -d --wait`;
 *   - a no-op `up` and a no-change `preview` of the deployed stack (what CI runs on each PR);
 *   - evaluating the program under mocks in a fresh process (no engine).
 */
const RUNS = Number(process.env["BENCH_RUNS"] ?? 3);
const LABEL = "label=dev.lakeforge.network=lakeforge-e2e";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(work: () => Promise<T> | T): Promise<number> {
    const t0 = performance.now();
    await work();
    return performance.now() - t0;
}

function sweep(): void {
    for (const [kind, list] of [
        ["container", ["ps", "-aq"]],
        ["volume", ["volume", "ls", "-q"]],
    ] as const) {
        const ids = run("docker", [...list, "--filter", LABEL])
            .split("\n")
            .filter(Boolean);
        if (ids.length > 0) run("docker", kind === "container" ? ["rm", "-f", ...ids] : ["volume", "rm", ...ids]);
    }
    // The compose project labels its own objects; remove them by name.
    for (const v of ["postgres-data", "seaweedfs-data", "vault-data", "registry-data", "spark-work"])
        attempt("docker", ["volume", "rm", `lakeforge-e2e-${v}`]);
    attempt("docker", ["network", "rm", "lakeforge-e2e"]);
}

describe("lakeforge vs docker compose on the same images", () => {
    it("measures and prints medians and ratios", async () => {
        const samples: Record<string, number[]> = { compose: [], up: [], noop: [], preview: [], evaluate: [] };
        const composeOk = attempt("docker", ["compose", "version"]).ok;
        if (!composeOk)
            console.log("bench: DOCKER COMPOSE NOT FOUND: the compose baseline is not measured (install the compose v2 plugin)");
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "lakeforge-bench-"));
        run("node", [path.join(REPO, "bin/src/render.js"), "--stack", "e2e", "--format", "compose", "--out", out]);
        const file = path.join(out, "compose.yaml");
        for (let i = 0; i < RUNS; i++) {
            sweep();
            if (composeOk) {
                samples["compose"]?.push(await timed(() => run("docker", ["compose", "-f", file, "up", "-d", "--wait"])));
                run("docker", ["compose", "-f", file, "down", "-v"]);
                sweep();
            }
            const e2e = await openStack("e2e");
            try {
                samples["up"]?.push(await timed(() => e2e.stack.up()));
                samples["noop"]?.push(await timed(() => e2e.stack.up()));
                samples["preview"]?.push(await timed(() => e2e.stack.preview()));
                await e2e.stack.destroy();
            } finally {
                e2e.cleanup();
                sweep();
            }
            samples["evaluate"]?.push(
                Number(
                    JSON.parse(
                        run("node", [path.join(REPO, "bench/eval-stack.cjs"), "e2e"])
                            .trim()
                            .split("\n")
                            .pop() as string,
                    ).ms,
                ),
            );
        }
        fs.rmSync(out, { recursive: true, force: true });
        const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.length > 0 ? median(v) : NaN]));
        const line = (what: string, key: string) =>
            `${what}: median ${seconds(m[key] as number)} (${samples[key]?.map(seconds).join(", ")})`;
        console.log(
            [
                `bench (${RUNS} runs, ${os.cpus().length} cores):`,
                line("  docker compose up -d --wait (services healthy, no bootstrap)", "compose"),
                line("  lakeforge cold up (services healthy + databases, roles, Vault init/unseal, KV, policies, AppRole)", "up"),
                line("  lakeforge no-op up", "noop"),
                line("  lakeforge preview of the deployed stack", "preview"),
                line("  program evaluation under mocks (fresh process)", "evaluate"),
                `  ratio cold up / compose up: ${((m["up"] as number) / (m["compose"] as number)).toFixed(2)}`,
                `  ratio no-op up / compose up: ${((m["noop"] as number) / (m["compose"] as number)).toFixed(2)}`,
            ].join("\n"),
        );
    });
});
