import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UnityCatalogState } from "../components/catalog/unity-catalog-admin";
import type { DatabaseConnection } from "../src/types";
import { dockerWithCatalog, kindWithCatalog, policyViolations } from "./support/catalog-stacks";
import { credentialLeaks, deployConfig, K8S } from "./support/deploy";
import { fakeUnityCatalog, type FakeServer } from "./support/fake-catalogs";
import { at, isSecretInput, ofType, one, plain, podOf, resolve } from "./support/mocks";
import { configProblems } from "./support/stack";

/*
 * The unity-catalog engine. Its server is on no package registry and its image cannot be pulled
 * here, so the bootstrap provider runs against tests/support/fake-catalogs.ts (the exchanges are
 * held to Unity Catalog's published document in tests/contract); the rest is the unit tier.
 */

let uc: FakeServer & { catalogs: Set<string>; schemas: Set<string> };
beforeAll(async () => {
    uc = await fakeUnityCatalog();
});
afterAll(() => uc.close());

const state = (): UnityCatalogState => ({
    apiUrl: `${uc.address}/api/2.1/unity-catalog`,
    name: "lake",
    schema: "default",
    location: "s3://lake",
});

describe("Unity Catalog's rendered files", () => {
    it("runs in production mode without authorization or managed tables, and logs to stdout", async () => {
        const { renderUnityServerProperties, renderUnityLogConfig } = await import("../components/catalog");
        expect(renderUnityServerProperties()).toBe("server.env=prod\nserver.authorization=disable\nserver.managed-table.enabled=false\n");
        expect(renderUnityServerProperties()).not.toMatch(/^s3\.|^aws\./m);
        expect(renderUnityLogConfig()).toContain("appender.console.type = Console\n");
        expect(renderUnityLogConfig()).not.toMatch(/RollingFile/);
    });

    it("keeps the database login in hibernate.properties, a secret file, and nothing in env", async () => {
        const { renderUnityHibernateProperties, unityCatalogSpec } = await import("../components/catalog");
        expect(
            renderUnityHibernateProperties({
                jdbcUrl: "jdbc:postgresql://postgres:5432/unity_catalog",
                user: "unity_catalog",
                password: "<redacted>",
            }),
        ).toBe(
            [
                "hibernate.connection.driver_class=org.postgresql.Driver",
                "hibernate.connection.url=jdbc:postgresql://postgres:5432/unity_catalog",
                "hibernate.connection.user=unity_catalog",
                "hibernate.connection.password=<redacted>",
                "hibernate.hbm2ddl.auto=update",
                "",
            ].join("\n"),
        );
        const database = {
            jdbcUrl: pulumi.output("jdbc:postgresql://postgres:5432/unity_catalog"),
            user: pulumi.output("unity_catalog"),
            password: pulumi.secret("pw"),
        } as unknown as DatabaseConnection;
        const spec = unityCatalogSpec({
            name: "unity-catalog",
            image: "unitycatalog/unitycatalog:v0.5.0",
            resources: { memoryMb: 1024, cpus: 1 },
            database,
        });
        expect(spec.files.map((f) => [f.path, f.secret])).toEqual([
            ["/home/unitycatalog/etc/conf/server.properties", false],
            ["/home/unitycatalog/etc/conf/hibernate.properties", true],
            ["/home/unitycatalog/etc/conf/server.log4j2.properties", false],
        ]);
        expect((await resolve(pulumi.output(spec.files[1]?.content))).secret).toBe(true);
        expect(spec.env).toEqual({ JAVA_TOOL_OPTIONS: "-XX:MaxRAMPercentage=75" });
        expect(spec.secretEnv).toEqual({});
        expect(spec.user).toBe("100:101");
        expect(spec.ports).toEqual([{ name: "api", port: 8080, scheme: "http", publishAs: "catalog" }]);
        expect(spec.healthCheck.command).toEqual(["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/api/2.1/unity-catalog/catalogs"]);
    });
});

describe("Unity Catalog bootstrap provider against the REST API", () => {
    it("creates the catalog and its schema once, and a re-run creates nothing", async () => {
        const { unityCatalogProvider } = await import("../components/catalog");
        await unityCatalogProvider.create?.(state());
        expect([...uc.catalogs]).toEqual(["lake"]);
        expect([...uc.schemas]).toEqual(["lake.default"]);
        const posts = () => uc.exchanges.filter((x) => x.method === "POST").map((x) => `${x.path} ${JSON.stringify(x.body)}`);
        expect(posts()).toEqual([
            '/catalogs {"name":"lake","comment":"lakeforge: tables under s3://lake, read and written with each client\'s own key"}',
            '/schemas {"name":"default","catalog_name":"lake"}',
        ]);
        await unityCatalogProvider.update?.("lake", state(), state());
        expect(posts()).toHaveLength(2);
        // Destroy keeps both: they index the lake's tables.
        const before = uc.exchanges.length;
        await unityCatalogProvider.delete?.("lake", state());
        expect(uc.exchanges.length).toBe(before);
        expect(await unityCatalogProvider.diff?.("lake", state(), { ...state(), name: "other" })).toMatchObject({ replaces: ["name"] });
    });
});

describe("the unity-catalog engine in the config", () => {
    it("is refused next to a query engine, naming the key and why", () => {
        const problems = configProblems({
            "lakeforge:target": "docker",
            "lakeforge:components": { catalog: { enabled: true, engine: "unity-catalog" }, queryEngine: { enabled: true } },
        });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(
            /^lakeforge:components\.catalog\.engine: expected "polaris", "lakekeeper" or "jdbc" while queryEngine is enabled .*#43/,
        );
    });

    it("is accepted on its own, and lakekeeper and polaris with query engines", () => {
        const alone = { "lakeforge:target": "docker", "lakeforge:components": { catalog: { enabled: true, engine: "unity-catalog" } } };
        expect(configProblems(alone)).toEqual([]);
        for (const engine of ["lakekeeper", "polaris", "jdbc"]) {
            const config = {
                "lakeforge:target": "docker",
                "lakeforge:components": { catalog: { enabled: true, engine }, queryEngine: { enabled: true } },
            };
            expect(configProblems(config), engine).toEqual([]);
        }
    });

    it("asks for the catalog's admin endpoint in external mode for every catalog server, not for jdbc", () => {
        const endpoint = { host: "admin.example.com", port: 443 };
        const kubernetes = {
            adminAccess: "external",
            adminNamespaces: ["ingress-nginx"],
            adminEndpoints: { database: endpoint, objectStore: endpoint },
        };
        const missing = (engine: string) =>
            configProblems({
                "lakeforge:target": "kubernetes",
                "lakeforge:kubernetes": kubernetes,
                "lakeforge:components": {
                    objectStore: { engine: "seaweedfs" },
                    secrets: { enabled: false },
                    registry: { enabled: false },
                    catalog: { enabled: true, engine },
                },
            });
        for (const engine of ["polaris", "lakekeeper", "unity-catalog"]) {
            expect(missing(engine), engine).toEqual([
                'lakeforge:kubernetes.adminEndpoints.catalog: expected {host, port} reachable from the machine running Pulumi (adminAccess is "external" and components.catalog is enabled), found nothing',
            ]);
        }
        expect(missing("jdbc")).toEqual([]);
    });

    it("refuses a user consumer named after the catalog server's own key", () => {
        const problems = configProblems({
            "lakeforge:target": "docker",
            "lakeforge:components": {
                catalog: { enabled: true, engine: "lakekeeper" },
                objectStore: { consumers: [{ name: "lakekeeper", bucket: "lake" }] },
            },
        });
        expect(problems.join("\n")).toMatch(/objectStore\.consumers\[0\]\.name: .*catalog \(engine "lakekeeper"\)/);
    });
});

describe("the unity-catalog engine in a docker stack", () => {
    it("runs Unity Catalog on its own database and gives clients UC_SERVER_URL and UC_API_URL", async () => {
        const { recorded, outputs } = await deployConfig("dev", dockerWithCatalog("unity-catalog", []));
        const container = one(recorded, "docker:index/container:Container", "unity-catalog");
        expect(credentialLeaks(container.inputs["envs"], "envs", true)).toEqual([]);
        expect(container.inputs["memory"]).toBe(1024);
        const uploads = plain<{ file: string; content: unknown }[]>(container.inputs["uploads"]);
        expect(uploads.map((u) => u.file).sort()).toEqual([
            "/home/unitycatalog/etc/conf/hibernate.properties",
            "/home/unitycatalog/etc/conf/server.log4j2.properties",
            "/home/unitycatalog/etc/conf/server.properties",
        ]);
        // The login is only in hibernate.properties, which is a secret in state.
        expect(isSecretInput(container.inputs["uploads"])).toBe(true);
        expect(
            credentialLeaks(
                uploads.filter((u) => !u.file.endsWith("hibernate.properties")),
                "uploads",
                true,
            ),
        ).toEqual([]);
        expect(credentialLeaks(uploads, "uploads", true).length).toBeGreaterThan(0);
        expect(ofType(recorded, "postgresql:index/database:Database").map((r) => r.inputs["name"])).toContain("unity_catalog");
        expect(plain(one(recorded, "pulumi-nodejs:dynamic/lakeforge:UnityCatalogCatalog", "unity-catalog-catalog").inputs)).toMatchObject({
            apiUrl: "http://127.0.0.1:8181/api/2.1/unity-catalog",
            name: "lake",
            schema: "default",
        });
        const env = await resolve(outputs.clientEnv);
        expect(env.value).toMatchObject({
            UC_SERVER_URL: "http://127.0.0.1:8181",
            UC_API_URL: "http://127.0.0.1:8181/api/2.1/unity-catalog",
            UC_CATALOG: "lake",
            UC_SCHEMA: "default",
        });
        expect(env.value).not.toHaveProperty("ICEBERG_REST_URI");
        expect(outputs.endpoints.catalog).toBeDefined();
        expect(recorded.flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`, false))).toEqual([]);
        expect(await policyViolations("dev", recorded)).toEqual([]);
    });
});

describe("the unity-catalog engine in the kind stack", () => {
    it("mounts hibernate.properties from a Secret and the other two from a ConfigMap, file by file", async () => {
        const { recorded } = await deployConfig("kind", kindWithCatalog("unity-catalog", false));
        const workload = [...ofType(recorded, K8S.deployment), ...ofType(recorded, K8S.statefulSet)].find(
            (w) => w.name === "unity-catalog",
        );
        expect(workload).toBeDefined();
        const mounts = at(podOf(workload!), "containers", 0, "volumeMounts") as { mountPath: string; subPath?: string; name: string }[];
        const conf = mounts.filter((m) => m.mountPath.startsWith("/home/unitycatalog/etc/conf/"));
        expect(conf.every((m) => m.subPath !== undefined)).toBe(true);
        expect(conf.find((m) => m.mountPath.endsWith("hibernate.properties"))?.name).toBe("secret-files");
        expect(at(podOf(workload!), "securityContext", "runAsUser")).toBe(100);
        expect(ofType(recorded, K8S.configMap).flatMap((r) => credentialLeaks(r.inputs, r.name, true))).toEqual([]);
        expect(recorded.flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`, false))).toEqual([]);
        expect(await policyViolations("kind", recorded)).toEqual([]);
    });
});
