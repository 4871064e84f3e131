// The contract tier's stand-in for the PVE node's SSH: an ssh2 Server that runs no container but
// answers `pct exec/status` the way the node does, so the runtime's real node-SSH code runs against it.
// Every command line is logged (argv) and every file placed through `pct exec ... sh -c <place>` is
// recorded with its path, owner, mode and content, so run.sh can assert that secrets arrive as 0400
// files over stdin and never in a command line.
//
// A script lakeforge runs on the node itself (`sh -c <script> sh args...`: console logs) runs for real
// with /bin/sh, its /etc/pve/lxc and /etc/logrotate.d arguments mapped to pve/lxc and logrotate.d in
// the state directory (a container's config there starts as `arch: amd64` when the script reads it).
//
//   node ssh-node.mjs <state-dir> <port>   (reads host_key and client_key.pub there; writes ssh.log)
import { spawnSync } from "node:child_process";
import { timingSafeEqual } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ssh2 from "ssh2";

const [stateDir, port] = process.argv.slice(2);
const allowed = ssh2.utils.parseKey(readFileSync(join(stateDir, "client_key.pub")));
const log = join(stateDir, "ssh.log");

/** POSIX shell words: single quotes, double quotes and backslashes, as the node's login shell splits them. */
function shellWords(line) {
    const words = [];
    let word = null;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === "'") {
            const end = line.indexOf("'", i + 1);
            word = (word ?? "") + line.slice(i + 1, end);
            i = end;
        } else if (c === '"') {
            let j = i + 1;
            let text = "";
            for (; line[j] !== '"'; j++) text += line[j] === "\\" ? line[++j] : line[j];
            word = (word ?? "") + text;
            i = j;
        } else if (c === "\\") {
            word = (word ?? "") + line[++i];
        } else if (c === " " || c === "\t") {
            if (word !== null) words.push(word);
            word = null;
        } else {
            word = (word ?? "") + c;
        }
    }
    if (word !== null) words.push(word);
    return words;
}

/** The `pct` argv of a node command line, without `timeout ...` and `sudo -n` in front of it. */
function pctArgs(words) {
    let w = words;
    if (w[0] === "timeout") w = w.slice(w.findIndex((x, i) => i > 0 && /^\d+$/.test(x)) + 1);
    if (w[0] === "sudo" && w[1] === "-n") w = w.slice(2);
    if (w[0] !== "pct") throw new Error(`not a pct command: ${words.join(" ")}`);
    return w.slice(1);
}

/** The node paths a host script's argument names, mapped into the state directory. */
function onNode(arg) {
    const mapped = arg.replace(/^\/etc\/pve\/lxc\//, `${stateDir}/pve/lxc/`).replace(/^\/etc\/logrotate\.d\//, `${stateDir}/logrotate.d/`);
    const conf = /\/pve\/lxc\/(\d+)\.conf$/.exec(mapped);
    if (conf !== null && mapped !== arg && !existsSync(mapped)) writeFileSync(mapped, "arch: amd64\n");
    return mapped;
}

/** A host script (`sh -c <script> sh args...`, after `sudo -n`), run for real: [exit code, stdout, stderr]. */
function hostScript(words, stdin) {
    const w = words[0] === "sudo" && words[1] === "-n" ? words.slice(2) : words;
    if (w[0] !== "sh" || w[1] !== "-c" || w[3] !== "sh") return undefined;
    mkdirSync(join(stateDir, "pve", "lxc"), { recursive: true });
    mkdirSync(join(stateDir, "logrotate.d"), { recursive: true });
    const args = w.slice(4).map(onNode);
    appendFileSync(log, JSON.stringify({ host: { args } }) + "\n");
    const res = spawnSync("/bin/sh", ["-c", w[2], "sh", ...args], { input: stdin, encoding: "utf8" });
    return [res.status ?? 255, res.stdout, res.stderr];
}

/** What `pct` answers: [exit code, stdout, stderr]. */
function answer(args, stdin) {
    const [verb, vmid] = args;
    if (verb === "status") return [0, "status: running\n", ""];
    // pct exec <vmid> [--keep-env 0] -- argv...
    const sep = args.indexOf("--");
    const options = args.slice(2, sep);
    const known = options.length === 0 || (options.length === 2 && options[0] === "--keep-env");
    if (verb !== "exec" || sep < 0 || !known) return [2, "", `fake pct: unsupported: ${args.join(" ")}\n`];
    const argv = args.slice(sep + 1);
    // The place-file script: sh -c <script> sh <path> <owner> <mode>, content on stdin.
    if (argv[0] === "sh" && argv[1] === "-c" && argv[3] === "sh" && argv.length === 7) {
        appendFileSync(
            log,
            JSON.stringify({ file: { vmid: Number(vmid), path: argv[4], owner: argv[5], mode: argv[6], content: stdin } }) + "\n",
        );
        return [0, "", ""];
    }
    // A health check: failing while run.sh has marked the container unhealthy.
    if (existsSync(join(stateDir, `unhealthy-${vmid}`))) return [1, "", "fake: service not ready\n"];
    return [0, "", ""];
}

new ssh2.Server({ hostKeys: [readFileSync(join(stateDir, "host_key"))] }, (client) => {
    client.on("authentication", (ctx) => {
        const key = ctx.method === "publickey" ? ctx.key : undefined;
        const match = key && key.algo === allowed.type && timingSafeEqual(key.data, allowed.getPublicSSH());
        if (match && (!ctx.signature || allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true)) return ctx.accept();
        return ctx.reject(["publickey"]);
    });
    client.on("ready", () => {
        client.on("session", (acceptSession) => {
            acceptSession().on("exec", (accept, _reject, info) => {
                const stream = accept();
                const chunks = [];
                stream.on("data", (c) => chunks.push(c));
                stream.on("end", () => {
                    const stdin = Buffer.concat(chunks).toString("utf8");
                    let result;
                    try {
                        const words = shellWords(info.command);
                        result = hostScript(words, stdin);
                        if (result === undefined) {
                            const args = pctArgs(words);
                            appendFileSync(log, JSON.stringify({ argv: args }) + "\n");
                            result = answer(args, stdin);
                        }
                    } catch (err) {
                        result = [127, "", `${err.message}\n`];
                    }
                    stream.write(result[1]);
                    stream.stderr.write(result[2]);
                    stream.exit(result[0]);
                    stream.end();
                });
            });
        });
    });
    client.on("error", () => undefined);
}).listen(Number(port), "127.0.0.1", () => writeFileSync(join(stateDir, "ssh-ready"), ""));
