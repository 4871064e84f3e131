// A stand-in for Apache Polaris's OAuth2 token endpoint and management API v1, written from the
// published contract (spec/polaris-management-service.yml at 1.7.0; status codes from the
// server's exception mapper): 201 on create, 409 when the name exists, 404 when missing, 204 on
// delete, 201 with no body on assign/grant. Like Polaris before 1.6, a repeated grant or
// assignment fails (500), so callers must look before they grant. Every exchange is recorded as
// {method, path, body, status, response} (a body that is not JSON, the token form, as an object)
// and served at GET /exchanges, for tests/contract.
// Usage: node fake-polaris.mjs <rootClientId> <rootClientSecret> [--own-secret]; prints "listening
// <port>". With --own-secret, reset ignores the caller's secret and generates one, as a server not
// configured to accept caller-supplied secrets does.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";

const [rootId, rootSecret, mode] = process.argv.slice(2);
const principals = new Map([["root", { name: "root", clientId: rootId, secret: rootSecret, roles: new Set(["service_admin"]) }]]);
const principalRoles = new Map([["service_admin", { name: "service_admin", catalogRoles: new Map() }]]);
const catalogs = new Map();
const tokens = new Map();
const exchanges = [];

const hex = (n) => randomBytes(n).toString("hex");
const send = (res, status, body) => {
    if (res.exchange !== undefined) exchanges.push({ ...res.exchange, status, response: body });
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body === undefined ? "" : JSON.stringify(body));
};
const error = (res, status, type, message) => send(res, status, { error: { message, type, code: status } });
const unwrap = (body, key) => (body && typeof body[key] === "object" ? body[key] : body);

function token(req, body, res) {
    const form = new URLSearchParams(body);
    let id = form.get("client_id");
    let secret = form.get("client_secret");
    const auth = req.headers.authorization ?? "";
    if (secret === null && auth.startsWith("Basic ")) [id, secret] = Buffer.from(auth.slice(6), "base64").toString().split(":");
    if (form.get("grant_type") !== "client_credentials") return send(res, 400, { error: "unsupported_grant_type" });
    if (!(form.get("scope") ?? "").startsWith("PRINCIPAL_ROLE:")) return send(res, 400, { error: "invalid_scope" });
    const p = [...principals.values()].find((x) => x.clientId === id);
    if (p === undefined || p.secret !== secret) return send(res, 401, { error: "unauthorized_client" });
    const t = hex(16);
    tokens.set(t, p.name);
    send(res, 200, {
        access_token: t,
        token_type: "bearer",
        issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
        expires_in: 3600,
    });
}

function management(method, parts, body, res) {
    const [kind, name, sub, subName, extra] = parts;
    if (kind === "catalogs" && name === undefined && method === "POST") {
        const c = unwrap(body, "catalog");
        if (catalogs.has(c.name)) return error(res, 409, "AlreadyExistsException", `Catalog ${c.name} already exists`);
        if (c.properties?.["default-base-location"] === undefined)
            return error(res, 400, "BadRequestException", "default-base-location is required");
        catalogs.set(c.name, { ...c, roles: new Map([["catalog_admin", { name: "catalog_admin", grants: [] }]]) });
        return send(res, 201, { ...c, entityVersion: 1 });
    }
    if (kind === "catalogs" && name !== undefined) {
        const c = catalogs.get(name);
        if (c === undefined) return error(res, 404, "NotFoundException", `Catalog ${name} not found`);
        if (sub === undefined && method === "GET") return send(res, 200, { ...c, roles: undefined });
        if (sub === "catalog-roles" && subName === undefined && method === "POST") {
            const r = unwrap(body, "catalogRole");
            if (c.roles.has(r.name)) return error(res, 409, "AlreadyExistsException", `CatalogRole ${r.name} already exists`);
            c.roles.set(r.name, { name: r.name, grants: [] });
            return send(res, 201, { name: r.name, properties: {} });
        }
        if (sub === "catalog-roles" && subName !== undefined) {
            const r = c.roles.get(subName);
            if (r === undefined) return error(res, 404, "NotFoundException", `CatalogRole ${subName} not found`);
            if (extra === undefined && method === "GET") return send(res, 200, { name: r.name, properties: {} });
            if (extra === undefined && method === "DELETE") return (c.roles.delete(subName), send(res, 204));
            if (extra === "grants" && method === "GET") return send(res, 200, { grants: r.grants });
            if (extra === "grants" && method === "PUT") {
                const g = unwrap(body, "grant");
                if (r.grants.some((x) => x.type === g.type && x.privilege === g.privilege))
                    return error(res, 500, "RuntimeException", "duplicate grant");
                r.grants.push({ type: g.type, privilege: g.privilege });
                return send(res, 201);
            }
        }
    }
    if (kind === "principals" && name === undefined && method === "POST") {
        const p = unwrap(body, "principal");
        if (principals.has(p.name)) return error(res, 409, "AlreadyExistsException", `Principal ${p.name} already exists`);
        const created = { name: p.name, clientId: hex(8), secret: hex(16), roles: new Set() };
        principals.set(p.name, created);
        return send(res, 201, {
            principal: { name: p.name, clientId: created.clientId, properties: {} },
            credentials: { clientId: created.clientId, clientSecret: created.secret },
        });
    }
    if (kind === "principals" && name !== undefined) {
        const p = principals.get(name);
        if (p === undefined) return error(res, 404, "NotFoundException", `Principal ${name} not found`);
        if (sub === undefined && method === "GET") return send(res, 200, { name: p.name, clientId: p.clientId, properties: {} });
        if (sub === undefined && method === "DELETE") return (principals.delete(name), send(res, 204));
        if (sub === "reset" && method === "POST") {
            if (body?.clientId !== undefined && [...principals.values()].some((x) => x !== p && x.clientId === body.clientId))
                return error(res, 409, "AlreadyExistsException", "clientId in use");
            p.clientId = body?.clientId ?? p.clientId;
            p.secret = mode === "--own-secret" ? hex(16) : (body?.clientSecret ?? hex(16));
            return send(res, 200, {
                principal: { name: p.name, clientId: p.clientId },
                credentials: { clientId: p.clientId, clientSecret: p.secret },
            });
        }
        if (sub === "principal-roles" && method === "GET") return send(res, 200, { roles: [...p.roles].map((n) => ({ name: n })) });
        if (sub === "principal-roles" && method === "PUT") {
            const r = unwrap(body, "principalRole");
            if (!principalRoles.has(r.name)) return error(res, 404, "NotFoundException", `PrincipalRole ${r.name} not found`);
            if (p.roles.has(r.name)) return error(res, 500, "RuntimeException", "duplicate assignment");
            p.roles.add(r.name);
            return send(res, 201);
        }
    }
    if (kind === "principal-roles" && name === undefined && method === "POST") {
        const r = unwrap(body, "principalRole");
        if (principalRoles.has(r.name)) return error(res, 409, "AlreadyExistsException", `PrincipalRole ${r.name} already exists`);
        principalRoles.set(r.name, { name: r.name, catalogRoles: new Map() });
        return send(res, 201, { name: r.name, federated: false, properties: {} });
    }
    if (kind === "principal-roles" && name !== undefined) {
        const r = principalRoles.get(name);
        if (r === undefined) return error(res, 404, "NotFoundException", `PrincipalRole ${name} not found`);
        if (sub === undefined && method === "GET") return send(res, 200, { name: r.name, federated: false, properties: {} });
        if (sub === undefined && method === "DELETE") return (principalRoles.delete(name), send(res, 204));
        if (sub === "catalog-roles" && subName !== undefined) {
            const held = r.catalogRoles.get(subName) ?? new Set();
            if (method === "GET") return send(res, 200, { roles: [...held].map((n) => ({ name: n })) });
            if (method === "PUT") {
                const cr = unwrap(body, "catalogRole");
                if (!catalogs.get(subName)?.roles.has(cr.name))
                    return error(res, 404, "NotFoundException", `CatalogRole ${cr.name} not found`);
                if (held.has(cr.name)) return error(res, 500, "RuntimeException", "duplicate assignment");
                held.add(cr.name);
                r.catalogRoles.set(subName, held);
                return send(res, 201);
            }
        }
    }
    error(res, 404, "NotFoundException", `no route ${method} ${parts.join("/")}`);
}

const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
        const url = new URL(req.url, "http://x");
        if (url.pathname === "/exchanges") return send(res, 200, exchanges);
        const json = (req.headers["content-type"] ?? "").startsWith("application/json");
        const body = raw === "" ? undefined : json ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
        res.exchange = { method: req.method, path: url.pathname, body };
        if (url.pathname === "/api/catalog/v1/oauth/tokens" && req.method === "POST") return token(req, raw, res);
        if (!url.pathname.startsWith("/api/management/v1/")) return send(res, 404, {});
        const who = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
        if (who === undefined) return error(res, 401, "NotAuthorizedException", "not authenticated");
        if (who !== "root") return error(res, 403, "ForbiddenException", `${who} may not manage`);
        const parts = url.pathname.slice("/api/management/v1/".length).split("/").map(decodeURIComponent);
        management(req.method, parts, body, res);
    });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
