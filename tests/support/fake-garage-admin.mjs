// A stand-in for Garage's admin API v2, written from its published description (doc/api/garage-admin-v2.json
// and src/api/admin/*.rs of Garage v2.3.0): /v2/<Operation>, `Authorization: Bearer <token>`, the required
// request fields, 409 for an existing bucket alias or a key ID imported (or deleted) before, 404 for unknown
// ids, 400 for a malformed request, and the layout version rule. Garage cannot be built or pulled here.
// `GET /__state` shows what it holds and the requests seen. Run: node fake-garage-admin.mjs <token> [port].
import * as http from "node:http";
import { randomBytes } from "node:crypto";

const token = process.argv[2];
const nodeId = randomBytes(32).toString("hex");
const state = { layout: { version: 0, roles: [] }, staged: [], buckets: {}, keys: {}, deletedKeys: [], requests: [] };

/** Required fields of each operation's JSON body, as the published description lists them. */
const REQUIRED = {
    UpdateClusterLayout: ["roles"],
    ApplyClusterLayout: ["version"],
    CreateBucket: [],
    ImportKey: ["accessKeyId", "secretAccessKey"],
    AllowBucketKey: ["bucketId", "accessKeyId", "permissions"],
};
const METHOD = {
    GetNodeInfo: "GET",
    GetClusterLayout: "GET",
    UpdateClusterLayout: "POST",
    ApplyClusterLayout: "POST",
    CreateBucket: "POST",
    GetBucketInfo: "GET",
    ImportKey: "POST",
    GetKeyInfo: "GET",
    DeleteKey: "POST",
    AllowBucketKey: "POST",
};

function handle(method, url, raw) {
    const u = new URL(url, "http://x");
    const op = u.pathname.replace(/^\/v2\//, "");
    state.requests.push(`${method} ${u.pathname}${u.search}`);
    if (METHOD[op] === undefined) return [400, { code: "InvalidRequest", message: `Unknown API endpoint: ${u.pathname}` }];
    if (METHOD[op] !== method) return [400, { code: "InvalidRequest", message: `${op} takes ${METHOD[op]}` }];
    let body = {};
    if (method === "POST" && raw !== "") body = JSON.parse(raw);
    for (const field of REQUIRED[op] ?? [])
        if (body[field] === undefined) return [400, { code: "InvalidRequest", message: `missing field ${field}` }];
    const q = Object.fromEntries(u.searchParams);
    switch (op) {
        case "GetNodeInfo":
            return q.node === "self" ? [200, { success: { [nodeId]: { nodeId, garageVersion: "v2.3.0" } }, error: {} }] : [400, {}];
        case "GetClusterLayout":
            return [200, { ...state.layout, stagedRoleChanges: state.staged }];
        case "UpdateClusterLayout":
            for (const r of body.roles) {
                if (
                    typeof r.id !== "string" ||
                    typeof r.zone !== "string" ||
                    !Array.isArray(r.tags) ||
                    !(r.capacity === null || r.capacity >= 1024)
                ) {
                    return [400, { code: "InvalidRequest", message: "role needs id, zone, tags and a capacity >= 1024" }];
                }
            }
            state.staged.push(...body.roles);
            return [200, { ...state.layout, stagedRoleChanges: state.staged }];
        case "ApplyClusterLayout":
            if (body.version !== state.layout.version + 1) return [500, { code: "InternalError", message: "Invalid new layout version" }];
            state.layout = { version: body.version, roles: [...state.layout.roles, ...state.staged] };
            state.staged = [];
            return [200, { message: [], layout: state.layout }];
        case "CreateBucket": {
            if (Object.values(state.buckets).some((b) => b.globalAliases.includes(body.globalAlias)))
                return [409, { code: "BucketAlreadyExists", message: "exists" }];
            const id = randomBytes(32).toString("hex");
            state.buckets[id] = { id, globalAliases: [body.globalAlias], keys: [] };
            return [200, state.buckets[id]];
        }
        case "GetBucketInfo": {
            const b = Object.values(state.buckets).find((x) => x.globalAliases.includes(q.globalAlias) || x.id === q.id);
            return b ? [200, b] : [404, { code: "NoSuchBucket", message: "no such bucket" }];
        }
        case "ImportKey":
            if (state.keys[body.accessKeyId] || state.deletedKeys.includes(body.accessKeyId))
                return [409, { code: "KeyAlreadyExists", message: "Even if it is deleted" }];
            if (!/^[A-Za-z0-9_.-]{8,}$/.test(body.accessKeyId) || !/^[!-~]{16,}$/.test(body.secretAccessKey))
                return [400, { code: "InvalidRequest", message: "Invalid key format" }];
            state.keys[body.accessKeyId] = { accessKeyId: body.accessKeyId, name: body.name ?? "", secretAccessKey: body.secretAccessKey };
            return [200, { accessKeyId: body.accessKeyId, name: body.name ?? "" }];
        case "GetKeyInfo":
            return state.keys[q.id]
                ? [200, { accessKeyId: q.id, name: state.keys[q.id].name }]
                : [404, { code: "NoSuchAccessKey", message: "no such key" }];
        case "DeleteKey":
            if (!state.keys[q.id]) return [404, { code: "NoSuchAccessKey", message: "no such key" }];
            delete state.keys[q.id];
            state.deletedKeys.push(q.id);
            for (const b of Object.values(state.buckets)) b.keys = b.keys.filter((k) => k.accessKeyId !== q.id);
            return [200, null];
        case "AllowBucketKey": {
            const b = state.buckets[body.bucketId];
            if (!b || !state.keys[body.accessKeyId]) return [404, { code: "NoSuchBucket", message: "unknown bucket or key" }];
            const permissions = {
                read: body.permissions.read === true,
                write: body.permissions.write === true,
                owner: body.permissions.owner === true,
            };
            b.keys = [...b.keys.filter((k) => k.accessKeyId !== body.accessKeyId), { accessKeyId: body.accessKeyId, permissions }];
            return [200, b];
        }
    }
    return [500, {}];
}

const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
        const json = (status, value) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
        if (req.url === "/__state") return json(200, { ...state, nodeId });
        if (req.headers.authorization !== `Bearer ${token}`) return json(403, { code: "AccessDenied", message: "Forbidden" });
        const [status, value] = handle(req.method ?? "GET", req.url ?? "/", raw);
        return json(status, value);
    });
});
server.listen(Number(process.argv[3] ?? 0), "127.0.0.1", () => console.log(server.address().port));
