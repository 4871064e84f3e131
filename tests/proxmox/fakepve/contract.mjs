// Support of the proxmox API contract tier (steps.mjs): starts fakepve (server.py) and the fake node
// SSH (ssh-node.mjs) on loopback, makes the OCI archives the stack uploads, runs the real pulumi CLI on
// a throwaway copy of ./program, and reads back what reached the fakes.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");
const work = mkdtempSync(join(tmpdir(), "lakeforge-fakepve-"));
const API = { host: "127.0.0.2", port: 28006, control: 28007, ssh: 28022 };
const PASSWORD_1 = "contract-db-password-8f3e1c";
const PASSWORD_2 = "contract-db-password-rotated-51b7";
const DIGEST = { "1.0": "1".repeat(64), "2.0": "2".repeat(64) };
const image = (tag) => `contract.example/app:${tag}@sha256:${DIGEST[tag]}`;
const children = [];
let failed = 0;

function check(ok, what) {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (!ok) failed++;
}

function sha256(data) {
    return createHash("sha256").update(data).digest("hex");
}

/** An OCI archive (layout, index, manifest, config, one empty layer) as skopeo would write it, for `tag`. */
function makeArchive(tag, file) {
    const dir = join(work, `oci-${tag}`);
    mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
    const blob = (data) => {
        const digest = sha256(data);
        writeFileSync(join(dir, "blobs", "sha256", digest), data);
        return { digest: `sha256:${digest}`, size: Buffer.byteLength(data) };
    };
    const layer = blob(Buffer.alloc(1024));
    const config = blob(
        JSON.stringify({
            architecture: "amd64",
            os: "linux",
            config: {
                Env: ["PATH=/usr/local/bin:/usr/bin:/bin", `APP_VERSION=${tag}`],
                Entrypoint: ["/usr/bin/app"],
                Cmd: ["serve"],
                User: "",
            },
            rootfs: { type: "layers", diff_ids: [layer.digest] },
        }),
    );
    const manifest = blob(
        JSON.stringify({
            schemaVersion: 2,
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
            layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...layer }],
        }),
    );
    writeFileSync(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    writeFileSync(
        join(dir, "index.json"),
        JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", ...manifest }] }),
    );
    execFileSync("tar", ["-cf", file, "-C", dir, "oci-layout", "index.json", "blobs"]);
}

async function waitFor(file, what) {
    for (let i = 0; i < 100; i++) {
        if (existsSync(file)) return;
        await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${what} did not start (no ${file})`);
}

function start(command, args, name) {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code) => code !== null && code !== 0 && console.error(`${name} exited with ${code}`));
    children.push(child);
}

async function control(method, path, body) {
    const res = await fetch(`http://127.0.0.1:${API.control}${path}`, { method, body: body && JSON.stringify(body) });
    return res.json();
}

const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${join(work, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "contract",
    LAKEFORGE_REPO: repo,
};
const program = join(work, "program");

/** Runs pulumi in the copy of the program; returns its exit status and output. */
function pulumi(...args) {
    // Bounded: a program that never ends (a registration waiting for ever) fails the step instead of hanging the tier.
    const res = spawnSync("pulumi", [...args, "--stack", "contract", "--non-interactive"], {
        cwd: program,
        env,
        encoding: "utf8",
        timeout: 600_000,
    });
    return { status: res.status, out: `${res.stdout}${res.stderr}` };
}

function up(what) {
    const res = pulumi("up", "--yes", "--skip-preview");
    if (res.status !== 0) console.log(res.out);
    check(res.status === 0, `${what}: up succeeds`);
    // Every later step builds on this one.
    if (res.status !== 0) throw new Error(`${what}: up failed`);
    return res;
}

function setConfig(key, value, secret = false) {
    // On stdin, as the README tells users to set the SSH key: a value may start with "-".
    const args = ["config", "set", ...(secret ? ["--secret"] : []), "--path", key, "--stack", "contract", "--non-interactive"];
    const res = spawnSync("pulumi", args, { cwd: program, env, encoding: "utf8", input: value });
    res.out = `${res.stdout}${res.stderr}`;
    if (res.status !== 0) throw new Error(res.out);
}

function sshLog() {
    const file = join(work, "ssh.log");
    return existsSync(file)
        ? readFileSync(file, "utf8")
              .trim()
              .split("\n")
              .map((l) => JSON.parse(l))
        : [];
}

const ct = (state, vmid) => state.cts.find((c) => c.vmid === vmid);
const requests = (state, method, suffix) => state.requests.filter(([m, p]) => m === method && p.endsWith(suffix));
const VOLUME = "199/subvol-199-lakeforge-db-data.subvol";

/** A throwaway copy of ./program with a stack whose `lakeforge:proxmox` settings are `settings` (secrets follow through the CLI). */
export function initStack(settings) {
    cpSync(join(here, "program"), program, { recursive: true });
    symlinkSync(join(repo, "node_modules"), join(program, "node_modules"));
    mkdirSync(join(work, "state"));
    const init = pulumi("stack", "init");
    if (init.status !== 0) throw new Error(init.out);
    // JSON is YAML: the settings object goes into the stack file as it is, after the salt stack init wrote.
    const stackFile = join(program, "Pulumi.contract.yaml");
    const salt = existsSync(stackFile) ? readFileSync(stackFile, "utf8").trim() : "";
    writeFileSync(stackFile, `${salt}\nconfig:\n  lakeforge:proxmox: ${JSON.stringify(settings)}\n`);
}

/** Starts the fakes and sets up the contract stack on them; returns fakepve's endpoint and token. */
async function setUp() {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(work, "host_key")]);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(work, "client_key")]);
    const hostKey = execFileSync("ssh-keygen", ["-lf", join(work, "host_key.pub")], { encoding: "utf8" }).split(" ")[1];
    mkdirSync(join(work, "oci"));
    for (const tag of ["1.0", "2.0"])
        makeArchive(tag, join(work, "oci", `lakeforge_contract.example_app_${tag}_${DIGEST[tag].slice(0, 12)}.tar`));
    start(
        process.env.FAKEPVE_PYTHON ?? "python3",
        [join(here, "server.py"), work, API.host, String(API.port), String(API.control)],
        "fakepve",
    );
    start(process.execPath, [join(here, "ssh-node.mjs"), work, String(API.ssh)], "ssh node");
    await waitFor(join(work, "ready"), "fakepve");
    await waitFor(join(work, "ssh-ready"), "the fake node SSH");
    const pve = JSON.parse(readFileSync(join(work, "ready"), "utf8"));
    initStack({
        endpoint: pve.endpoint,
        node: pve.node,
        caCert: readFileSync(join(work, "ca.pem"), "utf8"),
        ssh: { host: "127.0.0.1", port: API.ssh, hostKey },
        storage: { rootfs: "local-lvm", volumes: "data", templates: "local" },
        images: { transport: "upload", archiveDir: join(work, "oci") },
        network: { cidr: "10.20.0.0/24", gateway: "10.20.0.1", dns: ["10.20.0.1"] },
        services: { db: { vmid: 9101, address: "10.20.0.11", volumesGb: { data: 1 } }, web: { vmid: 9102, address: "10.20.0.12" } },
        volumeOwner: 199,
    });
    setConfig("lakeforge:proxmox.apiToken", `${pve.tokenId}=${pve.tokenSecret}`, true);
    setConfig("lakeforge:proxmox.ssh.privateKey", readFileSync(join(work, "client_key"), "utf8"), true);
    setConfig("contract:image", image("1.0"));
    setConfig("contract:mode", "primary");
    setConfig("contract:memoryMb", "256");
    setConfig("contract:password", PASSWORD_1, true);
    return pve;
}

export {
    API,
    repo,
    PASSWORD_1,
    PASSWORD_2,
    VOLUME,
    check,
    control,
    ct,
    image,
    pulumi,
    requests,
    setConfig,
    setUp,
    sshLog,
    up,
    work,
    children,
};
export const failures = () => failed;

/** Stops the servers and removes the work directory. */
export function tearDown() {
    for (const child of children) child.kill();
    if (process.env.KEEP_WORK === undefined) rmSync(work, { recursive: true, force: true });
    else console.log(`work directory kept: ${work}`);
}
