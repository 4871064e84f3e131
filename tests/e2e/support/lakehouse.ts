import { expect } from "vitest";
import { s3Read } from "./clients";
import { mlflowRoundTrip } from "../../../src/smoke/mlflow";
import { s3Identities, wholeBucketS3, type ServerFileReader } from "./objectStore";
import { attempt, REPO, run } from "./stack";

/* The end-to-end checks of the lakehouse capabilities, run by docker.e2e.ts against its stack. */

/** Runs `npm run smoke`'s CLI with the stack's clientEnv; expects it to pass and to have cleaned up, and returns its output. */
export function smoke(env: Record<string, string>): string {
    const result = attempt("node", [`${REPO}/bin/src/smoke/cli.js`], undefined, { ...process.env, ...env });
    console.log(result.output);
    expect(result.ok, result.output).toBe(true);
    for (const step of [
        "read them back with Spark, and add a row",
        "the data files are under the lake location",
        "drop what the test created",
    ]) {
        expect(result.output).toMatch(new RegExp(`^ok +${step}`, "m"));
    }
    return result.output;
}

/** MLflow: the smoke test's round trip (a run and its artifact through the server), a registered model, the artifact found in the lake bucket, unknown hosts refused. */
export async function mlflowChecks(env: Record<string, string>, readServerFile: ServerFileReader): Promise<void> {
    const uri = env["MLFLOW_TRACKING_URI"] as string;
    const { artifact } = await mlflowRoundTrip(uri);
    const model = await fetch(`${uri}/api/2.0/mlflow/registered-models/create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "canary-model" }),
    });
    expect(model.status, await model.text()).toBe(200);
    // Where it landed, read with the whole-bucket consumer's key from the server's identities file.
    const whole = wholeBucketS3(env, s3Identities(readServerFile));
    expect(await s3Read(whole, "lake", `mlflow/${artifact}`)).toBe("alive");
    // With a Host header MLflow does not know, the API refuses (fetch cannot send another Host; curl can).
    const status = (host: string) =>
        run("curl", [
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-H",
            `Host: ${host}`,
            `${uri}/api/2.0/mlflow/experiments/search?max_results=1`,
        ]);
    expect(status("attacker.example")).toBe("403");
    expect(status(new URL(uri).host)).toBe("200");
}
