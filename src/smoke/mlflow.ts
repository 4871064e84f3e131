/*
 * The model registry's smoke step: through MLflow's REST API only (as `mlflow` clients do with
 * MLFLOW_TRACKING_URI), an experiment and a run are created, an artifact is logged through the
 * server (which stores it under the lake bucket's mlflow/ prefix), listed and read back, and the
 * run is deleted again. The client needs no S3 key: the server proxies artifacts.
 */

type Fetch = typeof fetch;

/** What the step proves: the artifact's path under the run, as the server lists it. */
export interface MlflowRoundTrip {
    readonly experimentId: string;
    readonly runId: string;
    readonly artifact: string;
}

/** Logs a run with one artifact and reads it back; throws naming the call that failed. */
export async function mlflowRoundTrip(trackingUri: string, http: Fetch = fetch): Promise<MlflowRoundTrip> {
    const call = async (method: string, path: string, body?: unknown): Promise<string> => {
        const res = await http(`${trackingUri.replace(/\/$/, "")}/${path}`, {
            method,
            headers: typeof body === "string" ? {} : { "content-type": "application/json" },
            body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
        return text;
    };
    const api = async (method: string, path: string, body?: unknown) =>
        JSON.parse(await call(method, `api/2.0/mlflow/${path}`, body)) as Record<string, unknown>;
    const name = `lakeforge-smoke-${Date.now().toString(36)}`;
    const experimentId = String((await api("POST", "experiments/create", { name }))["experiment_id"]);
    try {
        const run = (await api("POST", "runs/create", { experiment_id: experimentId, run_name: "smoke" }))["run"] as {
            info: { run_id: string };
        };
        const runId = run.info.run_id;
        await api("POST", "runs/log-parameter", { run_id: runId, key: "layer", value: "gold" });
        const artifact = `${experimentId}/${runId}/artifacts/canary.txt`;
        await call("PUT", `api/2.0/mlflow-artifacts/artifacts/${artifact}`, "alive");
        const listed = JSON.parse(await call("GET", `api/2.0/mlflow-artifacts/artifacts?path=${experimentId}/${runId}/artifacts`)) as {
            files?: { path: string }[];
        };
        if (!(listed.files ?? []).some((f) => f.path === "canary.txt")) throw new Error(`canary.txt not listed: ${JSON.stringify(listed)}`);
        const read = await call("GET", `api/2.0/mlflow-artifacts/artifacts/${artifact}`);
        if (read !== "alive") throw new Error(`read back ${JSON.stringify(read)}, wrote "alive"`);
        const got = (await api("GET", `runs/get?run_id=${runId}`))["run"] as { data: { params?: { key: string; value: string }[] } };
        if (!(got.data.params ?? []).some((p) => p.key === "layer" && p.value === "gold")) throw new Error("the run lost its parameter");
        return { experimentId, runId, artifact };
    } finally {
        await api("POST", "experiments/delete", { experiment_id: experimentId }).catch(() => undefined);
    }
}
