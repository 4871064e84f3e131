import * as net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connects, waitReachable } from "../src/runtime/reachable";

/* The gate on a published port, against real sockets on loopback. */

let server: net.Server;
let open: number;
let closed: number;

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
}

beforeAll(async () => {
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    open = (server.address() as net.AddressInfo).port;
    closed = await freePort();
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("Reachable", () => {
    it("connects to a listening port and not to a closed one", async () => {
        expect(await connects("127.0.0.1", open)).toBe(true);
        expect(await connects("127.0.0.1", closed)).toBe(false);
    });

    it("waits until the port starts listening", async () => {
        const late = await freePort();
        const listener = net.createServer((socket) => socket.end());
        setTimeout(() => listener.listen(late, "127.0.0.1"), 1500);
        const started = Date.now();
        await waitReachable({ host: "127.0.0.1", port: late, timeoutSeconds: 20 });
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
        await new Promise<void>((r) => listener.close(() => r()));
    });

    it("fails after the timeout naming the address and what to check", async () => {
        await expect(waitReachable({ host: "127.0.0.1", port: closed, timeoutSeconds: 1 })).rejects.toThrow(
            new RegExp(`127\\.0\\.0\\.1:${closed} did not accept a TCP connection within 1 s.*adminAccess`),
        );
    });
});
