// A stand-in for the Vault/OpenBao HTTP API used by lakeforge's init/unseal resources
// (sys/init, sys/seal-status, sys/unseal), with the server's state machine: uninitialized ->
// initialized and sealed -> unsealed once enough key shares arrive. `/__state` shows the state and
// the requests seen; `POST /__restart` does what a container restart does (the server comes back
// sealed); `POST /__wipe` does what a lost data volume does (uninitialized again). Run: node tests/support/fake-secrets-server.mjs [port]  (prints the port it listens on).
import * as http from "node:http";

const state = { initialized: false, sealed: true, threshold: 1, keys: [], progress: [], requests: [] };

function answer(method, url, body, res) {
    const json = (status, value) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (url === "/__state") return json(200, state);
    if (url === "/__restart") {
        state.sealed = true;
        state.progress = [];
        return json(200, {});
    }
    if (url === "/__wipe") {
        Object.assign(state, { initialized: false, sealed: true, keys: [], progress: [] });
        return json(200, {});
    }
    if (url === "/__reset-requests") {
        state.requests = [];
        return json(200, {});
    }
    state.requests.push(`${method} ${url}`);
    if (method === "GET" && url === "/v1/sys/init") return json(200, { initialized: state.initialized });
    if (method === "PUT" && url === "/v1/sys/init") {
        if (state.initialized) return json(400, { errors: ["Vault is already initialized"] });
        const req = JSON.parse(body);
        Object.assign(state, { initialized: true, threshold: req.secret_threshold });
        state.keys = Array.from({ length: req.secret_shares }, (_, i) => `key-${i}`);
        return json(200, { keys_base64: state.keys, root_token: "hvs.fake-root-token" });
    }
    if (method === "GET" && url === "/v1/sys/seal-status") return json(200, { sealed: state.sealed, initialized: state.initialized });
    if (method === "GET" && url === "/v1/sys/health") {
        if (!state.initialized) return json(501, { initialized: false, sealed: true });
        return json(state.sealed ? 503 : 200, { initialized: true, sealed: state.sealed });
    }
    if (method === "PUT" && url === "/v1/sys/unseal") {
        // As Vault's http/sys_seal.go answers an unseal of a server with no data.
        if (!state.initialized) return json(400, { errors: ["Vault is not initialized"] });
        const { key } = JSON.parse(body);
        if (!state.keys.includes(key)) return json(400, { errors: ["invalid key"] });
        if (!state.progress.includes(key)) state.progress.push(key);
        if (state.progress.length >= state.threshold) state.sealed = false;
        return json(200, { sealed: state.sealed, progress: state.progress.length });
    }
    return json(404, { errors: [] });
}

const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => answer(req.method ?? "GET", req.url ?? "/", body, res));
});
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => console.log(server.address().port));
