/*
 * Runs the example pipeline lakeforge ships through the orchestrator's own API, as a user's CI
 * would: Dagster's GraphQL API (launchRun, then runOrError) or Airflow's REST API (a token from
 * the simple auth manager, unpause, trigger, poll). The pipeline records its run id in an Iceberg
 * table through Trino; the caller checks the row is there.
 */

import { ORCHESTRATOR_DEFAULTS } from "../../components/orchestrator/defaults";

type Env = Readonly<Record<string, string | undefined>>;

/** Which orchestrator the clientEnv names, if any. */
export function orchestratorOf(env: Env): "dagster" | "airflow" | undefined {
    if (env["DAGSTER_URL"]) return "dagster";
    if (env["AIRFLOW_API_URL"]) return "airflow";
    return undefined;
}

const EXAMPLE = ORCHESTRATOR_DEFAULTS.exampleName;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 2 s until it returns a value, or throws naming `what` after `seconds`. */
async function until<T>(what: string, seconds: number, check: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`${what} within ${seconds} s`);
        await sleep(2000);
    }
}

async function json(res: Response, what: string): Promise<Record<string, unknown>> {
    const text = await res.text();
    if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, unknown>;
}

/** One GraphQL request to Dagster's webserver; returns `data`. */
async function graphql(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, Record<string, unknown>>> {
    const res = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
    });
    const body = await json(res, "Dagster GraphQL");
    if (body["errors"] !== undefined) throw new Error(`Dagster GraphQL: ${JSON.stringify(body["errors"]).slice(0, 300)}`);
    return body["data"] as Record<string, Record<string, unknown>>;
}

const LAUNCH = `mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) { __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message } }
}`;
const STATUS = `query Status($runId: ID!) {
  runOrError(runId: $runId) { __typename ... on Run { status } ... on Error { message } }
}`;

/** Launches the example job and waits for it to succeed; returns its run id. */
async function runDagster(url: string): Promise<string> {
    const params = {
        selector: { repositoryLocationName: ORCHESTRATOR_DEFAULTS.location, repositoryName: "__repository__", jobName: EXAMPLE },
        runConfigData: {},
    };
    // The webserver may not have loaded the code location yet: retry while the job is unknown.
    const runId = await until("the example job was not launched", 120, async () => {
        const launch = (await graphql(url, LAUNCH, { params }))["launchRun"] ?? {};
        if (launch["__typename"] === "LaunchRunSuccess") return (launch["run"] as { runId: string }).runId;
        if (!/NotFound|Unavailable/.test(String(launch["__typename"])))
            throw new Error(`launchRun: ${String(launch["__typename"])} ${String(launch["message"])}`);
        return undefined;
    });
    const status = await until(`run ${runId} did not finish`, 300, async () => {
        const run = (await graphql(url, STATUS, { runId }))["runOrError"] ?? {};
        const s = String(run["status"] ?? run["message"]);
        return ["SUCCESS", "FAILURE", "CANCELED"].includes(s) ? s : undefined;
    });
    if (status !== "SUCCESS") throw new Error(`run ${runId} ended ${status} (see ${url}/runs/${runId})`);
    return runId;
}

/** Triggers the example DAG and waits for the run to succeed; returns its run id. */
async function runAirflow(url: string, username: string, password: string): Promise<string> {
    const token = (
        await json(
            await fetch(`${url}/auth/token`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ username, password }),
            }),
            "Airflow login",
        )
    )["access_token"] as string;
    const api = (path: string, method = "GET", body?: unknown) =>
        fetch(`${url}/api/v2/dags/${EXAMPLE}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    // The DAG processor parses the file after it starts.
    await until(`the DAG ${EXAMPLE} was not parsed`, 180, async () => ((await api("")).ok ? true : undefined));
    await json(await api("", "PATCH", { is_paused: false }), "unpausing the DAG");
    const runId = (await json(await api("/dagRuns", "POST", { logical_date: null }), "triggering the DAG"))["dag_run_id"] as string;
    const state = await until(`run ${runId} did not finish`, 300, async () => {
        const s = String((await json(await api(`/dagRuns/${encodeURIComponent(runId)}`), "reading the run"))["state"]);
        return s === "success" || s === "failed" ? s : undefined;
    });
    if (state !== "success") throw new Error(`run ${runId} ended ${state}`);
    return runId;
}

/** Runs the example pipeline through the orchestrator the clientEnv names; returns the run id it recorded. */
export async function runExamplePipeline(env: Env): Promise<string> {
    const kind = orchestratorOf(env);
    if (kind === "dagster") return runDagster(env["DAGSTER_URL"] as string);
    if (kind === "airflow") {
        return runAirflow(env["AIRFLOW_API_URL"] as string, env["AIRFLOW_USERNAME"] ?? "", env["AIRFLOW_PASSWORD"] ?? "");
    }
    throw new Error("clientEnv names no orchestrator (DAGSTER_URL or AIRFLOW_API_URL)");
}
