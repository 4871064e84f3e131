import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Exchange } from "./openapi";

/*
 * The contract tier's other half: a project's own SDK, generated from its OpenAPI document and
 * installed from PyPI into a Python that .ci/run names in an environment variable. A script in
 * tests/contract maps each recorded exchange to the SDK's operation and checks it with its models.
 */

/** The Python named by `variable`, or undefined after one loud line saying that `sdk`'s check does not run. */
export function sdkPython(variable: string, sdk: string): string | undefined {
    const python = process.env[variable];
    if (python === undefined) console.warn(`CONTRACT TIER NOT RUN against ${sdk}'s models: ${variable} is unset`);
    return python;
}

/** Runs tests/contract/`script` with `python` on `exchanges`: its exit status and its output. */
export function runModelCheck(
    python: string | undefined,
    script: string,
    exchanges: readonly Exchange[],
): { status: number | null; output: string } {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lakeforge-sdk-")), "exchanges.json");
    fs.writeFileSync(file, JSON.stringify(exchanges));
    const run = spawnSync(python ?? "python3", [path.join(__dirname, "..", "contract", script), file], { encoding: "utf8" });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
