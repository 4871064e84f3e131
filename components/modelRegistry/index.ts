import * as pulumi from "@pulumi/pulumi";
import type { Database } from "../database";
import type { Runtime, ServiceSpec } from "../../src/runtime/spec";
import type { DatabaseConnection, Endpoint, Resources, S3Access } from "../../src/types";
import { MODEL_REGISTRY_DEFAULTS } from "./defaults";

export { MODEL_REGISTRY_DEFAULTS } from "./defaults";

/*
 * MLflow's tracking server and model registry: runs and registered models in its own PostgreSQL
 * database, artifacts under the lake bucket's `mlflow/` prefix through its own key, served to
 * clients through the server (`--serve-artifacts`), so clients need no S3 key. Credentials are two
 * secret files: the database URL, which a shell reads into the server's environment (never its
 * arguments), and an AWS shared-credentials file boto3 reads itself.
 */

export const MLFLOW_PORT = 5000;
export const MLFLOW_SECRETS = "/run/secrets/mlflow";
/** Runs as an unprivileged user; the server needs no root. */
export const MLFLOW_USER_ID = "1000:1000";

/** An AWS shared-credentials file with one default profile. */
export function renderAwsCredentials(accessKeyId: string, secretAccessKey: string): string {
    return `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}

/** SQLAlchemy's URL for MLflow's backend store, credentials URL-encoded. */
export function backendStoreUri(user: string, password: string, host: string, port: number, database: string): string {
    return `postgresql+psycopg2://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

/** Where the server finds its S3 endpoint (a plain file: an endpoint is no secret, but only known at deploy). */
export const MLFLOW_S3_ENDPOINT_FILE = "/etc/lakeforge/mlflow-s3-endpoint";

/** Server processes for a memory limit: each takes about 300 MiB, and MLflow's default of 4 overflows 1 GiB. */
export function mlflowWorkers(memoryMb: number): number {
    return Math.max(1, Math.min(4, Math.floor((memoryMb - 256) / 384)));
}

/** The shell line that starts the server with the database URL and S3 endpoint read from files. */
export function mlflowCommand(artifactsDestination: string, workers: number): string[] {
    const server = [
        "exec mlflow server --host 0.0.0.0",
        `--port ${MLFLOW_PORT}`,
        `--workers ${workers}`,
        `--artifacts-destination ${artifactsDestination}`,
        "--serve-artifacts",
        // From 3.5 MLflow refuses Host headers it does not know: its service name, and loopback on any port.
        `--allowed-hosts 'mlflow,mlflow:*,localhost,localhost:*,127.0.0.1,127.0.0.1:*'`,
    ].join(" ");
    const env = `MLFLOW_BACKEND_STORE_URI="$(cat ${MLFLOW_SECRETS}/backend-store-uri)" MLFLOW_S3_ENDPOINT_URL="$(cat ${MLFLOW_S3_ENDPOINT_FILE})"`;
    return ["sh", "-c", `${env} ${server}`];
}

/** Inputs of the MLflow server's spec. */
export interface MlflowSpecArgs {
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    readonly database: DatabaseConnection;
    readonly s3: S3Access;
}

export function mlflowSpec(a: MlflowSpecArgs): ServiceSpec {
    const d = a.database;
    const uri = pulumi
        .all([d.user, d.password, d.host, d.port, d.database])
        .apply(([user, password, host, port, db]) => backendStoreUri(user, password, host, port, db));
    const c = a.s3.credentials;
    const aws = pulumi.all([c.accessKeyId, c.secretAccessKey]).apply(([id, secret]) => renderAwsCredentials(id, secret));
    return {
        name: a.name,
        image: a.image,
        command: mlflowCommand(a.s3.location.s3Uri, mlflowWorkers(a.resources.memoryMb)),
        env: {
            AWS_SHARED_CREDENTIALS_FILE: `${MLFLOW_SECRETS}/aws-credentials`,
            AWS_DEFAULT_REGION: a.s3.region,
            AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
            AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
            HOME: "/tmp",
            // MLflow 3's job runner (GenAI scorers, prompt optimization) starts a dozen more Python
            // processes, about 1.5 GiB together; tracking and the registry do not use it.
            MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false",
        },
        secretEnv: {},
        files: [
            { path: `${MLFLOW_SECRETS}/backend-store-uri`, content: pulumi.secret(uri), secret: true },
            { path: `${MLFLOW_SECRETS}/aws-credentials`, content: pulumi.secret(aws), secret: true },
            {
                path: MLFLOW_S3_ENDPOINT_FILE,
                content: a.s3.internalUrl,
                secret: false,
            },
        ],
        ports: [{ name: "http", port: MLFLOW_PORT, scheme: "http", publishAs: "modelRegistry" }],
        volumes: [],
        healthCheck: {
            command: [
                "python3",
                "-c",
                `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${MLFLOW_PORT}/health', timeout=4)`,
            ],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 3,
            // The first start creates MLflow's tables.
            startPeriodSeconds: 90,
        },
        resources: a.resources,
        user: MLFLOW_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: false,
        // Its database and login are made by the bootstrap.
        afterBootstrap: true,
    };
}

/** Inputs of the ModelRegistry capability. */
export interface ModelRegistryArgs {
    readonly runtime: Runtime;
    /** @default "mlflow" */
    readonly engine?: "mlflow";
    /** @default IMAGES.mlflow */
    readonly image?: string;
    /** @default MODEL_REGISTRY_DEFAULTS.resources */
    readonly resources?: Resources;
    /** The platform's PostgreSQL: MLflow gets its own database and login. */
    readonly database: Database;
    /** MLflow's own key, limited to the lake bucket's `mlflow/` prefix. */
    readonly s3: S3Access;
}

/** MLflow: `endpoint` is `MLFLOW_TRACKING_URI`. */
export class ModelRegistry extends pulumi.ComponentResource {
    public readonly endpoint: Endpoint;

    constructor(name: string, args: ModelRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:modelRegistry:ModelRegistry", name, {}, opts);
        const spec = mlflowSpec({
            name,
            image: args.image ?? MODEL_REGISTRY_DEFAULTS.image,
            resources: args.resources ?? MODEL_REGISTRY_DEFAULTS.resources,
            database: args.database.database(MODEL_REGISTRY_DEFAULTS.database),
            s3: args.s3,
        });
        this.endpoint = args.runtime.deploy(spec, this).endpoint("http");
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
