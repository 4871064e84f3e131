import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { ServiceSpec } from "../src/runtime/spec";
import { credentialLeaks, deployConfig } from "./support/deploy";
import { installMocks, isSecretInput, ofType, resolve, settle, type Recorded } from "./support/mocks";
import { RecordingRuntime } from "./support/runtime";

/* The lakehouse core under mocks: the jdbc Catalog, Trino's rendered config and the wiring. */

let recorded: Recorded[];
let runtime: RecordingRuntime;

async function fileOf(spec: ServiceSpec, path: string): Promise<{ value: unknown; secret: boolean }> {
    const file = spec.files.find((f) => f.path === path);
    if (file === undefined) throw new Error(`${spec.name} has no ${path}`);
    return { ...(await resolve(pulumi.output(file.content))), secret: file.secret };
}

beforeAll(async () => {
    recorded = installMocks();
    const { Database } = await import("../components/database");
    const { ObjectStore } = await import("../components/objectStore");
    const { Catalog } = await import("../components/catalog");
    const { QueryEngine } = await import("../components/queryEngine");
    runtime = new RecordingRuntime();
    const db = new Database("postgres", { runtime });
    const store = new ObjectStore("seaweedfs", { runtime, consumers: [{ name: "trino", bucket: "lake", prefix: "" }] });
    const catalog = new Catalog("catalog", { runtime, database: db, location: "s3://lake", clients: ["trino", "client"] });
    new QueryEngine("trino", { runtime, workers: 2, catalog: catalog.access("trino"), s3: store.consumer("trino", { bucket: "lake" }) });
    await settle();
});

describe("Catalog (jdbc)", () => {
    it("keeps its entries in a database of its own, owned by its own role, and one login per client", () => {
        const dbs = ofType(recorded, "postgresql:index/database:Database").map((r) => r.inputs["name"]);
        expect(dbs).toContain("iceberg_catalog");
        const roles = ofType(recorded, "postgresql:index/role:Role").map((r) => r.inputs);
        for (const name of ["iceberg_catalog", "iceberg_catalog_trino", "iceberg_catalog_client"]) {
            expect(roles.find((r) => r["name"] === name)).toMatchObject({
                login: true,
                superuser: false,
                createDatabase: false,
                createRole: false,
            });
        }
        const connects = ofType(recorded, "postgresql:index/grant:Grant").filter((g) =>
            (g.inputs["privileges"] as string[]).includes("CONNECT"),
        );
        expect(connects.map((g) => g.inputs["role"]).sort()).toEqual(["iceberg_catalog_client", "iceberg_catalog_trino"]);
    });

    it("creates Iceberg's V1 tables as the owner and grants the clients entries, not DDL", async () => {
        const { catalogStatements, JDBC_CATALOG_DDL } = await import("../components/catalog");
        const sql = catalogStatements({ clients: ["iceberg_catalog_trino"] });
        expect(sql.slice(0, 2)).toEqual([...JDBC_CATALOG_DDL]);
        expect(JDBC_CATALOG_DDL[0]).toMatch(/CREATE TABLE IF NOT EXISTS iceberg_tables .*iceberg_type VARCHAR\(5\)/);
        expect(sql[2]).toBe(
            'GRANT SELECT, INSERT, UPDATE, DELETE ON iceberg_tables, iceberg_namespace_properties TO "iceberg_catalog_trino"',
        );
        // A removed client loses its grants; nothing is ever dropped.
        const update = catalogStatements({ clients: [] }, { clients: ["iceberg_catalog_trino"] });
        expect(update.at(-1)).toBe('REVOKE ALL ON iceberg_tables, iceberg_namespace_properties FROM "iceberg_catalog_trino"');
        expect([...sql, ...update].join("\n")).not.toMatch(/DROP/);
    });

    it("hands the tables' resource the owner password as a secret", () => {
        const tables = recorded.find((r) => r.name === "catalog-tables");
        expect(tables).toBeDefined();
        expect(isSecretInput(tables?.inputs["password"])).toBe(true);
        expect(credentialLeaks(tables?.inputs, "catalog-tables")).toEqual([]);
    });

    it("refuses a client it was not given", async () => {
        const { Catalog } = await import("../components/catalog");
        const { Database } = await import("../components/database");
        const c = new Catalog("other", { runtime, database: new Database("pg2", { runtime }), location: "s3://lake", clients: ["client"] });
        expect(() => c.access("spark")).toThrow('Catalog other: client "spark" is not one of client');
    });
});

describe("QueryEngine (trino)", () => {
    it("deploys a coordinator and `workers` workers, only the coordinator published", () => {
        const names = runtime.specs.filter((s) => s.name.startsWith("trino")).map((s) => s.name);
        expect(names).toEqual(["trino", "trino-worker-1", "trino-worker-2"]);
        expect(runtime.spec("trino").ports).toEqual([{ name: "http", port: 8080, scheme: "http", publishAs: "trino" }]);
        expect(runtime.spec("trino-worker-1").ports).toEqual([{ name: "http", port: 8080, scheme: "http" }]);
    });

    it("renders coordinator and worker configs that find each other", async () => {
        const coordinator = String((await fileOf(runtime.spec("trino"), "/etc/trino/config.properties")).value);
        expect(coordinator).toBe(
            "coordinator=true\nnode-scheduler.include-coordinator=false\nhttp-server.http.port=8080\ndiscovery.uri=http://localhost:8080\n",
        );
        const worker = String((await fileOf(runtime.spec("trino-worker-2"), "/etc/trino/config.properties")).value);
        expect(worker).toBe("coordinator=false\nhttp-server.http.port=8080\ndiscovery.uri=http://trino:8080\n");
        const { renderTrinoConfig } = await import("../components/queryEngine");
        expect(renderTrinoConfig("coordinator", 0, "trino")).toContain("node-scheduler.include-coordinator=true");
    });

    it("renders the Iceberg catalog on the JDBC catalog with native S3, as a secret file (it holds the credentials)", async () => {
        const file = await fileOf(runtime.spec("trino"), "/etc/trino/catalog/lake.properties");
        expect(file.secret).toBe(true);
        const props = Object.fromEntries(
            String(file.value)
                .trim()
                .split("\n")
                .map((l) => l.split(/=(.*)/s).slice(0, 2)),
        );
        expect(props).toEqual({
            "connector.name": "iceberg",
            "iceberg.catalog.type": "jdbc",
            "iceberg.jdbc-catalog.driver-class": "org.postgresql.Driver",
            "iceberg.jdbc-catalog.connection-url": "jdbc:postgresql://postgres:5432/iceberg_catalog",
            "iceberg.jdbc-catalog.connection-user": "iceberg_catalog_trino",
            "iceberg.jdbc-catalog.connection-password": "generated-password-postgres-iceberg_catalog_trino-password",
            "iceberg.jdbc-catalog.catalog-name": "lake",
            "iceberg.jdbc-catalog.default-warehouse-dir": "s3://lake",
            "iceberg.jdbc-catalog.schema-version": "V1",
            "fs.native-s3.enabled": "true",
            "s3.endpoint": "http://seaweedfs:8333",
            "s3.region": "us-east-1",
            "s3.path-style-access": "true",
            "s3.aws-access-key": "trino",
            "s3.aws-secret-key": "generated-password-seaweedfs-trino-secret-key",
        });
        // The legacy S3 keys were removed in Trino 481; lakeforge never renders them.
        expect(String(file.value)).not.toMatch(/hive\.s3\.|fs\.hadoop/);
    });

    it("keeps credentials out of env and plain files: only the secret catalog file holds them", async () => {
        const spec = runtime.spec("trino-worker-1");
        expect(spec.secretEnv).toEqual({});
        expect(spec.env).toEqual({ AWS_REQUEST_CHECKSUM_CALCULATION: "when_required", AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required" });
        for (const f of spec.files.filter((x) => !x.secret)) expect(credentialLeaks(await fileOf(spec, f.path), f.path, true)).toEqual([]);
        const catalog = await fileOf(spec, "/etc/trino/catalog/lake.properties");
        expect(catalog).toMatchObject({ secret: true });
        expect(credentialLeaks(catalog.value, "catalog", true).length).toBeGreaterThan(0);
    });

    it("runs as the image's trino user with the image's own health check and a heap that follows the memory limit", async () => {
        const spec = runtime.spec("trino");
        expect(spec.user).toBe("1000:1000");
        expect(spec.healthCheck.command).toEqual(["/usr/lib/trino/bin/health-check"]);
        expect(String((await fileOf(spec, "/etc/trino/jvm.config")).value)).toContain("-XX:MaxRAMPercentage=75");
        expect(String((await fileOf(spec, "/etc/trino/node.properties")).value)).not.toContain("node.id");
    });
});

describe("the lakehouse core in a stack", () => {
    const config = (target: "docker" | "kubernetes") => ({
        "lakeforge:target": target,
        "lakeforge:components": JSON.stringify({ catalog: { enabled: true }, queryEngine: { enabled: true, workers: 1 } }),
    });

    it.each(["docker", "kubernetes"] as const)("%s: clientEnv gains the catalog and Trino, secret as a whole", async (target) => {
        const { outputs } = await deployConfig("dev", config(target));
        const env = await resolve(outputs.clientEnv);
        expect(env.secret).toBe(true);
        expect(env.value).toMatchObject({
            TRINO_USER: "lakeforge",
            TRINO_CATALOG: "lake",
            ICEBERG_CATALOG: "lake",
            ICEBERG_CATALOG_TYPE: "jdbc",
            ICEBERG_WAREHOUSE: "s3://lake",
            ICEBERG_JDBC_USER: "iceberg_catalog_client",
            AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
        });
        const value = env.value as Record<string, string>;
        expect(value["TRINO_URL"]).toMatch(/^http:\/\//);
        expect(value["ICEBERG_JDBC_URL"]).toMatch(/^jdbc:postgresql:\/\/.*\/iceberg_catalog$/);
        expect(outputs.endpoints.queryEngine).toBeDefined();
    });

    it("gives the query engine its own whole-lake key, declared with the store's consumers", async () => {
        const { platformConsumers } = await import("../src/components-schema");
        const { parseConfig } = await import("../src/config");
        const parsed = parseConfig(config("docker"), "dev");
        expect(platformConsumers(parsed.components)).toEqual([{ name: "trino", bucket: "lake", prefix: "", owner: "queryEngine" }]);
    });
});

describe("QueryEngine (spark) on a standalone cluster", () => {
    it("adds a master and `sparkWorkers` workers; the Connect server becomes the driver on fixed ports", async () => {
        installMocks();
        const { QueryEngine } = await import("../components/queryEngine");
        const { Database } = await import("../components/database");
        const { ObjectStore } = await import("../components/objectStore");
        const { Catalog } = await import("../components/catalog");
        const rt = new RecordingRuntime();
        const db = new Database("postgres", { runtime: rt });
        const store = new ObjectStore("seaweedfs", { runtime: rt, consumers: [{ name: "spark", bucket: "lake", prefix: "" }] });
        const catalog = new Catalog("catalog", { runtime: rt, database: db, location: "s3://lake", clients: ["spark"] });
        const resources = { memoryMb: 2048, cpus: 1 };
        new QueryEngine("spark", {
            runtime: rt,
            engine: "spark",
            resources,
            sparkWorkers: 2,
            catalog: catalog.access("spark"),
            s3: store.consumer("spark", { bucket: "lake" }),
        });
        await settle();
        expect(rt.specs.map((s) => s.name).filter((n) => n.startsWith("spark"))).toEqual([
            "spark-master",
            "spark-worker-1",
            "spark-worker-2",
            "spark",
        ]);
        expect(rt.spec("spark-worker-2").command).toEqual([
            "/opt/spark/bin/spark-class",
            "org.apache.spark.deploy.worker.Worker",
            "spark://spark-master:7077",
            "--cores",
            "1",
            "--memory",
            "1536m",
            "--webui-port",
            "8081",
            "--port",
            "7070",
            "--work-dir",
            "/tmp/spark-worker",
        ]);
        const conf = String((await fileOf(rt.spec("spark"), "/opt/spark/conf/spark-defaults.conf")).value);
        for (const line of [
            "spark.master spark://spark-master:7077",
            "spark.driver.host spark",
            "spark.driver.port 7078",
            "spark.blockManager.port 7079",
            "spark.executor.memory 1228m",
        ]) {
            expect(conf).toContain(`${line}\n`);
        }
        expect(rt.spec("spark").ports.map((p) => p.port)).toEqual([15002, 4040, 7078, 7079]);
        for (const s of rt.specs.filter((x) => x.name.startsWith("spark-"))) expect(s.files).toEqual([]);
    });
});
