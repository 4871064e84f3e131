import { IMAGES } from "../../src/images";

/** The orchestrators lakeforge runs. */
export type OrchestratorKind = "dagster" | "airflow";

/** Defaults of the Orchestrator capability; each is mirrored by an `@default` on its arg. */
export const ORCHESTRATOR_DEFAULTS = {
    engine: "dagster" as OrchestratorKind,
    images: { dagster: IMAGES.dagster, airflow: IMAGES.airflow },
    /** Per process (Dagster runs three, Airflow four; a pipeline's tasks run in Dagster's code server or Airflow's scheduler). */
    resources: { memoryMb: 1024, cpus: 1 },
    /** Ship the example pipeline, which records each of its runs in an Iceberg table through Trino. */
    example: true,
    /** Its database (and login role) in the platform's PostgreSQL, per engine. */
    databases: { dagster: "dagster", airflow: "airflow" },
    /** Where Airflow reads DAG files: the image's own folder, where a user's image bakes them in. */
    dagsFolder: "/opt/airflow/dags",
    /** Airflow's one login (simple auth manager), with the Admin role; its password is generated. */
    airflowUser: "admin",
    /** Names of the shipped example pipeline: the Dagster job / Airflow DAG, and its code location. */
    exampleName: "lakeforge_example",
    location: "lakeforge",
    /** The Iceberg table (in schema `examples` of the query engine's catalog) the example writes; examples/lakeforge_trino.py names it too. */
    exampleTable: "examples.orchestrator_runs",
} as const;
