import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { credentialLeaks, deployConfig, K8S } from "./support/deploy";
import { at, ofType, one, plain, podOf, resolve, type Recorded } from "./support/mocks";

/* The Orchestrator (Dagster, Airflow) under mocks; the end-to-end tier runs both for real. */

const lakehouse = { catalog: { enabled: true }, queryEngine: { enabled: true, engines: ["trino"] } };
const config = (target: "docker" | "kubernetes", orchestrator: Record<string, unknown>, extra: Record<string, unknown> = lakehouse) => ({
    "lakeforge:target": target,
    "lakeforge:components": JSON.stringify({ ...extra, orchestrator: { enabled: true, ...orchestrator } }),
});

const container = (recorded: readonly Recorded[], name: string) => one(recorded, "docker:index/container:Container", name);
const uploads = (r: Recorded) =>
    plain<{ file: string; content: string }[]>(r.inputs["uploads"]).map((u) => ({ file: u.file, content: plain<string>(u.content) }));
const envsOf = async (r: Recorded) => (await resolve(pulumi.output(r.inputs["envs"] as string[]))).value as string[];

describe("Orchestrator (dagster) on docker", async () => {
    const { recorded, outputs } = await deployConfig("dev", config("docker", {}));

    it("runs the webserver, one daemon and the code server on its own database, and hands clients DAGSTER_URL", async () => {
        const names = ofType(recorded, "docker:index/container:Container").map((c) => c.name);
        expect(names).toEqual(expect.arrayContaining(["orchestrator", "orchestrator-daemon", "orchestrator-code"]));
        expect(recorded.filter((r) => r.type === "postgresql:index/database:Database").map((r) => r.inputs["name"])).toContain("dagster");
        const env = (await resolve(outputs.clientEnv)).value as Record<string, string>;
        expect(env["DAGSTER_URL"]).toBe("http://127.0.0.1:3000");
        expect(outputs.endpoints.orchestrator).toBeDefined();
    });

    it("keeps the database password in the instance config, a secret file each process copies into its own DAGSTER_HOME", async () => {
        for (const name of ["orchestrator", "orchestrator-daemon", "orchestrator-code"]) {
            const c = container(recorded, name);
            expect(credentialLeaks([await envsOf(c), c.inputs["command"]], name, true)).toEqual([]);
            expect((c.inputs["command"] as string[]).join(" ")).toContain(
                "install -D -m 600 /run/secrets/dagster/dagster.yaml /tmp/dagster-home/dagster.yaml && exec ",
            );
            expect(c.inputs["tmpfs"]).toBeUndefined();
        }
        const instance = uploads(container(recorded, "orchestrator")).find((u) => u.file === "/run/secrets/dagster/dagster.yaml");
        const parsed = parseYaml(instance?.content ?? "") as Record<string, Record<string, unknown>>;
        expect(at(parsed, "storage", "postgres", "postgres_url")).toBe(
            "postgresql+psycopg2://dagster:generated-password-postgres-dagster-password@postgres:5432/dagster",
        );
        expect(at(parsed, "run_launcher", "class")).toBe("DefaultRunLauncher");
        expect(at(parsed, "telemetry", "enabled")).toBe(false);
    });

    it("serves the example job from the code server, which reaches Trino in-network", async () => {
        const code = container(recorded, "orchestrator-code");
        expect((code.inputs["command"] as string[]).join(" ")).toContain(
            "dagster api grpc -h 0.0.0.0 -p 4000 -f /opt/lakeforge/example/lakeforge_example_dagster.py -d /opt/lakeforge/example",
        );
        expect(uploads(code).map((u) => u.file)).toEqual(
            expect.arrayContaining(["/opt/lakeforge/example/lakeforge_trino.py", "/opt/lakeforge/example/lakeforge_example_dagster.py"]),
        );
        expect(await envsOf(code)).toEqual(
            expect.arrayContaining(["TRINO_URL=http://trino:8080", "TRINO_CATALOG=lake", "TRINO_USER=lakeforge"]),
        );
        const workspace = parseYaml(
            uploads(container(recorded, "orchestrator")).find((u) => u.file.endsWith("workspace.yaml"))?.content ?? "",
        );
        expect(workspace).toEqual({ load_from: [{ grpc_server: { host: "orchestrator-code", port: 4000, location_name: "lakeforge" } }] });
    });

    it("runs a user's code location from their image and module instead of the example", async () => {
        const user = await deployConfig(
            "dev",
            config("docker", { example: false, codeLocation: { image: "acme/pipelines:1.0", module: "acme.defs" } }),
        );
        const code = container(user.recorded, "orchestrator-code");
        const images = ofType(user.recorded, "docker:index/remoteImage:RemoteImage").map((r) => r.inputs["name"]);
        expect(images).toContain("acme/pipelines:1.0");
        expect((code.inputs["command"] as string[]).join(" ")).toContain("dagster api grpc -h 0.0.0.0 -p 4000 -m acme.defs");
        expect(uploads(code).map((u) => u.file)).toEqual(["/run/secrets/dagster/dagster.yaml"]);
    });
});

describe("Orchestrator (airflow)", async () => {
    const docker = await deployConfig("dev", config("docker", { engine: "airflow" }));

    it("migrates once, in the API server, before it serves; the other components wait for the migrations", () => {
        const command = (name: string) => (container(docker.recorded, name).inputs["command"] as string[]).join(" ");
        expect(command("orchestrator")).toBe(
            "bash -c airflow db migrate && install -D -m 600 /run/secrets/airflow/passwords.json /tmp/airflow-auth/passwords.json && exec airflow api-server --port 8080",
        );
        for (const c of ["scheduler", "dag-processor", "triggerer"]) {
            expect(command(`orchestrator-${c}`)).toBe(
                `bash -c airflow db check-migrations --migration-wait-timeout 600 && exec airflow ${c}`,
            );
        }
    });

    it("shares one JWT secret, API key and Fernet key through one secret config file, never env or arguments", async () => {
        const configs = new Set<string>();
        for (const name of ["orchestrator", "orchestrator-scheduler", "orchestrator-dag-processor", "orchestrator-triggerer"]) {
            const c = container(docker.recorded, name);
            expect(credentialLeaks([await envsOf(c), c.inputs["command"]], name, true)).toEqual([]);
            expect(await envsOf(c)).toContain("AIRFLOW_CONFIG=/run/secrets/airflow/airflow.cfg");
            configs.add(uploads(c).find((u) => u.file === "/run/secrets/airflow/airflow.cfg")?.content ?? "");
        }
        expect(configs.size).toBe(1);
        const [cfg] = [...configs];
        expect(cfg).toContain(
            "sql_alchemy_conn = postgresql+psycopg2://airflow:generated-password-postgres-airflow-password@postgres:5432/airflow",
        );
        expect(cfg).toContain("jwt_secret = generated-password-orchestrator-jwt-secret");
        // URL-safe base64: `+` and `/` become `-` and `_`.
        expect(cfg).toContain("fernet_key = generated-bytes-orchestrator-fernet-key-_A=");
    });

    it("places the example DAG in the DAGs folder of the components that parse and run it", () => {
        for (const name of ["orchestrator-scheduler", "orchestrator-dag-processor", "orchestrator-triggerer"]) {
            expect(uploads(container(docker.recorded, name)).map((u) => u.file)).toEqual(
                expect.arrayContaining(["/opt/airflow/dags/lakeforge_example_airflow.py", "/opt/airflow/dags/lakeforge_trino.py"]),
            );
        }
    });

    it("on kubernetes: four Deployments at the restricted profile, credentials only in Secrets, the login stored in Vault", async () => {
        const { recorded, outputs } = await deployConfig("dev", config("kubernetes", { engine: "airflow" }));
        const names = ofType(recorded, K8S.deployment).map((d) => d.name);
        expect(names).toEqual(
            expect.arrayContaining(["orchestrator", "orchestrator-scheduler", "orchestrator-dag-processor", "orchestrator-triggerer"]),
        );
        for (const name of ["orchestrator", "orchestrator-scheduler"]) {
            const pod = podOf(one(recorded, K8S.deployment, name));
            expect(at(pod, "securityContext", "runAsNonRoot")).toBe(true);
            expect(at(pod, "containers", 0, "securityContext", "allowPrivilegeEscalation")).toBe(false);
        }
        expect(credentialLeaks(ofType(recorded, K8S.configMap), "configMaps", true)).toEqual([]);
        expect(credentialLeaks(ofType(recorded, K8S.deployment), "deployments", true)).toEqual([]);
        const files = plain<Record<string, string>>(one(recorded, K8S.secret, "orchestrator-files").inputs["stringData"]);
        expect(Object.values(files).join("\n")).toContain('{"admin":"generated-password-orchestrator-admin-password"}');
        const env = await resolve(outputs.clientEnv);
        expect(env.secret).toBe(true);
        expect(env.value).toMatchObject({
            AIRFLOW_API_URL: "http://127.0.0.1:30300",
            AIRFLOW_USERNAME: "admin",
            AIRFLOW_PASSWORD: "generated-password-orchestrator-admin-password",
        });
        const stored = one(recorded, "vault:kv/secretV2:SecretV2", "vault-orchestrator-admin").inputs;
        expect(JSON.parse(plain<string>(stored["dataJson"]))).toMatchObject({ AIRFLOW_USERNAME: "admin" });
    });
});

describe("Orchestrator config", () => {
    const refused = async (components: Record<string, unknown>) => {
        const { parseConfig } = await import("../src/config");
        return () => parseConfig({ "lakeforge:target": "docker", "lakeforge:components": JSON.stringify(components) }, "dev");
    };

    it("refuses the example pipeline without Trino to run its query", async () => {
        expect(await refused({ orchestrator: { enabled: true } })).toThrow(
            'lakeforge:components.orchestrator.example: expected false while queryEngine does not run "trino" (the example pipeline writes its table through Trino), found true',
        );
    });

    it("refuses a Dagster with nothing to serve, and a code location for Airflow", async () => {
        expect(await refused({ orchestrator: { enabled: true, example: false } })).toThrow(
            "lakeforge:components.orchestrator.codeLocation: expected {image, module} of a Dagster code location while example is false",
        );
        const airflow = { enabled: true, engine: "airflow", example: false, codeLocation: { image: "a/b:1", module: "m" } };
        expect(await refused({ orchestrator: airflow })).toThrow(
            'lakeforge:components.orchestrator.codeLocation: expected no codeLocation with engine "airflow"',
        );
        expect(await refused({ orchestrator: { enabled: true, example: false, codeLocation: { image: "a/b:1", module: "1x" } } })).toThrow(
            "lakeforge:components.orchestrator.codeLocation.module: expected a Python module path",
        );
    });

    it("refuses an orchestrator without the database that keeps its runs", async () => {
        expect(
            await refused({
                orchestrator: { enabled: true, example: false, codeLocation: { image: "a/b:1", module: "m" } },
                database: { enabled: false },
            }),
        ).toThrow(
            "lakeforge:components.orchestrator.enabled: expected false while database.enabled is false (orchestrator keeps runs and their history in the database), found true",
        );
    });

    it("ships example pipelines that are valid Python", () => {
        const dir = path.join(__dirname, "..", "components", "orchestrator", "examples");
        for (const file of ["lakeforge_trino.py", "lakeforge_example_dagster.py", "lakeforge_example_airflow.py"]) {
            execFileSync("python3", ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", path.join(dir, file)]);
        }
    });
});
