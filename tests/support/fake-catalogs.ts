import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { LakekeeperWarehouseState } from "../../components/catalog/lakekeeper-admin";
import type { PolarisCatalogState, PolarisPrincipalState } from "../../components/catalog/polaris-admin";
import type { Exchange } from "./openapi";

/*
 * In-process stand-ins for Lakekeeper's management API and Unity Catalog's REST API, written from
 * their published documents (lakekeeper docs/docs/api/management-open-api.yaml v0.13.3;
 * unitycatalog api/all.yaml v0.5.0). Each records every exchange, so tests/contract can hold the
 * requests lakeforge sends, and the answers these fakes give, to those documents.
 */

type Handler = (method: string, path: string, body: unknown, headers: IncomingMessage["headers"]) => { status: number; body?: unknown };

/** A running fake: its address, the exchanges so far, and a way to stop it. */
export interface FakeServer {
    readonly address: string;
    readonly exchanges: Exchange[];
    close(): Promise<void>;
}

async function serve(basePath: string, handler: Handler): Promise<FakeServer> {
    const exchanges: Exchange[] = [];
    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
        let raw = "";
        req.on("data", (c: Buffer) => (raw += c.toString()));
        req.on("end", () => {
            const body = raw === "" ? undefined : (JSON.parse(raw) as unknown);
            const path = decodeURIComponent((req.url ?? "").split("?")[0] ?? "").slice(basePath.length);
            const answer = handler(req.method ?? "GET", path, body, req.headers);
            exchanges.push({ method: req.method ?? "GET", path, body, status: answer.status, response: answer.body });
            res.writeHead(answer.status, { "content-type": "application/json" });
            res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    return { address: `http://127.0.0.1:${port}`, exchanges, close: () => new Promise((r) => server.close(() => r())) };
}

const lakekeeperError = (status: number, type: string, message: string) => ({ status, body: { error: { code: status, type, message } } });

/** Lakekeeper 0.13.3 as its management API documents it: /info, a one-time /bootstrap, warehouses. */
export function fakeLakekeeper(): Promise<FakeServer & { readonly warehouses: Map<string, Record<string, unknown>> }> {
    let bootstrapped = false;
    const warehouses = new Map<string, Record<string, unknown>>();
    const view = (id: string, w: Record<string, unknown>) => {
        const profile = w["storage-profile"] as Record<string, unknown>;
        return {
            id,
            "warehouse-id": id,
            name: w["warehouse-name"],
            "project-id": "00000000-0000-0000-0000-000000000000",
            "storage-profile": profile,
            "delete-profile": { type: "hard" },
            status: "active",
            protected: false,
            "allowed-format-versions": [1, 2, 3],
        };
    };
    return serve("/management/v1", (method, path, body) => {
        if (method === "GET" && path === "/info") {
            return {
                status: 200,
                body: {
                    version: "0.13.3",
                    "lakekeeper-version": "0.13.3",
                    bootstrapped,
                    "server-id": "b8b5a8d2-6f7c-4a57-9c1e-1b2e3c4d5e6f",
                    "authz-backend": "allowall",
                    "aws-system-identities-enabled": false,
                    "azure-system-identities-enabled": false,
                    "gcp-system-identities-enabled": false,
                    queues: ["tabular_expiration", "tabular_purge"],
                    "license-status": { "license-type": "apache-2.0", valid: true },
                },
            };
        }
        if (method === "POST" && path === "/bootstrap") {
            if (bootstrapped) return lakekeeperError(400, "CatalogAlreadyBootstrapped", "Catalog already bootstrapped");
            if ((body as Record<string, unknown>)["accept-terms-of-use"] !== true) return lakekeeperError(400, "TermsNotAccepted", "terms");
            bootstrapped = true;
            return { status: 204 };
        }
        if (!bootstrapped) return lakekeeperError(503, "CatalogNotBootstrapped", "Catalog is not bootstrapped");
        if (method === "GET" && path === "/warehouse")
            return { status: 200, body: { warehouses: [...warehouses].map(([id, w]) => view(id, w)) } };
        if (method === "POST" && path === "/warehouse") {
            const w = body as Record<string, unknown>;
            if ([...warehouses.values()].some((x) => x["warehouse-name"] === w["warehouse-name"]))
                return lakekeeperError(
                    409,
                    "WarehouseNameAlreadyExists",
                    `A warehouse named ${String(w["warehouse-name"])} already exists`,
                );
            const id = randomUUID();
            warehouses.set(id, w);
            return { status: 201, body: view(id, w) };
        }
        const storage = /^\/warehouse\/([^/]+)\/storage$/.exec(path);
        if (method === "POST" && storage !== null) {
            const w = warehouses.get(storage[1] ?? "");
            if (w === undefined) return lakekeeperError(404, "WarehouseNotFound", "Warehouse not found");
            const next = { ...w, ...(body as Record<string, unknown>) };
            warehouses.set(storage[1] ?? "", next);
            return { status: 200, body: view(storage[1] ?? "", next) };
        }
        return lakekeeperError(404, "NotFound", `${method} ${path}`);
    }).then((s) => Object.assign(s, { warehouses }));
}

const ucError = (status: number, code: string, message: string) => ({ status, body: { error_code: code, message } });

/** Unity Catalog 0.5.0 as its REST API documents it: catalogs and schemas by name. */
export function fakeUnityCatalog(): Promise<FakeServer & { readonly catalogs: Set<string>; readonly schemas: Set<string> }> {
    const catalogs = new Set<string>();
    const schemas = new Set<string>();
    const now = 1_764_547_200_000;
    return serve("/api/2.1/unity-catalog", (method, path, body) => {
        const b = body as Record<string, string>;
        const catalog = /^\/catalogs\/([^/]+)$/.exec(path);
        if (method === "GET" && catalog !== null) {
            const name = catalog[1] ?? "";
            return catalogs.has(name)
                ? { status: 200, body: { name, id: randomUUID(), created_at: now } }
                : ucError(404, "NOT_FOUND", `Catalog not found: ${name}`);
        }
        if (method === "POST" && path === "/catalogs") {
            if (catalogs.has(b["name"] ?? "")) return ucError(409, "ALREADY_EXISTS", `Catalog already exists: ${b["name"]}`);
            catalogs.add(b["name"] ?? "");
            return { status: 200, body: { name: b["name"], comment: b["comment"], id: randomUUID(), created_at: now } };
        }
        const schema = /^\/schemas\/([^/]+)$/.exec(path);
        if (method === "GET" && schema !== null) {
            const full = schema[1] ?? "";
            const [c, s] = full.split(".");
            return schemas.has(full)
                ? { status: 200, body: { name: s, catalog_name: c, full_name: full, schema_id: randomUUID(), created_at: now } }
                : ucError(404, "NOT_FOUND", `Schema not found: ${full}`);
        }
        if (method === "POST" && path === "/schemas") {
            const full = `${b["catalog_name"]}.${b["name"]}`;
            if (!catalogs.has(b["catalog_name"] ?? "")) return ucError(404, "NOT_FOUND", `Catalog not found: ${b["catalog_name"]}`);
            if (schemas.has(full)) return ucError(409, "ALREADY_EXISTS", `Schema already exists: ${full}`);
            schemas.add(full);
            return {
                status: 200,
                body: { name: b["name"], catalog_name: b["catalog_name"], full_name: full, schema_id: randomUUID(), created_at: now },
            };
        }
        return ucError(404, "NOT_FOUND", `${method} ${path}`);
    }).then((s) => Object.assign(s, { catalogs, schemas }));
}

/** The lake warehouse's state as the catalog component hands it to the bootstrap provider for the Lakekeeper at `address`, `over` changed. */
export function lakekeeperWarehouseState(address: string, over: Partial<LakekeeperWarehouseState> = {}): LakekeeperWarehouseState {
    return {
        address,
        projectId: "00000000-0000-0000-0000-000000000000",
        name: "lake",
        bucket: "lake",
        keyPrefix: "",
        endpoint: "http://seaweedfs:8333",
        region: "us-east-1",
        accessKeyId: "lakekeeper",
        secretAccessKey: "key-1",
        ...over,
    };
}

/** The realm and root principal the Polaris fake is started with. */
export const POLARIS_ROOT = { realm: "POLARIS", rootClientId: "lakeforge-root", rootClientSecret: "root-s3cr3t" } as const;

/** tests/support/fake-polaris.mjs in its own process: its address, the exchanges it recorded so far, a way to stop it. */
export async function fakePolaris(
    mode: "accepts-secrets" | "own-secret" = "accepts-secrets",
): Promise<{ readonly address: string; exchanges(): Promise<Exchange[]>; close(): void }> {
    const flags = mode === "own-secret" ? ["--own-secret"] : [];
    const child = spawn(
        process.execPath,
        [path.join(__dirname, "fake-polaris.mjs"), POLARIS_ROOT.rootClientId, POLARIS_ROOT.rootClientSecret, ...flags],
        {
            stdio: ["ignore", "pipe", "inherit"],
        },
    );
    const line = await new Promise<string>((r) => child.stdout.once("data", (d: Buffer) => r(d.toString().trim())));
    const address = `http://127.0.0.1:${line.split(" ")[1]}`;
    return {
        address,
        exchanges: async () => (await (await fetch(`${address}/exchanges`)).json()) as Exchange[],
        close: () => child.kill(),
    };
}

/** The lake catalog's state as the catalog component hands it to the bootstrap provider for the Polaris at `address`. */
export function polarisCatalogState(address: string): PolarisCatalogState {
    return {
        address,
        ...POLARIS_ROOT,
        name: "lake",
        location: "s3://lake",
        endpoint: "http://127.0.0.1:9000",
        endpointInternal: "http://seaweedfs:8333",
        region: "us-east-1",
    };
}

/** Trino's principal on the lake catalog, with client secret `secret`. */
export function polarisPrincipalState(address: string, secret = "client-s3cr3t"): PolarisPrincipalState {
    return { address, ...POLARIS_ROOT, catalog: "lake", name: "trino", clientSecret: secret, privilege: "CATALOG_MANAGE_CONTENT" };
}
