import { describe, expect, it } from "vitest";
import { fakeLakekeeper, fakeUnityCatalog, lakekeeperWarehouseState } from "../support/fake-catalogs";
import { checkExchange, contractsDir, loadContract, validate, type Exchange, type OpenApiDocument } from "../support/openapi";
import { runModelCheck as runSdkCheck, sdkPython } from "../support/sdk-models";

/*
 * The contract tier for the catalog servers that cannot run here (Lakekeeper: quay.io image only;
 * Unity Catalog: Docker Hub image only, no server artifact on Maven Central): every request
 * lakeforge's bootstrap sends, and every answer it parses, held to the project's own published
 * OpenAPI document at the pinned release. The documents are not in this repository; see
 * tests/contract/README.md for where they are cached and how.
 */

const LAKEKEEPER = "lakekeeper-v0.13.3-management.yaml";
const UNITY = "unitycatalog-v0.5.0-all.yaml";
const lakekeeperDoc = loadContract(LAKEKEEPER);
const unityDoc = loadContract(UNITY);
/** A Python with PyPI's unitycatalog-client 0.5.0 (the SDK generated from UC's document); .ci/run provides one. */
const ucClientPython = sdkPython("LAKEFORGE_UC_CLIENT_PYTHON", "unitycatalog-client");
for (const [file, doc] of [
    [LAKEKEEPER, lakekeeperDoc],
    [UNITY, unityDoc],
] as const) {
    // Loud, not silent: a machine without the document skips that engine's contract checks.
    if (doc === undefined) console.warn(`CONTRACT TIER NOT RUN for ${file}: not in ${contractsDir()} (tests/contract/README.md)`);
}

function problems(doc: OpenApiDocument, exchanges: readonly Exchange[]): string[] {
    return exchanges.flatMap((x) => checkExchange(doc, x));
}

describe("the contract checker itself", () => {
    const doc: OpenApiDocument = {
        paths: {
            "/things/{id}": {
                post: {
                    requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } },
                    responses: { "201": { content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } } },
                },
            },
        },
        components: {
            schemas: {
                Thing: {
                    type: "object",
                    required: ["name"],
                    properties: {
                        name: { type: "string" },
                        kind: { type: "string", enum: ["a", "b"] },
                        tags: { type: ["array", "null"], items: { type: "string" } },
                    },
                },
            },
        },
    };
    const ok: Exchange = {
        method: "POST",
        path: "/things/7",
        body: { name: "x", kind: "a" },
        status: 201,
        response: { name: "x", extra: 1 },
    };

    it("passes a conforming exchange and refuses each kind of drift", () => {
        expect(checkExchange(doc, ok)).toEqual([]);
        expect(checkExchange(doc, { ...ok, path: "/thing/7" })).toEqual(["POST /thing/7: no such operation in the document"]);
        expect(checkExchange(doc, { ...ok, method: "PUT" })[0]).toMatch(/no such operation/);
        expect(checkExchange(doc, { ...ok, body: { kind: "a" } })[0]).toMatch(/missing required "name"/);
        expect(checkExchange(doc, { ...ok, body: { name: "x", colour: "red" } })[0]).toMatch(/"colour" is not in the schema/);
        expect(checkExchange(doc, { ...ok, body: { name: "x", kind: "c" } })[0]).toMatch(/is not one of/);
        expect(checkExchange(doc, { ...ok, body: { name: "x", tags: [1] } })[0]).toMatch(/tags\[0\]: expected string, found integer/);
        expect(checkExchange(doc, { ...ok, status: 200 })[0]).toMatch(/status 200 is not documented/);
        expect(checkExchange(doc, { ...ok, response: { kind: "a" } })[0]).toMatch(/response 201: missing required "name"/);
        expect(validate(doc, { oneOf: [{ type: "string" }, { type: "null" }] }, 3, "v", true)).toEqual([
            "v: matches 0 of the oneOf branches",
        ]);
    });
});

describe.skipIf(lakekeeperDoc === undefined)(`Lakekeeper's bootstrap against ${LAKEKEEPER}`, () => {
    const doc = lakekeeperDoc as OpenApiDocument;

    it("sends only documented requests with conforming bodies, and parses conforming answers (create, then update)", async () => {
        const { ensureWarehouse } = await import("../../components/catalog");
        const server = await fakeLakekeeper();
        try {
            await ensureWarehouse(lakekeeperWarehouseState(server.address));
            await ensureWarehouse(lakekeeperWarehouseState(server.address, { secretAccessKey: "key-2", keyPrefix: "iceberg" }));
            expect(server.exchanges.map((x) => `${x.method} ${x.path.replace(/[0-9a-f-]{36}/, "{id}")} ${x.status}`)).toEqual([
                "GET /info 200",
                "POST /bootstrap 204",
                "GET /warehouse 200",
                "POST /warehouse 201",
                "GET /info 200",
                "GET /warehouse 200",
                "POST /warehouse/{id}/storage 200",
            ]);
            const underDoc = server.exchanges.map((x) => ({ ...x, path: `/management/v1${x.path}` }));
            expect(problems(doc, underDoc)).toEqual([]);
        } finally {
            await server.close();
        }
    });

    it("would catch a renamed credential field (the quickstart's older `aws-access-key-id`)", async () => {
        const { storageCredential, storageProfile } = await import("../../components/catalog");
        const s = lakekeeperWarehouseState("http://x");
        const { "access-key-id": id, "secret-access-key": secret, ...rest } = storageCredential(s);
        const drifted = { ...rest, "aws-access-key-id": id, "aws-secret-access-key": secret };
        const body = { "warehouse-name": "lake", "storage-profile": storageProfile(s), "storage-credential": drifted };
        expect(checkExchange(doc, { method: "POST", path: "/management/v1/warehouse", body, status: 201 })).toEqual([
            "POST /management/v1/warehouse request.storage-credential: matches 0 of the oneOf branches",
        ]);
        // The same body with lakeforge's own credential passes: the failure is the rename alone.
        const sent = { ...body, "storage-credential": storageCredential(s) };
        expect(checkExchange(doc, { method: "POST", path: "/management/v1/warehouse", body: sent, status: 201 })).toEqual([]);
    });
});

describe.skipIf(unityDoc === undefined)(`Unity Catalog's bootstrap against ${UNITY}`, () => {
    const doc = unityDoc as OpenApiDocument;

    it("sends only documented requests with conforming bodies, and parses conforming answers (create, then re-run)", async () => {
        const exchanges = await unityExchanges();
        expect(exchanges.map((x) => `${x.method} ${x.path} ${x.status}`)).toEqual([
            "GET /catalogs/lake 404",
            "POST /catalogs 200",
            "GET /schemas/lake.default 404",
            "POST /schemas 200",
            "GET /catalogs/lake 200",
            "GET /schemas/lake.default 200",
        ]);
        expect(problems(doc, exchanges)).toEqual([]);
    });

    it("would catch a catalog body with a field UC does not take", async () => {
        const { unityCatalogBody } = await import("../../components/catalog");
        const body = {
            ...unityCatalogBody({ apiUrl: "", name: "lake", schema: "default", location: "s3://lake" }),
            storage_location: "s3://lake",
        };
        expect(checkExchange(doc, { method: "POST", path: "/catalogs", body, status: 200 })[0]).toMatch(
            /"storage_location" is not in the schema/,
        );
    });
});

/** Unity Catalog's bootstrap exchanges (create, then re-run) against the fake. */
async function unityExchanges(): Promise<Exchange[]> {
    const { ensureUnityCatalog } = await import("../../components/catalog");
    const server = await fakeUnityCatalog();
    try {
        const s = { apiUrl: `${server.address}/api/2.1/unity-catalog`, name: "lake", schema: "default", location: "s3://lake" };
        await ensureUnityCatalog(s);
        await ensureUnityCatalog(s);
        return [...server.exchanges];
    } finally {
        await server.close();
    }
}

function runModelCheck(exchanges: readonly Exchange[]): { status: number | null; output: string } {
    return runSdkCheck(ucClientPython, "uc_client_models.py", exchanges);
}

describe.skipIf(ucClientPython === undefined)("Unity Catalog's bootstrap against unitycatalog-client 0.5.0's generated models", () => {
    it("sends bodies its models accept, to operations it has, and parses answers its models accept", async () => {
        const result = runModelCheck(await unityExchanges());
        expect(result.output).toMatch(/^\d+ operations known; 0 problems$/m);
        expect(result.status).toBe(0);
    });

    it("would catch a schema body without its catalog, or a call the SDK does not have", async () => {
        const exchanges = await unityExchanges();
        const drifted = exchanges.map((x) => (x.path === "/schemas" && x.method === "POST" ? { ...x, body: { name: "default" } } : x));
        const result = runModelCheck([...drifted, { method: "PUT", path: "/catalogs", status: 200 }]);
        expect(result.status).toBe(1);
        expect(result.output).toMatch(/POST \/schemas request: CreateSchema: .*catalog_name/);
        expect(result.output).toMatch(/PUT \/catalogs: no such operation in unitycatalog-client/);
    });
});
