import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Database } from "../database";
import type { Runtime, ServiceSpec } from "../../src/runtime/spec";
import type { Endpoint, Resources } from "../../src/types";
import { airflowSpecs } from "./airflow";
import { dagsterSpecs, type DagsterCodeLocation } from "./dagster";
import { ORCHESTRATOR_DEFAULTS, type OrchestratorKind } from "./defaults";
import type { ExampleTarget } from "./example";

export { ORCHESTRATOR_DEFAULTS, type OrchestratorKind } from "./defaults";
export * from "./airflow";
export * from "./dagster";
export * from "./example";

/** Inputs of the Orchestrator capability. */
export interface OrchestratorArgs {
    readonly runtime: Runtime;
    /** @default "dagster" */
    readonly engine?: OrchestratorKind;
    /** The image every process runs (for Airflow, with the user's DAGs baked in). @default IMAGES[engine] */
    readonly image?: string;
    /** Per process. @default { memoryMb: 1024, cpus: 1 } */
    readonly resources?: Resources;
    /** The platform's PostgreSQL: the orchestrator gets its own database and login. */
    readonly database: Database;
    /** Dagster: the user's code location; unset serves the example. */
    readonly codeLocation?: DagsterCodeLocation;
    /** Airflow: where DAG files are read. @default "/opt/airflow/dags" */
    readonly dagsFolder?: string;
    /** Where the shipped example pipeline sends its SQL (Trino); unset ships no example. */
    readonly example?: ExampleTarget;
}

/** Dagster or Airflow on the platform's database: `endpoint` is DAGSTER_URL / AIRFLOW_API_URL. */
export class Orchestrator extends pulumi.ComponentResource {
    public readonly engine: OrchestratorKind;
    public readonly endpoint: Endpoint;
    /** Airflow's login (user `admin`), a secret; undefined for Dagster, whose open-source webserver has no login. */
    public readonly login?: { readonly username: string; readonly password: pulumi.Output<string> };

    constructor(name: string, args: OrchestratorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:orchestrator:Orchestrator", name, {}, opts);
        this.engine = args.engine ?? ORCHESTRATOR_DEFAULTS.engine;
        const common = {
            name,
            image: args.image ?? ORCHESTRATOR_DEFAULTS.images[this.engine],
            resources: args.resources ?? ORCHESTRATOR_DEFAULTS.resources,
            database: args.database.database(ORCHESTRATOR_DEFAULTS.databases[this.engine]),
            example: args.example,
        };
        let specs: [ServiceSpec, ...ServiceSpec[]];
        if (this.engine === "dagster") {
            specs = dagsterSpecs({ ...common, codeLocation: args.codeLocation });
        } else {
            const secret = (id: string, length: number) =>
                new random.RandomPassword(`${name}-${id}`, { length, special: false }, { parent: this }).result;
            const password = secret("admin-password", 32);
            // A Fernet key is URL-safe base64 of 32 random bytes.
            const fernet = new random.RandomBytes(`${name}-fernet-key`, { length: 32 }, { parent: this }).base64.apply((b) =>
                b.replace(/\+/g, "-").replace(/\//g, "_"),
            );
            specs = airflowSpecs({
                ...common,
                adminPassword: password,
                jwtSecret: secret("jwt-secret", 48),
                apiSecretKey: secret("api-secret-key", 48),
                fernetKey: pulumi.secret(fernet),
                dagsFolder: args.dagsFolder ?? ORCHESTRATOR_DEFAULTS.dagsFolder,
            });
            this.login = { username: ORCHESTRATOR_DEFAULTS.airflowUser, password };
        }
        // Clients talk to the first process (the webserver / API server); the others serve it.
        const [front, ...others] = specs;
        this.endpoint = args.runtime.deploy(front, this).endpoint("http");
        for (const spec of others) args.runtime.deploy(spec, this);
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
