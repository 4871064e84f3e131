import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo, Socket } from "node:net";
import { connect as connectTcp, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuthContext, Connection, ParsedKey } from "ssh2";
import { Server, utils } from "ssh2";

/**
 * An SSH server on 127.0.0.1 standing in for a Proxmox VE node in the unit tier: it execs each
 * request's command through `sh -c`; its `pct` runs `exec`'s argv on this machine and reports every
 * container as running. It records every command line it receives, so tests can check argv.
 */
export interface FakePveNode {
    readonly port: number;
    readonly hostKeyBlob: Buffer;
    readonly clientPrivateKey: string;
    readonly commands: string[];
    close(): Promise<void>;
}

const FAKE_PCT = `#!/bin/sh
case "$1" in
    exec) shift 2; while [ "$1" != "--" ]; do shift; done; shift; exec "$@" ;;
    status) echo "status: running" ;;
    *) echo "fake pct: unsupported $1" >&2; exit 255 ;;
esac
`;

function parsed(key: string): ParsedKey {
    const result = utils.parseKey(key);
    if (result instanceof Error) throw result;
    return result;
}

function authenticate(ctx: AuthContext, allowed: ParsedKey): void {
    const matches = ctx.method === "publickey" && ctx.key.algo === allowed.type && ctx.key.data.equals(allowed.getPublicSSH());
    // Without a signature the client only asks whether the key would do; with one, it must verify.
    if (matches && (ctx.signature === undefined || (ctx.blob !== undefined && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo)))) {
        ctx.accept();
    } else {
        ctx.reject(["publickey"]);
    }
}

function serve(conn: Connection, allowed: ParsedKey, bin: string, commands: string[]): void {
    conn.on("error", () => undefined);
    conn.on("authentication", (ctx) => authenticate(ctx, allowed));
    conn.on("ready", () =>
        conn.on("session", (acceptSession) => {
            acceptSession().on("exec", (accept, _reject, info) => {
                commands.push(info.command);
                const channel = accept();
                // `exec`: lakeforge sends one simple command, which then is the session's process, as
                // with a login shell that execs it; so a signal that ends it reaches the client.
                const child = spawn("sh", ["-c", `exec ${info.command}`], {
                    env: { ...process.env, PATH: `${bin}:${process.env["PATH"] ?? ""}` },
                });
                channel.pipe(child.stdin);
                child.stdout.pipe(channel, { end: false });
                child.stderr.pipe(channel.stderr, { end: false });
                child.on("close", (code, signal) => {
                    // As sshd does: a command ended by a signal is reported as exit-signal, without a code.
                    if (signal !== null) channel.exit(signal.replace(/^SIG/, ""), false, "");
                    else channel.exit(code ?? 255);
                    channel.end();
                });
            });
        }),
    );
}

/** Starts the fake node; `close()` stops it and removes its fake `pct`. */
export async function startFakePveNode(): Promise<FakePveNode> {
    const host = utils.generateKeyPairSync("ed25519");
    const client = utils.generateKeyPairSync("ed25519");
    const allowed = parsed(client.public);
    const bin = mkdtempSync(join(tmpdir(), "lf-fake-pct-"));
    writeFileSync(join(bin, "pct"), FAKE_PCT);
    chmodSync(join(bin, "pct"), 0o755);
    const commands: string[] = [];
    const server = new Server({ hostKeys: [host.private] }, (conn) => serve(conn, allowed, bin, commands));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        port: (server.address() as AddressInfo).port,
        hostKeyBlob: parsed(host.public).getPublicSSH(),
        clientPrivateKey: client.private,
        commands,
        close: async () => {
            await new Promise<void>((resolve) => server.close(() => resolve()));
            rmSync(bin, { recursive: true, force: true });
        },
    };
}

/** A TCP front to `port` that drops its first `drop` connections before any byte, as a busy sshd does. */
export interface DroppingFront {
    readonly port: number;
    /** Connections seen so far, dropped ones included. */
    connections(): number;
    close(): Promise<void>;
}

/** Starts a front that resets the first `drop` connections and forwards the rest to `port`. */
export async function dropFirstConnections(port: number, drop: number): Promise<DroppingFront> {
    let seen = 0;
    const open = new Set<Socket>();
    const front = createServer((socket) => {
        seen++;
        if (seen <= drop) return socket.resetAndDestroy();
        const upstream = connectTcp(port, "127.0.0.1");
        for (const s of [socket, upstream]) {
            open.add(s);
            s.on("error", () => undefined).on("close", () => open.delete(s));
        }
        socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
    return {
        port: (front.address() as AddressInfo).port,
        connections: () => seen,
        close: async () => {
            for (const s of open) s.destroy();
            await new Promise<void>((resolve) => front.close(() => resolve()));
        },
    };
}
