import { createHash } from "node:crypto";
import { constants } from "node:os";
import type { ClientChannel } from "ssh2";
import { Client } from "ssh2";
import type { HealthCheck } from "../spec";
import type { ContainerFile, ExecResult, NodeSshSettings, PveNode } from "./node";

/** The config key that pins the node's host key, named in every refusal so the user knows what to fix. */
export const HOST_KEY_SETTING = "lakeforge:proxmox.ssh.hostKey";

/** Seconds `timeout` waits after SIGTERM before SIGKILL, so a hung `pct exec` cannot outlive its attempt. */
const KILL_AFTER_SECONDS = 2;
/**
 * `pct exec` keeps the node's environment by default (`--keep-env`, default 1; pct(1) says the default
 * changes with PVE 9 and to pass it explicitly): the node's PATH and SSH variables would leak into the
 * container and change what a command finds. With it cleared, the container gets a default PATH plus its own configured environment
 * (LXC applies `lxc.environment` to attached processes too; verified with lxc 5.0.2).
 */
const EXEC_OPTIONS = ["--keep-env", "0"] as const;
/** Output kept per stream: enough for the tail of a failing health check, bounded for chatty ones. */
const OUTPUT_LIMIT = 64 * 1024;
/** Lines of a failed health check's output quoted in the error. */
const ERROR_TAIL_LINES = 10;

/** Quotes one argument for a POSIX shell: the node's login shell parses the SSH command line. */
export function shellQuote(arg: string): string {
    if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
    return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The OpenSSH `SHA256:` fingerprint of a raw host key blob, as `ssh-keygen -lf` prints it. */
export function sshFingerprint(key: Buffer): string {
    return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/**
 * The command line run on the node for `pct <args>`: `sudo -n` for a non-root user (never a prompt
 * that would hang), and `timeout` in front of it so a hung attempt is ended on the node, not only abandoned.
 */
export function pctCommand(args: readonly string[], options: { readonly sudo?: boolean; readonly timeoutMs?: number } = {}): string {
    const pct = [...(options.sudo === true ? ["sudo", "-n"] : []), "pct", ...args];
    const seconds = options.timeoutMs === undefined ? undefined : Math.max(1, Math.ceil(options.timeoutMs / 1000));
    const argv = seconds === undefined ? pct : ["timeout", `--kill-after=${KILL_AFTER_SECONDS}`, String(seconds), ...pct];
    return argv.map(shellQuote).join(" ");
}

/**
 * The in-container script that places one file. Paths and owner arrive as positional arguments
 * (never spliced into the script); the content arrives on stdin. Parent directories get 0755 so a
 * service user can reach its own 0400 file; the file itself is born under umask 077.
 */
const PLACE_FILE_SCRIPT = [
    `dir=$(dirname "$1") && (umask 022 && mkdir -p "$dir")`,
    `umask 077`,
    `cat > "$1.lf-tmp" && chown "$2" "$1.lf-tmp" && chmod "$3" "$1.lf-tmp" && mv -f "$1.lf-tmp" "$1"`,
].join(" && ");

/** The argv run inside the container to place `file` (its content goes on stdin). */
export function placeFileArgv(file: ContainerFile): readonly string[] {
    if (!file.path.startsWith("/")) throw new Error(`container file path must be absolute: ${file.path}`);
    return ["sh", "-c", PLACE_FILE_SCRIPT, "sh", file.path, file.owner ?? "0:0", file.mode.toString(8)];
}

/** What one health check attempt returned; `timedOut` when it ran past `timeoutSeconds`. */
export interface ProbeResult extends ExecResult {
    readonly timedOut: boolean;
}

/** Time as the health loop sees it; injected so tests run the loop without waiting. */
export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

/** The wall clock. */
export const SYSTEM_CLOCK: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** The last lines of an attempt's output, for an error the user can act on. */
export function outputTail(result: ExecResult, lines = ERROR_TAIL_LINES): string {
    const text = [result.stderr.trim(), result.stdout.trim()].filter((s) => s !== "").join("\n");
    return text === "" ? "(no output)" : text.split("\n").slice(-lines).join("\n");
}

function describeAttempt(result: ProbeResult, timeoutMs: number): string {
    return result.timedOut ? `timed out after ${Math.ceil(timeoutMs / 1000)}s` : `exit code ${result.code}`;
}

/**
 * Docker's health semantics: attempts every `intervalSeconds`; failures inside the start period do
 * not count; `retries` consecutive counted failures fail; `deadlineSeconds` bounds the whole wait.
 * The first attempt runs at once (Docker waits one interval first) so a fast service is not delayed.
 */
export async function runHealthLoop(
    probe: (timeoutMs: number) => Promise<ProbeResult>,
    check: HealthCheck,
    deadlineSeconds: number,
    what: string,
    clock: Clock = SYSTEM_CLOCK,
): Promise<void> {
    const start = clock.now();
    const retries = Math.max(1, check.retries);
    let counted = 0;
    for (let attempt = 1; ; attempt++) {
        const left = deadlineSeconds * 1000 - (clock.now() - start);
        const timeoutMs = Math.max(1000, Math.min(check.timeoutSeconds * 1000, left));
        const result = await probe(timeoutMs);
        if (result.code === 0 && !result.timedOut) return;
        const inStartPeriod = clock.now() - start < check.startPeriodSeconds * 1000;
        if (!inStartPeriod) counted++;
        const last = `attempt ${attempt}: ${describeAttempt(result, timeoutMs)}; last output:\n${outputTail(result)}`;
        if (counted >= retries) throw new Error(`${what} is unhealthy after ${retries} consecutive failed health checks (${last})`);
        if (clock.now() - start + check.intervalSeconds * 1000 >= deadlineSeconds * 1000) {
            throw new Error(`${what} did not become healthy within ${deadlineSeconds}s (${last})`);
        }
        await clock.sleep(check.intervalSeconds * 1000);
    }
}

/** A refused host key: never retried, and reported as is. */
class HostKeyMismatch extends Error {}

/** Refuses a host key that does not match the pinned one, naming the setting and both fingerprints. */
export function hostKeyMismatch(expected: string, found: string): Error {
    return new HostKeyMismatch(`the Proxmox node's SSH host key does not match ${HOST_KEY_SETTING}: expected ${expected}, found ${found}`);
}

function normalizeFingerprint(fingerprint: string): string {
    const trimmed = fingerprint.trim().replace(/=+$/, "");
    if (!trimmed.startsWith("SHA256:")) {
        throw new Error(
            `${HOST_KEY_SETTING} must be a SHA256: fingerprint as \`ssh-keygen -lf\` prints it, got ${JSON.stringify(fingerprint)}`,
        );
    }
    return trimmed;
}

function appendBounded(current: string, chunk: string): string {
    const next = current + chunk;
    return next.length > OUTPUT_LIMIT ? next.slice(-OUTPUT_LIMIT) : next;
}

/** The number of a signal as SSH names it (`SIGKILL`, or `KILL` from some servers). */
function signalNumber(signal: string): number {
    const name = (signal.startsWith("SIG") ? signal : `SIG${signal}`) as keyof typeof constants.signals;
    return constants.signals[name] ?? 0;
}

/** Runs one command on the node; resolves with its exit code and output (a signal counts as 128+). */
function runOnNode(client: Client, command: string, stdin: string | undefined, timeoutMs: number | undefined): Promise<ProbeResult> {
    return new Promise((resolve, reject) => {
        client.exec(command, (err: Error | undefined, channel: ClientChannel) => {
            if (err) return reject(err);
            let stdout = "";
            let stderr = "";
            let timedOut = false;
            // The node-side `timeout` ends the command first; this only covers a node that stops answering.
            const guard =
                timeoutMs === undefined
                    ? undefined
                    : setTimeout(
                          () => {
                              timedOut = true;
                              channel.close();
                          },
                          timeoutMs + (KILL_AFTER_SECONDS + 3) * 1000,
                      );
            // Decoding per stream (not per chunk) keeps a character split across two packets whole.
            channel.setEncoding("utf8");
            channel.stderr.setEncoding("utf8");
            channel.on("data", (chunk: string) => (stdout = appendBounded(stdout, chunk)));
            channel.stderr.on("data", (chunk: string) => (stderr = appendBounded(stderr, chunk)));
            channel.on("close", (code: number | null | undefined, signal?: string) => {
                if (guard) clearTimeout(guard);
                const exit = typeof code === "number" ? code : signal === undefined ? 255 : 128 + signalNumber(signal);
                // 124 and 137 are what `timeout` returns when it had to end the command.
                resolve({ code: exit, stdout, stderr, timedOut: timedOut || (timeoutMs !== undefined && (exit === 124 || exit === 137)) });
            });
            channel.end(stdin ?? "");
        });
    });
}

/** Handshakes that open at once can be dropped by sshd (`MaxStartups`, 10 by default): worth another try. */
const CONNECT_ATTEMPTS = 3;

function isTransient(err: Error & { code?: string; level?: string }): boolean {
    return err.message === "Connection lost before handshake" || err.code === "ECONNRESET" || err.level === "client-timeout";
}

function pinnedFingerprint(settings: NodeSshSettings): string | undefined {
    if (settings.hostKey !== undefined) return normalizeFingerprint(settings.hostKey);
    if (settings.insecureHostKey === true) return undefined;
    throw new Error(
        `${HOST_KEY_SETTING} is not set: pin the node's key (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on the node), or opt out with lakeforge:proxmox.ssh.insecureHostKey`,
    );
}

/** One connection attempt; a host key other than `expected` is refused inside the handshake. */
function openClientOnce(settings: NodeSshSettings, expected: string | undefined): Promise<Client> {
    let found: string | undefined;
    const client = new Client();
    return new Promise((resolve, reject) => {
        client.once("ready", () => resolve(client));
        // Stays attached for the session's life: a socket can report more than one error, and a
        // dropped connection later fails the pending commands (their channels close). Without a
        // listener the 'error' event would end the whole Pulumi process instead.
        client.on("error", (err: Error) => {
            client.end();
            reject(expected !== undefined && found !== undefined && found !== expected ? hostKeyMismatch(expected, found) : err);
        });
        client.connect({
            host: settings.host,
            port: settings.port,
            username: settings.user,
            privateKey: settings.privateKey,
            readyTimeout: 20_000,
            keepaliveInterval: 15_000,
            hostVerifier: (key: Buffer): boolean => {
                found = sshFingerprint(key);
                return expected === undefined || found === expected;
            },
        });
    });
}

async function openClient(settings: NodeSshSettings, clock: Clock): Promise<Client> {
    const expected = pinnedFingerprint(settings);
    for (let attempt = 1; ; attempt++) {
        try {
            return await openClientOnce(settings, expected);
        } catch (error) {
            const err = error as Error;
            if (err instanceof HostKeyMismatch) throw err;
            if (attempt < CONNECT_ATTEMPTS && isTransient(err)) {
                // Jitter spreads the retries of connections dropped together over time.
                await clock.sleep(1000 * attempt + Math.floor(Math.random() * 1000));
                continue;
            }
            const where = `${settings.user}@${settings.host}:${settings.port}`;
            throw new Error(`cannot open an SSH session to the Proxmox node as ${where} (lakeforge:proxmox.ssh): ${err.message}`, {
                cause: err,
            });
        }
    }
}

/** Opens one SSH session to the Proxmox node, with its host key checked against the pinned fingerprint. */
export async function connectNode(settings: NodeSshSettings, clock: Clock = SYSTEM_CLOCK): Promise<PveNode> {
    const client = await openClient(settings, clock);
    const sudo = settings.sudo === true;
    const pct = async (args: readonly string[], stdin?: string, timeoutMs?: number): Promise<ProbeResult> =>
        runOnNode(client, pctCommand(args, { sudo, timeoutMs }), stdin, timeoutMs);
    const exec = async (vmid: number, argv: readonly string[], stdin?: string, timeoutMs?: number): Promise<ProbeResult> =>
        pct(["exec", String(vmid), ...EXEC_OPTIONS, "--", ...argv], stdin, timeoutMs);
    return {
        async exec(vmid, argv, options) {
            const { code, stdout, stderr } = await exec(vmid, argv, options?.stdin, options?.timeoutMs);
            return { code, stdout, stderr };
        },
        async pushFiles(vmid, files) {
            for (const file of files) {
                const result = await exec(vmid, placeFileArgv(file), file.content);
                if (result.code !== 0)
                    throw new Error(`placing ${file.path} in container ${vmid} failed (exit code ${result.code}): ${outputTail(result)}`);
            }
        },
        async host(script, args, stdin) {
            const argv = [...(sudo ? ["sudo", "-n"] : []), "sh", "-c", script, "sh", ...args];
            const { code, stdout, stderr } = await runOnNode(client, argv.map(shellQuote).join(" "), stdin, undefined);
            return { code, stdout, stderr };
        },
        async status(vmid) {
            const result = await pct(["status", String(vmid)]);
            const state = /^status:\s*(\S+)/m.exec(result.stdout)?.[1];
            if (result.code !== 0 || (state !== "running" && state !== "stopped")) {
                throw new Error(`pct status ${vmid} failed (exit code ${result.code}): ${outputTail(result)}`);
            }
            return state;
        },
        async waitHealthy(vmid, check, deadlineSeconds) {
            await runHealthLoop(
                (timeoutMs) => exec(vmid, check.command, undefined, timeoutMs),
                check,
                deadlineSeconds,
                `container ${vmid}`,
                clock,
            );
        },
        close() {
            client.end();
        },
    };
}
