// The shipped homelab stack (Pulumi.homelab.yaml, the whole platform) previewed by the real engine with
// the homelab policy pack, against the contract tier's fakepve and fake node SSH. Only what the sandbox
// forces is overridden: the node's endpoint, CA, name and storages, the node SSH, the credentials, and
// the MinIO engine when its plugin is missing (seaweedfs instead, in MinIO's place in the plan, as the
// kubernetes e2e tier's prod preview does). Preview only: fakepve runs no process, so the bootstrap providers (PostgreSQL, the
// object store, Vault's init) would have no service to reach in an `up`.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import * as c from "./contract.mjs";

const STACK = "homelab";
const CONTAINER = "pulumi-nodejs:dynamic/lakeforge:ProxmoxContainer";

/** The homelab program: the repository's own Pulumi.yaml, bin/ and node_modules, its state apart. */
function project() {
    const dir = join(c.work, "homelab");
    mkdirSync(join(dir, "state"), { recursive: true });
    cpSync(join(c.repo, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    for (const entry of ["bin", "node_modules", "package.json"]) symlinkSync(join(c.repo, entry), join(dir, entry));
    const env = {
        ...process.env,
        PULUMI_HOME: process.env.LAKEFORGE_PLUGIN_HOME ?? process.env.PULUMI_HOME,
        PULUMI_BACKEND_URL: `file://${join(dir, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "homelab-sim",
    };
    const pulumi = (args, input) => {
        const res = spawnSync("pulumi", [...args, "--stack", STACK, "--non-interactive"], {
            cwd: dir,
            env,
            encoding: "utf8",
            input,
            timeout: 600_000,
        });
        return { status: res.status, out: `${res.stdout}${res.stderr}` };
    };
    const plugins = JSON.parse(execFileSync("pulumi", ["plugin", "ls", "--json"], { encoding: "utf8", env }));
    /** True when the engine has the provider's plugin at the version its npm package asks for. */
    const hasPlugin = (name) => {
        const { version } = JSON.parse(readFileSync(join(c.repo, `node_modules/@pulumi/${name}/package.json`), "utf8"));
        return plugins.some((p) => p.kind === "resource" && p.name === name && p.version === version);
    };
    return { dir, pulumi, hasPlugin };
}

/** Each policy finding once, as `level rule (type: name)` (a failed preview repeats its output). */
function findings(out) {
    const found = [...out.matchAll(/\[(mandatory|advisory)\](?: \[severity: \w+\])?\s+(\S+)\s+\(([^)]*)\)/g)];
    return [...new Set(found.map((m) => `${m[1]} ${m[2]} (${m[3]})`))];
}

/** The shipped stack file with the sandbox's overrides; returns the services it plans. */
function writeStack(dir, pve, hostKey, withMinio) {
    const YAML = createRequire(join(c.repo, "package.json"))("yaml");
    const shipped = YAML.parse(readFileSync(join(c.repo, "Pulumi.homelab.yaml"), "utf8"));
    const config = shipped.config;
    const settings = config["lakeforge:proxmox"];
    Object.assign(settings, {
        endpoint: pve.endpoint,
        node: pve.node,
        caCert: readFileSync(join(c.work, "ca.pem"), "utf8"),
        ssh: { ...settings.ssh, host: "127.0.0.1", port: c.API.ssh, hostKey },
        storage: { rootfs: "local-lvm", volumes: "data", templates: "local" },
    });
    if (!withMinio) {
        // The engine's service is named after it: MinIO's place in the plan goes to SeaweedFS.
        config["lakeforge:components"].objectStore.engine = "seaweedfs";
        settings.services = Object.fromEntries(Object.entries(settings.services).map(([k, v]) => [k === "minio" ? "seaweedfs" : k, v]));
    }
    const file = join(dir, `Pulumi.${STACK}.yaml`);
    const salt = readFileSync(file, "utf8").trim();
    writeFileSync(file, `${salt}\n${YAML.stringify({ config })}`);
    return Object.keys(settings.services);
}

/** Previews the shipped homelab stack with its policy pack; then a floating image tag must be refused. */
export async function homelabPreview(pve) {
    const { dir, pulumi, hasPlugin } = project();
    const missing = ["postgresql", "random", "vault"].filter((name) => !hasPlugin(name));
    if (missing.length > 0) {
        console.log(`== HOMELAB PREVIEW NOT RUN: no resource plugin ${missing.join(", ")} in ${process.env.LAKEFORGE_PLUGIN_HOME}`);
        return;
    }
    const init = pulumi(["stack", "init"]);
    if (init.status !== 0) throw new Error(init.out);
    const hostKey = execFileSync("ssh-keygen", ["-lf", join(c.work, "host_key.pub")], { encoding: "utf8" }).split(" ")[1];
    const withMinio = hasPlugin("minio");
    if (!withMinio) console.log("homelab preview: NO MINIO PLUGIN: objectStore.engine seaweedfs in its place");
    const services = writeStack(dir, pve, hostKey, withMinio);
    for (const [key, value] of [
        ["lakeforge:proxmox.apiToken", `${pve.tokenId}=${pve.tokenSecret}`],
        ["lakeforge:proxmox.ssh.privateKey", readFileSync(join(c.work, "client_key"), "utf8")],
    ]) {
        const set = pulumi(["config", "set", "--secret", "--path", key], value);
        if (set.status !== 0) throw new Error(set.out);
    }
    const policy = ["--policy-pack", join(c.repo, "policies"), "--policy-pack-config", join(c.repo, "policies/config/homelab.json")];
    const calls = (await c.control("GET", "/state")).requests.length;
    const started = Date.now();
    const preview = pulumi(["preview", ...policy]);
    console.log(`homelab preview: ${Math.round((Date.now() - started) / 1000)} s`);
    if (preview.status !== 0) console.log(preview.out);
    c.check(preview.status === 0, "the shipped homelab stack previews with the homelab policy pack");
    const planned = (kind, out = preview.out) =>
        [...out.matchAll(new RegExp(`^ \\+ +${kind} (\\S+) create`, "gm"))].map((m) => m[1]).sort();
    const expected = JSON.stringify([...services].sort());
    c.check(
        JSON.stringify(planned(CONTAINER)) === expected,
        `it plans a container for every service of the shipped plan (${planned(CONTAINER).length} of ${services.length})`,
    );
    c.check(
        JSON.stringify(
            planned(CONTAINER.replace("Container", "Ready"))
                .map((n) => n.replace(/-ready$/, ""))
                .sort(),
        ) === expected,
        "and a health gate for each",
    );
    const found = findings(preview.out);
    c.check(!found.some((f) => f.startsWith("mandatory")), `no mandatory policy violation (found ${found.length} advisory)`);
    // The pack sees lakeforge's own containers: the images pinned by tag only get an advisory digest-pinning finding,
    // on the container (the swapped-in SeaweedFS among them), and nothing else is found.
    const judged = found.map(
        (f) => /^advisory image-pinned-by-digest \(pulumi-nodejs:dynamic\/lakeforge:ProxmoxContainer: (\S+)\)$/.exec(f)?.[1],
    );
    c.check(
        judged.length > 0 && judged.every((name) => services.includes(name)) && (withMinio || judged.includes("seaweedfs")),
        `the policy pack judges lakeforge's proxmox containers: only advisory digest pinning, on ${judged.join(", ")}`,
    );
    c.check((await c.control("GET", "/state")).requests.length === calls, "the preview sends nothing to PVE");

    // The same stack with logging on (not shipped on): Loki and Alloy planned, the console log directory with them.
    for (const [key, value] of [
        ["lakeforge:components.logging.enabled", "true"],
        ["lakeforge:proxmox.services.loki.vmid", "160"],
        ["lakeforge:proxmox.services.loki.address", "192.168.4.60"],
        ["lakeforge:proxmox.services.alloy.vmid", "161"],
        ["lakeforge:proxmox.services.alloy.address", "192.168.4.61"],
    ]) {
        const set = pulumi(["config", "set", "--path", key, value]);
        if (set.status !== 0) throw new Error(set.out);
    }
    const logged = pulumi(["preview", ...policy]);
    if (logged.status !== 0) console.log(logged.out);
    const loggedFindings = findings(logged.out);
    c.check(
        logged.status === 0 &&
            ["loki", "alloy"].every((name) => planned(CONTAINER, logged.out).includes(name)) &&
            /^ \+ +pulumi-nodejs:dynamic\/lakeforge:ProxmoxConsoleLogs console-logs create/m.test(logged.out) &&
            !loggedFindings.some((f) => f.startsWith("mandatory")),
        `with logging on, it also plans Loki, Alloy and the console log directory, with no mandatory finding (${loggedFindings.length} advisory)`,
    );
    const off = pulumi(["config", "set", "--path", "lakeforge:components.logging.enabled", "false"]);
    const unplan = ["loki", "alloy"].map((name) => pulumi(["config", "rm", "--path", `lakeforge:proxmox.services.${name}`]));
    if ([off, ...unplan].some((r) => r.status !== 0)) throw new Error([off, ...unplan].map((r) => r.out).join("\n"));

    const bad = pulumi(["config", "set", "--path", "lakeforge:components.database.image", "postgres:stable"]);
    if (bad.status !== 0) throw new Error(bad.out);
    const refused = pulumi(["preview", ...policy]);
    c.check(
        refused.status !== 0 && findings(refused.out).includes(`mandatory image-tag-pinned (${CONTAINER}: postgres)`),
        "a floating image tag on the database (accepted by the config check) is refused by the pack, on lakeforge's container",
    );
}
