import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialLeaks, deployConfig } from "./support/deploy";
import { fakePolaris, polarisCatalogState, polarisPrincipalState } from "./support/fake-catalogs";
import { plain, resolve } from "./support/mocks";

/*
 * The polaris catalog engine. Polaris's image cannot be pulled or built here, so its bootstrap
 * providers run against tests/support/fake-polaris.mjs, a stand-in written from the published
 * management API; the rest is the unit tier under mocks.
 */

let server: Awaited<ReturnType<typeof fakePolaris>>;
let address: string;

async function calls(): Promise<string[]> {
    return (await server.exchanges()).map((x) => `${x.method} ${x.path}`);
}

async function tokenFor(clientId: string, clientSecret: string): Promise<number> {
    const res = await fetch(`${address}/api/catalog/v1/oauth/tokens`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
            grant_type: "client_credentials",
            scope: "PRINCIPAL_ROLE:ALL",
            client_id: clientId,
            client_secret: clientSecret,
        }),
    });
    return res.status;
}

beforeAll(async () => {
    server = await fakePolaris();
    address = server.address;
});
afterAll(() => {
    server.close();
});

describe("Polaris bootstrap providers against the management API", () => {
    const catalog = () => polarisCatalogState(address);
    const principal = (secret?: string) => polarisPrincipalState(address, secret);

    it("creates the catalog on the lake bucket, clients bringing their own keys, and leaves an existing one alone", async () => {
        const { catalogBody, polarisCatalogProvider } = await import("../components/catalog");
        expect(catalogBody(catalog())).toEqual({
            catalog: {
                name: "lake",
                type: "INTERNAL",
                properties: { "default-base-location": "s3://lake" },
                storageConfigInfo: {
                    storageType: "S3",
                    allowedLocations: ["s3://lake"],
                    endpoint: "http://127.0.0.1:9000",
                    endpointInternal: "http://seaweedfs:8333",
                    pathStyleAccess: true,
                    region: "us-east-1",
                    stsUnavailable: true,
                },
            },
        });
        await polarisCatalogProvider.create?.(catalog());
        const before = (await calls()).filter((c) => c === "POST /api/management/v1/catalogs").length;
        await polarisCatalogProvider.update?.("lake", catalog(), catalog());
        expect((await calls()).filter((c) => c === "POST /api/management/v1/catalogs").length).toBe(before);
        // Destroy keeps the catalog: it indexes the lake's tables.
        await polarisCatalogProvider.delete?.("lake", catalog());
        expect((await calls()).some((c) => c.startsWith("DELETE /api/management/v1/catalogs"))).toBe(false);
    });

    it("gives a client a principal with lakeforge's secret, its roles and the grant; a re-run changes nothing", async () => {
        const { polarisPrincipalProvider } = await import("../components/catalog");
        const created = await polarisPrincipalProvider.create?.(principal());
        const clientId = (created?.outs as { clientId: string }).clientId;
        expect(clientId).toMatch(/^[0-9a-f]{16}$/);
        expect(await tokenFor(clientId, "client-s3cr3t")).toBe(200);
        // The fake fails a repeated grant or assignment, as Polaris before 1.6 does: a re-run must look first.
        const again = await polarisPrincipalProvider.update?.("lake/trino", principal(), principal());
        expect((again?.outs as { clientId: string }).clientId).toBe(clientId);
        const writes = (await calls()).filter((c) => /^PUT .*(grants|principal-roles|catalog-roles)/.test(c));
        expect(writes).toEqual([
            "PUT /api/management/v1/principals/trino/principal-roles",
            "PUT /api/management/v1/catalogs/lake/catalog-roles/trino/grants",
            "PUT /api/management/v1/principal-roles/trino/catalog-roles/lake",
        ]);
    });

    it("rotates to a new generated secret on update, and the old one stops working", async () => {
        const { polarisPrincipalProvider } = await import("../components/catalog");
        const diff = await polarisPrincipalProvider.diff?.("lake/trino", principal(), principal("rotated-s3cr3t"));
        expect(diff).toMatchObject({ changes: true, replaces: [] });
        const updated = await polarisPrincipalProvider.update?.("lake/trino", principal(), principal("rotated-s3cr3t"));
        const clientId = (updated?.outs as { clientId: string }).clientId;
        expect(await tokenFor(clientId, "rotated-s3cr3t")).toBe(200);
        expect(await tokenFor(clientId, "client-s3cr3t")).toBe(401);
    });

    it("stops, naming the principal, when the server keeps a secret of its own on reset", async () => {
        const { polarisPrincipalProvider } = await import("../components/catalog");
        const ownSecret = await fakePolaris("own-secret");
        try {
            const { polarisCatalogProvider } = await import("../components/catalog");
            await polarisCatalogProvider.create?.(polarisCatalogState(ownSecret.address));
            await expect(polarisPrincipalProvider.create?.(polarisPrincipalState(ownSecret.address))).rejects.toThrow(
                /reset of principal trino kept a secret of its own, not lakeforge's/,
            );
        } finally {
            ownSecret.close();
        }
    });

    it("removes the principal and its roles when the client goes", async () => {
        const { polarisPrincipalProvider } = await import("../components/catalog");
        await polarisPrincipalProvider.delete?.("lake/trino", principal("rotated-s3cr3t"));
        const gone = await fetch(`${address}/api/catalog/v1/oauth/tokens`, {
            method: "POST",
            body: "grant_type=client_credentials&scope=PRINCIPAL_ROLE:ALL",
        });
        expect(gone.status).toBe(401);
        const deletes = (await calls()).filter((c) => c.startsWith("DELETE"));
        expect(deletes).toEqual([
            "DELETE /api/management/v1/principals/trino",
            "DELETE /api/management/v1/principal-roles/trino",
            "DELETE /api/management/v1/catalogs/lake/catalog-roles/trino",
        ]);
        // Deleting again (already gone) is fine.
        await polarisPrincipalProvider.delete?.("lake/trino", principal("rotated-s3cr3t"));
    });

    it("stops with a clear error when the root credentials are wrong", async () => {
        const { polarisPrincipalProvider } = await import("../components/catalog");
        await expect(polarisPrincipalProvider.create?.({ ...principal(), rootClientSecret: "wrong" })).rejects.toThrow(
            /Polaris refused the root credentials: HTTP 401 unauthorized_client/,
        );
    });
});

describe("the polaris engine in a stack", () => {
    const config = {
        "lakeforge:target": "docker",
        "lakeforge:components": JSON.stringify({
            catalog: { enabled: true, engine: "polaris" },
            queryEngine: { enabled: true, engines: ["trino", "spark"] },
        }),
    };

    it("runs Polaris with every setting in a secret file, nothing secret in env, on its own database", async () => {
        const { recorded } = await deployConfig("dev", config);
        const polaris = recorded.find((r) => r.type === "docker:index/container:Container" && r.name === "polaris");
        expect(polaris).toBeDefined();
        const envs = (await resolve(pulumi.output(polaris?.inputs["envs"] as string[]))).value as string[];
        expect(envs).toContain("QUARKUS_CONFIG_LOCATIONS=/run/secrets/polaris/application.properties");
        expect(credentialLeaks(envs, "envs", true)).toEqual([]);
        expect(recorded.filter((r) => r.type === "postgresql:index/database:Database").map((r) => r.inputs["name"])).toContain("polaris");
        const { renderPolarisConfig } = await import("../components/catalog");
        const props = renderPolarisConfig({
            jdbcUrl: "jdbc:postgresql://postgres:5432/polaris",
            dbUser: "polaris",
            dbPassword: "pw",
            rootClientSecret: "rs",
            region: "us-east-1",
            accessKeyId: "polaris",
            secretAccessKey: "sk",
        });
        expect(props).toContain("polaris.persistence.type=relational-jdbc\n");
        expect(props).toContain("polaris.persistence.auto-bootstrap-types=relational-jdbc\n");
        expect(props).toContain("polaris.bootstrap.credentials=POLARIS,lakeforge-root,rs\n");
        expect(props).toContain("polaris.authentication.token-broker.symmetric-key.file=/run/secrets/polaris/token-key\n");
        expect(props).not.toMatch(/ignore-severe-issues/);
    });

    it("hands Trino, Spark and clients REST credentials of their own, secret", async () => {
        const { outputs } = await deployConfig("dev", config);
        const env = await resolve(outputs.clientEnv);
        expect(env.secret).toBe(true);
        const value = env.value as Record<string, string>;
        expect(value).toMatchObject({
            ICEBERG_CATALOG_TYPE: "rest",
            ICEBERG_WAREHOUSE: "lake",
            ICEBERG_LOCATION: "s3://lake",
            ICEBERG_REST_SCOPE: "PRINCIPAL_ROLE:ALL",
        });
        expect(value["ICEBERG_REST_URI"]).toBe("http://127.0.0.1:8181/api/catalog");
        expect(value["ICEBERG_REST_OAUTH2_SERVER_URI"]).toBe("http://127.0.0.1:8181/api/catalog/v1/oauth/tokens");
        expect(outputs.endpoints.catalog).toBeDefined();
        // Trino reaches Polaris by its in-network name.
        const { recorded } = await deployConfig("dev", config);
        const trino = recorded.find((r) => r.type === "docker:index/container:Container" && r.name === "trino");
        const uploads = plain<{ file: string; content: unknown }[]>(trino?.inputs["uploads"]);
        const catalogFile = plain<string>(uploads.find((u) => u.file === "/etc/trino/catalog/lake.properties")?.content);
        expect(catalogFile).toContain("iceberg.rest-catalog.uri=http://polaris:8181/api/catalog\n");
    });

    it("renders Trino's and Spark's REST catalog with OAuth2 and their own static S3 key", async () => {
        const { renderIcebergCatalog, renderSparkDefaults } = await import("../components/queryEngine");
        const rest = {
            kind: "rest" as const,
            name: "lake",
            location: "s3://lake",
            uri: "http://polaris:8181/api/catalog",
            credential: "id:secret",
            scope: "PRINCIPAL_ROLE:ALL",
        };
        const s3 = {
            lake: "s3a://lake",
            endpoint: "http://seaweedfs:8333",
            region: "us-east-1",
            accessKeyId: "trino",
            secretAccessKey: "sk",
        };
        const trino = renderIcebergCatalog(rest, s3);
        for (const line of [
            "iceberg.catalog.type=rest",
            "iceberg.rest-catalog.uri=http://polaris:8181/api/catalog",
            "iceberg.rest-catalog.warehouse=lake",
            "iceberg.rest-catalog.security=OAUTH2",
            "iceberg.rest-catalog.oauth2.credential=id:secret",
            "iceberg.rest-catalog.oauth2.server-uri=http://polaris:8181/api/catalog/v1/oauth/tokens",
            "iceberg.rest-catalog.vended-credentials-enabled=false",
            "s3.aws-access-key=trino",
        ]) {
            expect(trino).toContain(`${line}\n`);
        }
        const spark = renderSparkDefaults(rest, { ...s3, accessKeyId: "spark" }, 1024);
        for (const line of [
            "spark.sql.catalog.lake.type rest",
            "spark.sql.catalog.lake.warehouse lake",
            "spark.sql.catalog.lake.credential id:secret",
        ]) {
            expect(spark).toContain(`${line}\n`);
        }
        expect(spark).not.toMatch(/X-Iceberg-Access-Delegation/);
    });
});
