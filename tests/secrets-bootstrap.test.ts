import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { initProvider, unsealProvider } from "../components/secrets/bootstrap";

/** The fake server's state, as `/__state` reports it. */
interface ServerState {
    initialized: boolean;
    sealed: boolean;
    keys: string[];
    requests: string[];
}

let server: ChildProcess;
let address: string;

async function control(path: string): Promise<ServerState> {
    return (await (await fetch(`${address}${path}`, { method: "POST" })).json()) as ServerState;
}
const stateOf = () => control("/__state");

beforeAll(async () => {
    // A stand-in of the HTTP API for the fast tier; the end-to-end tier runs these providers against a real server.
    server = spawn(process.execPath, [path.join(__dirname, "support", "fake-secrets-server.mjs")], {
        stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<string>((resolve) => server.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim())));
    address = `http://127.0.0.1:${port}`;
});
afterAll(() => {
    server.kill();
});
beforeEach(async () => {
    await control("/__reset-requests");
});

describe("VaultInit and VaultUnseal providers against the HTTP API", () => {
    it("initializes with the configured shares and returns the keys and root token as outputs", async () => {
        const result = await initProvider.create?.({ address, keyShares: 3, keyThreshold: 2 });
        expect(result?.outs).toMatchObject({
            keys: ["key-0", "key-1", "key-2"],
            rootToken: "hvs.fake-root-token",
            keyShares: 3,
            keyThreshold: 2,
        });
        expect((await stateOf()).requests).toEqual(["GET /v1/sys/init", "PUT /v1/sys/init"]);
    });

    it("refuses to adopt a server someone else initialized, saying what to do", async () => {
        await expect(initProvider.create?.({ address, keyShares: 1, keyThreshold: 1 })).rejects.toThrow(
            /already initialized, but this stack holds no keys for it/,
        );
        expect((await stateOf()).requests).toEqual(["GET /v1/sys/init"]);
    });

    it("never re-initializes on a config change: a change of key shares asks for a re-key instead", async () => {
        const olds = { address, keyShares: 1, keyThreshold: 1 };
        expect(await initProvider.diff?.("initialized", olds, olds)).toEqual({ changes: false });
        await expect(initProvider.diff?.("initialized", olds, { ...olds, keyShares: 5 })).rejects.toThrow(
            /keyShares\/keyThreshold: the secrets server was initialized with 1 share\(s\), threshold 1; .*vault operator rekey/,
        );
    });

    it("unseals with as many shares as the threshold needs", async () => {
        await unsealProvider.create?.({ address, keys: (await stateOf()).keys });
        const state = await stateOf();
        expect(state.sealed).toBe(false);
        expect(state.requests).toEqual(["GET /v1/sys/seal-status", "PUT /v1/sys/unseal", "PUT /v1/sys/unseal", "GET /v1/sys/health"]);
    });

    it("shows no change while the live server is unsealed, and an update after a restart seals it", async () => {
        const { keys } = await stateOf();
        expect(await unsealProvider.diff?.("unsealed", {}, { address, keys })).toEqual({ changes: false });
        await control("/__restart");
        expect(await unsealProvider.diff?.("unsealed", {}, { address, keys })).toEqual({ changes: true });
        await unsealProvider.update?.("unsealed", {}, { address, keys });
        expect((await stateOf()).sealed).toBe(false);
    });

    it("fails loudly when the keys do not unseal the server", async () => {
        await control("/__restart");
        await expect(unsealProvider.create?.({ address, keys: ["key-0"] })).rejects.toThrow(/still sealed after submitting 1 unseal key/);
    });

    it("does not retry an answer that will not change (a wrong key is a 400)", async () => {
        await control("/__restart");
        await control("/__reset-requests");
        const started = Date.now();
        await expect(unsealProvider.create?.({ address, keys: ["not-a-key"] })).rejects.toThrow(/PUT .*\/v1\/sys\/unseal: HTTP 400/);
        expect(Date.now() - started).toBeLessThan(1500);
        expect((await stateOf()).requests.filter((r) => r === "PUT /v1/sys/unseal")).toHaveLength(1);
    });

    it("says what happened when the server lost its data, instead of a bare HTTP 400", async () => {
        const { keys } = await stateOf();
        await control("/__wipe");
        const lost =
            /is not initialized, but this stack initialized it: its data volume was removed or replaced.*pulumi state delete --target-dependents/;
        await expect(
            initProvider.diff?.("initialized", { address, keyShares: 3, keyThreshold: 2 }, { address, keyShares: 3, keyThreshold: 2 }),
        ).rejects.toThrow(lost);
        await expect(unsealProvider.update?.("unsealed", {}, { address, keys })).rejects.toThrow(lost);
    });

    it("plans an unseal when the address is not known yet (first preview)", async () => {
        expect(await unsealProvider.diff?.("unsealed", {}, { address: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", keys: [] })).toEqual({
            changes: true,
        });
    });
});
