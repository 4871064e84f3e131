import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { DatabaseConnection, Resources } from "../../src/types";
import { ORCHESTRATOR_DEFAULTS } from "./defaults";
import { exampleEntry, exampleEnv, exampleFiles, type ExampleTarget } from "./example";

/*
 * Dagster as three processes of one image: the webserver (UI and GraphQL API), the daemon (run
 * queue, schedules, sensors; exactly one) and a code location's gRPC server, where runs execute
 * (DefaultRunLauncher). Run, event and schedule storage is the platform's PostgreSQL. The instance
 * config, which holds the database password, is a secret file; each process copies it into its
 * own DAGSTER_HOME, readable by its user only, at start.
 */

export const DAGSTER_WEBSERVER_PORT = 3000;
export const DAGSTER_CODE_PORT = 4000;
export const DAGSTER_SECRETS = "/run/secrets/dagster";
/** In the container's own /tmp: Docker remounts a tmpfs root-owned on a restart, so a non-root process could not write one again. */
export const DAGSTER_HOME = "/tmp/dagster-home";
export const DAGSTER_WORKSPACE = "/etc/lakeforge/dagster/workspace.yaml";
/** Where the shipped example's files go in the code location's container (its working directory). */
export const DAGSTER_EXAMPLE_DIR = "/opt/lakeforge/example";
export const DAGSTER_USER_ID = "1000:1000";

/** A user's own code location: an image with their Definitions and the module that holds them. */
export interface DagsterCodeLocation {
    readonly image: string;
    readonly module: string;
}

/** A YAML scalar: JSON strings are valid YAML and quote whatever a password holds. */
const y = (v: string | number): string => JSON.stringify(v);

/** SQLAlchemy's URL for Dagster's storage, credentials URL-encoded; the driver is named, as SQLAlchemy 2.1's default changed. */
export function dagsterDatabaseUrl(db: { user: string; password: string; host: string; port: number; database: string }): string {
    return `postgresql+psycopg2://${encodeURIComponent(db.user)}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`;
}

/** dagster.yaml: PostgreSQL storage, a queued run coordinator, runs launched in the code server. */
export function renderDagsterInstance(databaseUrl: string): string {
    return [
        "storage:",
        "  postgres:",
        `    postgres_url: ${y(databaseUrl)}`,
        "run_coordinator:",
        "  module: dagster.core.run_coordinator",
        "  class: QueuedRunCoordinator",
        "  config:",
        "    max_concurrent_runs: 4",
        "run_launcher:",
        "  module: dagster.core.launcher",
        "  class: DefaultRunLauncher",
        // Step logs stay in the event log (PostgreSQL); nothing is kept on a container's disk.
        "compute_logs:",
        "  module: dagster.core.storage.noop_compute_log_manager",
        "  class: NoOpComputeLogManager",
        "local_artifact_storage:",
        "  module: dagster.core.storage.root",
        "  class: LocalArtifactStorage",
        "  config:",
        `    base_dir: ${y(`${DAGSTER_HOME}/storage`)}`,
        "telemetry:",
        "  enabled: false",
        "",
    ].join("\n");
}

/** workspace.yaml: the one code location, served by its gRPC server. */
export function renderDagsterWorkspace(codeHost: string, location: string): string {
    return [
        "load_from:",
        "  - grpc_server:",
        `      host: ${y(codeHost)}`,
        `      port: ${DAGSTER_CODE_PORT}`,
        `      location_name: ${y(location)}`,
        "",
    ].join("\n");
}

/**
 * The shell line every process starts with: its own DAGSTER_HOME holding the instance config, readable
 * by its user only and replaced on a restart.
 */
export function dagsterCommand(process: string): string[] {
    return ["sh", "-c", `install -D -m 600 ${DAGSTER_SECRETS}/dagster.yaml ${DAGSTER_HOME}/dagster.yaml && exec ${process}`];
}

/** Inputs of Dagster's specs. */
export interface DagsterSpecArgs {
    /** Service name of the webserver; the daemon and code server are `<name>-daemon` and `<name>-code`. */
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    readonly database: DatabaseConnection;
    /** The user's code location; undefined serves the shipped example in `image`. */
    readonly codeLocation?: DagsterCodeLocation;
    /** Where the example sends its SQL; undefined ships no example. */
    readonly example?: ExampleTarget;
}

const python = (script: string): string[] => ["python3", "-c", script];

/** The webserver, the daemon and the code server. */
export function dagsterSpecs(a: DagsterSpecArgs): [ServiceSpec, ...ServiceSpec[]] {
    const d = a.database;
    const instance = pulumi
        .all([d.user, d.password, d.host, d.port, d.database])
        .apply(([user, password, host, port, database]) =>
            renderDagsterInstance(dagsterDatabaseUrl({ user, password, host, port, database })),
        );
    const code = `${a.name}-code`;
    const common = {
        env: { DAGSTER_HOME, HOME: "/tmp", ...exampleEnv(a.example) },
        secretEnv: {},
        volumes: [],
        resources: a.resources,
        user: DAGSTER_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: false,
        // Its database and login are made by the bootstrap.
        afterBootstrap: true,
    };
    const instanceFile = { path: `${DAGSTER_SECRETS}/dagster.yaml`, content: pulumi.secret(instance), secret: true };
    const workspace = { path: DAGSTER_WORKSPACE, content: renderDagsterWorkspace(code, ORCHESTRATOR_DEFAULTS.location), secret: false };
    const loadCode =
        a.codeLocation !== undefined
            ? `-m ${a.codeLocation.module}`
            : `-f ${DAGSTER_EXAMPLE_DIR}/${exampleEntry("dagster")} -d ${DAGSTER_EXAMPLE_DIR}`;
    return [
        {
            ...common,
            name: a.name,
            image: a.image,
            command: dagsterCommand(`dagster-webserver -h 0.0.0.0 -p ${DAGSTER_WEBSERVER_PORT} -w ${DAGSTER_WORKSPACE}`),
            files: [instanceFile, workspace],
            ports: [{ name: "http", port: DAGSTER_WEBSERVER_PORT, scheme: "http", publishAs: "orchestrator" }],
            healthCheck: {
                command: python(
                    `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${DAGSTER_WEBSERVER_PORT}/server_info', timeout=4)`,
                ),
                intervalSeconds: 5,
                timeoutSeconds: 5,
                retries: 3,
                // The first start creates Dagster's tables.
                startPeriodSeconds: 90,
            },
        },
        {
            ...common,
            name: `${a.name}-daemon`,
            image: a.image,
            command: dagsterCommand(`dagster-daemon run -w ${DAGSTER_WORKSPACE}`),
            files: [instanceFile, workspace],
            ports: [],
            healthCheck: {
                // Reads the daemons' heartbeats from the database: slow, so checked seldom.
                command: ["dagster-daemon", "liveness-check"],
                intervalSeconds: 30,
                timeoutSeconds: 25,
                retries: 3,
                startPeriodSeconds: 120,
            },
        },
        {
            ...common,
            name: code,
            image: a.codeLocation?.image ?? a.image,
            command: dagsterCommand(`dagster api grpc -h 0.0.0.0 -p ${DAGSTER_CODE_PORT} ${loadCode}`),
            files: [instanceFile, ...(a.codeLocation === undefined && a.example ? exampleFiles("dagster", DAGSTER_EXAMPLE_DIR) : [])],
            ports: [{ name: "grpc", port: DAGSTER_CODE_PORT, scheme: "tcp" }],
            healthCheck: {
                command: ["dagster", "api", "grpc-health-check", "-p", String(DAGSTER_CODE_PORT)],
                intervalSeconds: 10,
                timeoutSeconds: 10,
                retries: 3,
                startPeriodSeconds: 60,
            },
        },
    ];
}
