import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { ServiceFile } from "../../src/runtime/spec";
import type { OrchestratorKind } from "./defaults";

/*
 * The example pipeline lakeforge ships: a Python module that runs SQL on Trino with the standard
 * library, and one Dagster job or Airflow DAG that records its run through it. Its files live in
 * examples/ beside this module, so they are real Python, linted and run as they are.
 */

/** Where the shipped example's Python files are, run from source or compiled into bin/. */
function examplesDir(): string {
    const candidates = [
        path.join(__dirname, "examples"),
        path.resolve(__dirname, "..", "..", "..", "components", "orchestrator", "examples"),
    ];
    const dir = candidates.find((d) => existsSync(path.join(d, "lakeforge_trino.py")));
    if (dir === undefined) throw new Error("components/orchestrator/examples is missing from the lakeforge package");
    return dir;
}

/** The example's entry file for an engine: a Dagster code location file or an Airflow DAG file. */
export function exampleEntry(engine: OrchestratorKind): string {
    return `lakeforge_example_${engine}.py`;
}

/** The example's files, placed in `dir` (Dagster's working directory, or Airflow's DAGs folder). */
export function exampleFiles(engine: OrchestratorKind, dir: string): ServiceFile[] {
    const from = examplesDir();
    return ["lakeforge_trino.py", exampleEntry(engine)].map((file) => ({
        path: `${dir}/${file}`,
        content: readFileSync(path.join(from, file), "utf8"),
        secret: false,
    }));
}

/** Where the example's pipeline sends its SQL: Trino in-network, as the orchestrator's processes reach it. */
export interface ExampleTarget {
    readonly trinoUrl: string;
    readonly catalog: string;
    readonly user: string;
}

/** The variables the example's Trino client reads. */
export function exampleEnv(t: ExampleTarget | undefined): Record<string, string> {
    return t === undefined ? {} : { TRINO_URL: t.trinoUrl, TRINO_CATALOG: t.catalog, TRINO_USER: t.user };
}
