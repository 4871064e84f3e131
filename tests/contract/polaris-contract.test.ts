import { describe, expect, it } from "vitest";
import { fakePolaris, polarisCatalogState, polarisPrincipalState } from "../support/fake-catalogs";
import type { Exchange } from "../support/openapi";
import { runModelCheck, sdkPython } from "../support/sdk-models";

/*
 * The contract tier for Apache Polaris, which cannot run here (Docker Hub image only; its server is
 * not on Maven Central): every request lakeforge's bootstrap sends to tests/support/fake-polaris.mjs,
 * and every answer it parses, held to the models of PyPI's apache-polaris 1.7.0, the clients
 * generated from Polaris's own OpenAPI documents (management service, catalog API and its OAuth2
 * token endpoint). tests/contract/polaris_client_models.py does the checking; see the README here.
 */

/** A Python with PyPI's apache-polaris 1.7.0; .ci/run provides one. */
const polarisPython = sdkPython("LAKEFORGE_POLARIS_CLIENT_PYTHON", "apache-polaris");
const SCRIPT = "polaris_client_models.py";
const TOKEN = "POST /api/catalog/v1/oauth/tokens 200";

/** The bootstrap's exchanges: catalog and principal created, an unchanged diff and re-run, a rotated secret, the principal deleted twice. */
async function polarisExchanges(): Promise<Exchange[]> {
    const { polarisCatalogProvider, polarisPrincipalProvider } = await import("../../components/catalog");
    const server = await fakePolaris();
    try {
        const catalog = polarisCatalogState(server.address);
        const principal = polarisPrincipalState(server.address);
        await polarisCatalogProvider.create?.(catalog);
        expect(await polarisCatalogProvider.diff?.("lake", catalog, catalog)).toMatchObject({ changes: false });
        await polarisCatalogProvider.update?.("lake", catalog, catalog);
        await polarisPrincipalProvider.create?.(principal);
        expect(await polarisPrincipalProvider.diff?.("lake/trino", principal, principal)).toMatchObject({ changes: false });
        await polarisPrincipalProvider.update?.("lake/trino", principal, principal);
        const rotated = polarisPrincipalState(server.address, "rotated-s3cr3t");
        await polarisPrincipalProvider.update?.("lake/trino", principal, rotated);
        await polarisPrincipalProvider.delete?.("lake/trino", rotated);
        await polarisPrincipalProvider.delete?.("lake/trino", rotated);
        await polarisCatalogProvider.delete?.("lake", catalog);
        return await server.exchanges();
    } finally {
        server.close();
    }
}

describe.skipIf(polarisPython === undefined)("Polaris's bootstrap against apache-polaris 1.7.0's generated models", () => {
    it("sends bodies its models accept, to operations it has, and parses answers its models accept", async () => {
        const exchanges = await polarisExchanges();
        const lines = exchanges.map((x) => `${x.method} ${x.path.replace("/api/management/v1", "")} ${x.status}`);
        // Each management call first takes a root token.
        expect(lines.filter((l) => l === TOKEN)).toHaveLength(lines.length / 2);
        expect(lines.filter((l) => l !== TOKEN)).toEqual([
            "GET /catalogs/lake 404",
            "POST /catalogs 201",
            "GET /catalogs/lake 200",
            "GET /principals/trino 404",
            "POST /principals 201",
            "POST /principals/trino/reset 200",
            "GET /principal-roles/trino 404",
            "POST /principal-roles 201",
            "GET /principals/trino/principal-roles 200",
            "PUT /principals/trino/principal-roles 201",
            "GET /catalogs/lake/catalog-roles/trino 404",
            "POST /catalogs/lake/catalog-roles 201",
            "GET /catalogs/lake/catalog-roles/trino/grants 200",
            "PUT /catalogs/lake/catalog-roles/trino/grants 201",
            "GET /principal-roles/trino/catalog-roles/lake 200",
            "PUT /principal-roles/trino/catalog-roles/lake 201",
            ...["client-s3cr3t", "rotated-s3cr3t"].flatMap(() => [
                "GET /principals/trino 200",
                "POST /principals/trino/reset 200",
                "GET /principal-roles/trino 200",
                "GET /principals/trino/principal-roles 200",
                "GET /catalogs/lake/catalog-roles/trino 200",
                "GET /catalogs/lake/catalog-roles/trino/grants 200",
                "GET /principal-roles/trino/catalog-roles/lake 200",
            ]),
            ...[204, 404].flatMap((s) => [
                `DELETE /principals/trino ${s}`,
                `DELETE /principal-roles/trino ${s}`,
                `DELETE /catalogs/lake/catalog-roles/trino ${s}`,
            ]),
        ]);
        const result = runModelCheck(polarisPython, SCRIPT, exchanges);
        expect(result.output).toMatch(/^\d+ operations known; 0 problems$/m);
        expect(result.status).toBe(0);
    });
});

describe.skipIf(polarisPython === undefined)("the Polaris model check itself", () => {
    it("would catch a misspelled field at any depth, a call the SDK does not have, a wrong form field, a malformed answer, an undocumented status", async () => {
        const exchanges = await polarisExchanges();
        const drifted = exchanges.map((x): Exchange => {
            const catalog = (x.body as { catalog?: { storageConfigInfo: Record<string, unknown> } } | undefined)?.catalog;
            if (x.method === "POST" && catalog !== undefined) {
                const { pathStyleAccess, ...storage } = catalog.storageConfigInfo;
                return { ...x, body: { catalog: { ...catalog, storageConfigInfo: { ...storage, pathStyleAcess: pathStyleAccess } } } };
            }
            if (x.path.endsWith("/oauth/tokens")) return { ...x, body: { ...(x.body as object), "grant-type": "client_credentials" } };
            if (x.path.endsWith("/reset")) return { ...x, response: { credentials: (x.response as { credentials: unknown }).credentials } };
            if (x.method === "POST" && x.path.endsWith("/principals")) return { ...x, status: 409 };
            return x;
        });
        const result = runModelCheck(polarisPython, SCRIPT, [
            ...drifted,
            { method: "POST", path: "/api/management/v1/principals/trino/rotate-secret", status: 200 },
        ]);
        expect(result.status).toBe(1);
        expect(result.output).toMatch(
            /POST \/api\/management\/v1\/catalogs request \(CreateCatalogRequest\)\.catalog\.storageConfigInfo: "pathStyleAcess" is not a field/,
        );
        expect(result.output).toMatch(
            /POST \/api\/catalog\/v1\/oauth\/tokens request: form field "grant-type" is not a parameter of get_token/,
        );
        expect(result.output).toMatch(
            /POST \/api\/management\/v1\/principals\/trino\/reset response 200: PrincipalWithCredentials: .*principal/,
        );
        expect(result.output).toMatch(/POST \/api\/management\/v1\/principals: status 409 is not documented \(201, 403\)/);
        expect(result.output).toMatch(/POST \/api\/management\/v1\/principals\/trino\/rotate-secret: no such operation in apache-polaris/);
    });
});
