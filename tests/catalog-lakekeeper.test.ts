import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LakekeeperWarehouseState } from "../components/catalog/lakekeeper-admin";
import type { DatabaseConnection } from "../src/types";
import { dockerWithCatalog, kindWithCatalog, policyViolations } from "./support/catalog-stacks";
import { credentialLeaks, deployConfig, K8S } from "./support/deploy";
import { fakeLakekeeper, lakekeeperWarehouseState, type FakeServer } from "./support/fake-catalogs";
import { at, isSecretInput, ofType, one, plain, podOf, resolve } from "./support/mocks";

/*
 * The lakekeeper catalog engine. Its image cannot be pulled here and it is on no package registry,
 * so the bootstrap provider runs against tests/support/fake-catalogs.ts (the exchanges are held to
 * Lakekeeper's published document in tests/contract); the rest is the unit tier under mocks.
 */

let lakekeeper: FakeServer & { warehouses: Map<string, Record<string, unknown>> };
beforeAll(async () => {
    lakekeeper = await fakeLakekeeper();
});
afterAll(() => lakekeeper.close());

const state = (over: Partial<LakekeeperWarehouseState> = {}) => lakekeeperWarehouseState(lakekeeper.address, over);

describe("Lakekeeper's spec", () => {
    const database = {
        url: pulumi.secret("postgresql://lakekeeper:pw@postgres:5432/lakekeeper"),
    } as unknown as DatabaseConnection;

    it("migrates then serves in one process, with the database URL and encryption key as secret env only", async () => {
        const { lakekeeperSpec, IMAGES } = { ...(await import("../components/catalog")), ...(await import("../src/images")) };
        const spec = lakekeeperSpec({
            name: "lakekeeper",
            image: IMAGES.lakekeeper,
            resources: { memoryMb: 512, cpus: 1 },
            database,
            encryptionKey: pulumi.secret("ek"),
            region: "us-east-1",
        });
        expect(spec.image).toBe("quay.io/lakekeeper/catalog:v0.13.3");
        expect(spec.entrypoint).toBeUndefined();
        expect(spec.command).toEqual(["serve"]);
        expect(spec.env).toMatchObject({
            LAKEKEEPER__DEBUG__MIGRATE_BEFORE_SERVE: "true",
            LAKEKEEPER__LISTEN_PORT: "8181",
            LAKEKEEPER__AUTHZ_BACKEND: "allowall",
        });
        expect(Object.keys(spec.secretEnv).sort()).toEqual(["LAKEKEEPER__PG_DATABASE_URL_WRITE", "LAKEKEEPER__PG_ENCRYPTION_KEY"]);
        for (const v of Object.values(spec.secretEnv)) expect((await resolve(pulumi.output(v))).secret).toBe(true);
        expect(JSON.stringify(spec.env)).not.toMatch(/pw|postgresql:/);
        expect(spec.healthCheck.command).toEqual(["/home/nonroot/lakekeeper", "healthcheck"]);
        expect(spec.user).toBe("65532:65532");
        expect(spec.readOnlyRootFilesystem).toBe(true);
        expect(spec.ports).toEqual([{ name: "api", port: 8181, scheme: "http", publishAs: "catalog" }]);
        expect(spec.files).toEqual([]);
    });
});

describe("Lakekeeper bootstrap provider against the management API", () => {
    it("bootstraps once and creates the warehouse on the lake bucket: S3-compatible, path-style, no STS, no remote signing", async () => {
        const { lakekeeperWarehouseProvider } = await import("../components/catalog");
        const created = await lakekeeperWarehouseProvider.create?.(state());
        const id = (created?.outs as { warehouseId: string }).warehouseId;
        expect(created?.id).toBe(id);
        const stored = lakekeeper.warehouses.get(id);
        expect(stored).toEqual({
            "warehouse-name": "lake",
            "storage-profile": {
                type: "s3",
                bucket: "lake",
                endpoint: "http://seaweedfs:8333",
                region: "us-east-1",
                "path-style-access": true,
                flavor: "s3-compat",
                "sts-enabled": false,
                "remote-signing-enabled": false,
                "legacy-md5-behavior": true,
            },
            "storage-credential": {
                type: "s3",
                "credential-type": "access-key",
                "access-key-id": "lakekeeper",
                "secret-access-key": "key-1",
            },
        });
        expect(lakekeeper.exchanges.filter((x) => x.path === "/bootstrap").map((x) => x.status)).toEqual([204]);
    });

    it("on update rotates the stored key in place, without a second bootstrap or a second warehouse", async () => {
        const { lakekeeperWarehouseProvider } = await import("../components/catalog");
        const diff = await lakekeeperWarehouseProvider.diff?.("w", state(), state({ secretAccessKey: "key-2" }));
        expect(diff).toMatchObject({ changes: true, replaces: [] });
        await lakekeeperWarehouseProvider.update?.("w", state(), state({ secretAccessKey: "key-2" }));
        expect(lakekeeper.warehouses.size).toBe(1);
        const [w] = [...lakekeeper.warehouses.values()];
        expect(at(w, "storage-credential", "secret-access-key")).toBe("key-2");
        expect(lakekeeper.exchanges.filter((x) => x.path === "/bootstrap")).toHaveLength(1);
    });

    it("replaces the warehouse for another bucket or prefix, keeps it on destroy, and names Lakekeeper's error", async () => {
        const { lakekeeperWarehouseProvider, ensureWarehouse } = await import("../components/catalog");
        expect(await lakekeeperWarehouseProvider.diff?.("w", state(), state({ keyPrefix: "iceberg" }))).toMatchObject({
            replaces: ["keyPrefix"],
        });
        const before = lakekeeper.exchanges.length;
        await lakekeeperWarehouseProvider.delete?.("w", state());
        expect(lakekeeper.exchanges.length).toBe(before);
        await expect(ensureWarehouse(state({ projectId: "x", address: `${lakekeeper.address}/nowhere` }))).rejects.toThrow(/Lakekeeper/);
    });
});

describe("the lakekeeper engine in a docker stack", () => {
    it("runs Lakekeeper on its own database and key, and points Trino and Spark at its REST endpoint without a credential", async () => {
        const { recorded, outputs } = await deployConfig("dev", dockerWithCatalog("lakekeeper", ["trino", "spark"]));
        const container = one(recorded, "docker:index/container:Container", "lakekeeper");
        // CATALOG_DEFAULTS.lakekeeperResources: one Rust process needs less than the JVM catalogs' 1024 MiB.
        expect(container.inputs["memory"]).toBe(512);
        expect(ofType(recorded, "postgresql:index/database:Database").map((r) => r.inputs["name"])).toContain("lakekeeper");
        // Its own key to the lake bucket, as a consumer of the object store.
        expect(ofType(recorded, "random:index/randomPassword:RandomPassword").some((r) => r.name.endsWith("-lakekeeper-secret-key"))).toBe(
            true,
        );
        const warehouse = one(recorded, "pulumi-nodejs:dynamic/lakeforge:LakekeeperWarehouse", "lakekeeper-warehouse");
        for (const k of ["accessKeyId", "secretAccessKey"]) expect(isSecretInput(warehouse.inputs[k]), k).toBe(true);
        expect(plain(warehouse.inputs["endpoint"])).toMatch(/^http:\/\/[a-z-]+:\d+$/);
        const env = await resolve(outputs.clientEnv);
        expect(env.secret).toBe(true);
        expect(env.value).toMatchObject({
            ICEBERG_CATALOG_TYPE: "rest",
            ICEBERG_WAREHOUSE: "lake",
            ICEBERG_REST_URI: "http://127.0.0.1:8181/catalog",
        });
        expect(env.value).not.toHaveProperty("ICEBERG_REST_CREDENTIAL");
        expect(outputs.endpoints.catalog).toBeDefined();
        const trino = one(recorded, "docker:index/container:Container", "trino");
        const uploads = plain<{ file: string; content: unknown }[]>(trino.inputs["uploads"]);
        const lake = plain<string>(uploads.find((u) => u.file === "/etc/trino/catalog/lake.properties")?.content);
        for (const line of [
            "iceberg.rest-catalog.uri=http://lakekeeper:8181/catalog",
            "iceberg.rest-catalog.warehouse=lake",
            "iceberg.rest-catalog.security=NONE",
            "iceberg.rest-catalog.vended-credentials-enabled=false",
        ]) {
            expect(lake).toContain(`${line}\n`);
        }
        expect(lake).not.toMatch(/oauth2/);
        const spark = one(recorded, "docker:index/container:Container", "spark");
        const sparkFiles = plain<{ file: string; content: unknown }[]>(spark.inputs["uploads"]);
        const defaults = plain<string>(sparkFiles.find((u) => u.file.endsWith("spark-defaults.conf"))?.content);
        expect(defaults).toContain("spark.sql.catalog.lake.uri http://lakekeeper:8181/catalog\n");
        expect(defaults).toContain("spark.sql.catalog.lake.warehouse lake\n");
        expect(defaults).not.toMatch(/spark\.sql\.catalog\.lake\.(credential|scope|oauth2-server-uri)/);
        expect(recorded.flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`, false))).toEqual([]);
        expect(await policyViolations("dev", recorded)).toEqual([]);
    });
});

describe("the lakekeeper engine in the kind stack", () => {
    it("reads both credentials from a Secret, keeps them out of ConfigMaps, and runs as the nonroot user", async () => {
        const { recorded } = await deployConfig("kind", kindWithCatalog("lakekeeper", true));
        const workload = [...ofType(recorded, K8S.deployment), ...ofType(recorded, K8S.statefulSet)].find((w) => w.name === "lakekeeper");
        expect(workload).toBeDefined();
        const container = at(podOf(workload!), "containers", 0) as Record<string, unknown>;
        // `serve` is an argument to the image's entrypoint, the binary: never a command replacing it.
        expect(container["args"]).toEqual(["serve"]);
        expect(container["command"]).toBeUndefined();
        const env = container["env"] as { name: string; value?: unknown; valueFrom?: unknown }[];
        for (const name of ["LAKEKEEPER__PG_DATABASE_URL_WRITE", "LAKEKEEPER__PG_ENCRYPTION_KEY"]) {
            expect(env.find((e) => e.name === name)?.valueFrom).toEqual({ secretKeyRef: { name: "lakekeeper-env", key: name } });
        }
        expect(at(podOf(workload!), "securityContext", "runAsUser")).toBe(65532);
        expect(ofType(recorded, K8S.configMap).flatMap((r) => credentialLeaks(r.inputs, r.name, true))).toEqual([]);
        expect(recorded.flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`, false))).toEqual([]);
        expect(await policyViolations("kind", recorded)).toEqual([]);
    });
});
