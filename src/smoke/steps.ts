import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { ORCHESTRATOR_DEFAULTS } from "../../components/orchestrator/defaults";
import { catalogMetadataLocation } from "./catalog-check";
import { metastoreRoundTrip } from "./metastore";
import { mlflowRoundTrip } from "./mlflow";
import { orchestratorOf, runExamplePipeline } from "./orchestrator";
import { checkLokiStartLine } from "./loki";
import { TrinoClient } from "./trino-client";

/*
 * The lakehouse smoke test: through the catalog, a namespace and an Iceberg table on the object
 * store, rows written and read back, the files where they belong, then everything dropped again.
 * It uses only the variables of a stack's clientEnv, as a user's client would.
 */

/** What one step reports. */
export interface StepResult {
    readonly step: string;
    readonly ok: boolean;
    readonly seconds: number;
    readonly detail: string;
}

/** A failed step: the message names it. */
export class SmokeFailure extends Error {}

const ROWS = [
    { id: 1, layer: "bronze" },
    { id: 2, layer: "silver" },
    { id: 3, layer: "gold" },
];

function need(env: Readonly<Record<string, string | undefined>>, name: string): string {
    const value = env[name];
    if (value === undefined || value === "") throw new SmokeFailure(`clientEnv has no ${name}: is the capability that sets it enabled?`);
    return value;
}

function s3Client(env: Readonly<Record<string, string | undefined>>): S3Client {
    return new S3Client({
        endpoint: need(env, "S3_ENDPOINT"),
        region: need(env, "AWS_REGION"),
        forcePathStyle: true,
        credentials: { accessKeyId: need(env, "AWS_ACCESS_KEY_ID"), secretAccessKey: need(env, "AWS_SECRET_ACCESS_KEY") },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
    });
}

/** Keys under `s3://bucket/prefix/`, as `s3://` URIs. */
async function listUris(s3: S3Client, location: string): Promise<string[]> {
    const { bucket, prefix } = splitS3Uri(location);
    const uris: string[] = [];
    let token: string | undefined;
    do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
        uris.push(...(page.Contents ?? []).map((o) => `s3://${bucket}/${o.Key as string}`));
        token = page.NextContinuationToken;
    } while (token !== undefined);
    return uris;
}

/** `s3://bucket/a/b` as bucket and prefix `a/b`. */
export function splitS3Uri(uri: string): { bucket: string; prefix: string } {
    const m = /^s3a?:\/\/([^/]+)\/?(.*?)\/?$/.exec(uri);
    if (m === null) throw new SmokeFailure(`not an s3:// location: ${uri}`);
    return { bucket: m[1] as string, prefix: m[2] as string };
}

/**
 * Runs the smoke test against a clientEnv; calls `report` after each step and throws a
 * SmokeFailure naming the first step that failed (after cleaning up what it created).
 */
export async function runSmoke(env: Readonly<Record<string, string | undefined>>, report: (r: StepResult) => void): Promise<void> {
    const catalog = need(env, "TRINO_CATALOG");
    const trino = new TrinoClient(need(env, "TRINO_URL"), need(env, "TRINO_USER"), catalog);
    const s3 = s3Client(env);
    const namespace = `lakeforge_smoke_${Date.now().toString(36)}`;
    // Under the client key's own location, so this key can see the files the engine wrote.
    const location = `${need(env, "S3_LOCATION")}/${namespace}`;
    const table = `${catalog}.${namespace}.layers`;
    let created = false;

    const step = async (name: string, work: () => Promise<string>): Promise<void> => {
        const started = Date.now();
        try {
            const detail = await work();
            report({ step: name, ok: true, seconds: (Date.now() - started) / 1000, detail });
        } catch (err) {
            const detail = err instanceof Error ? err.message : String(err);
            report({ step: name, ok: false, seconds: (Date.now() - started) / 1000, detail });
            throw new SmokeFailure(`step "${name}" failed: ${detail}`);
        }
    };

    try {
        const lokiUrl = env["LOKI_URL"];
        if (lokiUrl !== undefined && lokiUrl !== "") {
            await step("Loki holds PostgreSQL's start line, labelled by service", () => checkLokiStartLine(lokiUrl, fetch));
        }
        await step("trino answers and lists the catalog", async () => {
            const catalogs = (await trino.query("SHOW CATALOGS")).map((r) => r["Catalog"]);
            if (!catalogs.includes(catalog)) throw new Error(`catalog ${catalog} not among ${catalogs.join(", ")}`);
            return `catalogs: ${catalogs.join(", ")}`;
        });
        await step("create a namespace through the catalog", async () => {
            created = true;
            await trino.query(`CREATE SCHEMA ${catalog}.${namespace} WITH (location = '${location}')`);
            return `${namespace} at ${location}`;
        });
        await step("create an Iceberg table", async () => {
            await trino.query(`CREATE TABLE ${table} (id integer, layer varchar) WITH (format = 'PARQUET')`);
            return table;
        });
        await step("insert rows with Trino", async () => {
            await trino.query(`INSERT INTO ${table} VALUES ${ROWS.map((r) => `(${r.id}, '${r.layer}')`).join(", ")}`);
            return `${ROWS.length} rows`;
        });
        await step("read them back with Trino", async () => {
            const rows = await trino.query(`SELECT id, layer FROM ${table} ORDER BY id`);
            if (JSON.stringify(rows) !== JSON.stringify(ROWS))
                throw new Error(`read ${JSON.stringify(rows)}, wrote ${JSON.stringify(ROWS)}`);
            return `${rows.length} rows`;
        });
        if (env["SPARK_REMOTE"] !== undefined) {
            await step("read them back with Spark, and add a row", async () => {
                const rows = await pythonRows(env, "spark-read.py", [table]);
                if (JSON.stringify(rows) !== JSON.stringify(ROWS))
                    throw new Error(`Spark read ${JSON.stringify(rows)}, Trino wrote ${JSON.stringify(ROWS)}`);
                return `${rows.length} rows through ${env["SPARK_REMOTE"]}`;
            });
            await step("read Spark's row with Trino", async () => {
                const rows = await trino.query(`SELECT id, layer FROM ${table} WHERE id = 4`);
                if (JSON.stringify(rows) !== JSON.stringify([{ id: 4, layer: "spark" }])) throw new Error(`read ${JSON.stringify(rows)}`);
                return "1 row";
            });
        }
        await step("read them with pyiceberg, straight from the catalog and the object store", async () => {
            const rows = await pythonRows(env, "pyiceberg-read.py", [namespace, "layers"]);
            const expected = env["SPARK_REMOTE"] === undefined ? ROWS : [...ROWS, { id: 4, layer: "spark" }];
            if (JSON.stringify(rows) !== JSON.stringify(expected)) throw new Error(`pyiceberg read ${JSON.stringify(rows)}`);
            return `${rows.length} rows`;
        });
        await step("the catalog holds the table", async () => {
            const metadata = await catalogMetadataLocation(env, namespace, "layers");
            if (metadata === undefined || !metadata.startsWith(`${location}/`)) {
                throw new Error(`the catalog has no entry for layers under ${location} (found ${String(metadata)})`);
            }
            return `metadata at ${metadata}`;
        });
        await step("the data files are under the lake location", async () => {
            const files = (await trino.query(`SELECT file_path FROM ${catalog}.${namespace}."layers$files"`)).map((r) =>
                String(r["file_path"]),
            );
            if (files.length === 0) throw new Error("the table has no data files");
            const outside = files.filter((f) => !f.startsWith(`${location}/`));
            if (outside.length > 0) throw new Error(`files outside ${location}: ${outside.join(", ")}`);
            const stored = await listUris(s3, location);
            const missing = files.filter((f) => !stored.includes(f));
            if (missing.length > 0) throw new Error(`not in the object store: ${missing.join(", ")}`);
            return `${files.length} data file(s), ${stored.length} object(s) under ${location}`;
        });
        if (env["HIVE_METASTORE_URI"]) {
            const spark = env["SPARK_REMOTE"] === undefined ? undefined : (t: string) => pythonRows(env, "spark-read.py", [t]);
            for (const kind of ["hive", "delta"] as const) {
                const what = `${kind === "hive" ? "Hive" : "Delta Lake"} table through the metastore`;
                await step(`write and read a ${what}${spark === undefined ? "" : ", with Trino and Spark"}`, () =>
                    metastoreRoundTrip(trino, kind, `${namespace}_${kind}`, `${location}_${kind}`, s3, (l) => listUris(s3, l), spark),
                );
            }
        }
        const tracking = env["MLFLOW_TRACKING_URI"];
        if (tracking !== undefined && tracking !== "") {
            await step("log an MLflow run with an artifact and read it back through the server", async () => {
                const trip = await mlflowRoundTrip(tracking);
                return `run ${trip.runId}, artifact ${trip.artifact}`;
            });
        }
        const orchestrator = orchestratorOf(env);
        if (orchestrator !== undefined) {
            let runId = "";
            await step(`run the example pipeline through ${orchestrator}'s API`, async () => {
                runId = await runExamplePipeline(env);
                return `run ${runId} succeeded`;
            });
            await step("the pipeline's run is recorded in its Iceberg table", async () => {
                const where = `FROM ${catalog}.${ORCHESTRATOR_DEFAULTS.exampleTable} WHERE run_id = '${runId.replace(/'/g, "''")}'`;
                const rows = await trino.query(`SELECT orchestrator ${where}`);
                if (JSON.stringify(rows) !== JSON.stringify([{ orchestrator }])) throw new Error(`found ${JSON.stringify(rows)}`);
                await trino.query(`DELETE ${where}`);
                return `1 row for ${runId}, deleted again`;
            });
        }
    } finally {
        if (created) {
            await step("drop what the test created", async () => {
                await trino.query(`DROP TABLE IF EXISTS ${table}`);
                await trino.query(`DROP SCHEMA IF EXISTS ${catalog}.${namespace}`);
                const left = await listUris(s3, location);
                if (left.length > 0) throw new Error(`${left.length} object(s) left under ${location}`);
                return `${namespace} dropped, no object left`;
            });
        }
    }
}

/** Python with the Spark Connect client: LAKEFORGE_PYTHON, else python3 on PATH. */
function python(env: Readonly<Record<string, string | undefined>>): string {
    return env["LAKEFORGE_PYTHON"] ?? process.env["LAKEFORGE_PYTHON"] ?? "python3";
}

/** Runs one of the Python clients shipped beside this module's source, with the clientEnv; returns the rows it prints. */
async function pythonRows(
    env: Readonly<Record<string, string | undefined>>,
    file: string,
    args: readonly string[],
): Promise<Record<string, unknown>[]> {
    // Beside this file when run from source; under src/ when run compiled from bin/src/smoke.
    const script = [path.join(__dirname, file), path.resolve(__dirname, "..", "..", "..", "src", "smoke", file)].find((f) => existsSync(f));
    if (script === undefined) throw new Error(`${file} is missing from the lakeforge package`);
    const run = promisify(execFile);
    const { stdout } = await run(python(env), [script, ...args], { env: { ...process.env, ...env }, timeout: 300_000 }).catch(
        (err: { stderr?: string; message: string }) => {
            throw new Error((err.stderr ?? "").trim().split("\n").slice(-3).join(" | ") || err.message);
        },
    );
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "[]") as Record<string, unknown>[];
}
