// The proxmox API contract tier: the real Pulumi engine runs the small stack in ./program on the real
// proxmox runtime against fakepve (PVE 9's API schema, tasks, locks, permissions) and the fake node
// SSH, and checks what reached them after each step. Run by run.sh, which builds bin/ and puts the
// pinned pulumi CLI on PATH; FAKEPVE_PYTHON is the python of the venv fakepve is installed in.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as c from "./contract.mjs";
import { homelabPreview } from "./homelab.mjs";

const { check, control, ct, requests, setConfig, sshLog, up, pulumi, VOLUME } = c;
const { gatedArgv } = createRequire(import.meta.url)(join(c.repo, "bin/src/runtime/proxmox/mapping.js"));
/** The argv a container's gated entrypoint runs, as one string. */
const gated = (config) => (gatedArgv(String(config?.entrypoint)) ?? ["(not the gate)"]).join(" ");

/** A PVE property string as a set of its parts: PVE stores them in its own order. */
const parts = (text) => new Set(String(text ?? "").split(","));
const mountsVolume = (config) => parts(config?.mp0).has(`data:${VOLUME}`) && parts(config?.mp0).has("mp=/data");

async function planErrorsFirst() {
    const rm = pulumi("config", "rm", "--path", "lakeforge:proxmox.services.web");
    if (rm.status !== 0) throw new Error(rm.out);
    const res = pulumi("preview");
    check(
        res.status !== 0 && res.out.includes("lakeforge:proxmox.services.web: expected { vmid, address } for this service"),
        "a service missing from the plan fails the preview, named",
    );
    check(
        (await control("GET", "/state")).requests.length === 0 && !res.out.includes("ProxmoxContainer"),
        "before any resource or API call",
    );
    setConfig("lakeforge:proxmox.services.web.vmid", "9102");
    setConfig("lakeforge:proxmox.services.web.address", "10.20.0.12");
}

async function createAndPreview() {
    up("create");
    const state = await control("GET", "/state");
    const db = ct(state, 9101);
    const web = ct(state, 9102);
    check(db?.status === "running" && web?.status === "running", "both containers exist and run");
    check(db?.config.unprivileged === 1, "the container is unprivileged");
    check(mountsVolume(db?.config), "the data volume owned by the holder vmid is mounted at /data");
    check(
        parts(db?.config.net0).has("ip=10.20.0.11/24") &&
            parts(db?.config.net0).has("gw=10.20.0.1") &&
            parts(db?.config.net0).has("host-managed=1"),
        "the planned static address is on net0, applied by the host",
    );
    check(String(db?.config.env).split("\0").includes("PATH=/usr/local/bin:/usr/bin:/bin"), "env keeps the image's PATH");
    check(String(db?.config.env).split("\0").includes("DB_MODE=primary"), "env has the spec's variables");
    check(gated(db?.config) === "/usr/bin/app serve --data /data", "entrypoint is the gate, then image entrypoint + spec command");
    check(gated(web?.config) === "/usr/bin/app serve", "a spec without a command runs the image's Entrypoint and Cmd");
    check(state.volumes.data.includes(VOLUME), "the volume is on the data storage");
    check(requests(state, "POST", "/storage/local/upload").length === 1, "the shared image is uploaded once");
    const secret = sshLog().find((e) => e.file?.path === "/run/secrets/db-password");
    check(
        secret?.file.mode === "400" && secret?.file.owner === "1000:1000" && secret?.file.content === c.PASSWORD_1,
        "the password arrives as a 0400 file of the service user, over stdin",
    );
    check(
        sshLog().some((e) => e.file?.path === "/etc/lakeforge/.ready" && e.file.vmid === 9101),
        "the gate's marker is placed after the files",
    );
    const everything = JSON.stringify(state);
    check(!everything.includes(c.PASSWORD_1), "the password is nowhere in PVE: config, env, description, tags, request bodies");
    check(!sshLog().some((e) => e.argv && JSON.stringify(e.argv).includes(c.PASSWORD_1)), "the password is in no node command line");
    const exported = pulumi("stack", "export").out;
    const pve = JSON.parse(readFileSync(join(c.work, "ready"), "utf8"));
    const key = readFileSync(join(c.work, "client_key"), "utf8").split("\n")[1];
    check(
        exported.includes("ProxmoxFiles") && ![c.PASSWORD_1, pve.tokenSecret, key].some((s) => exported.includes(s)),
        "state holds the password, API token and SSH key only encrypted",
    );
    const preview = pulumi("preview", "--expect-no-changes");
    if (preview.status !== 0) console.log(preview.out);
    check(preview.status === 0, "a second preview shows no change");
}

async function updateInPlace() {
    const before = await control("GET", "/state");
    setConfig("contract:memoryMb", "512");
    up("memory change");
    const state = await control("GET", "/state");
    check(ct(state, 9101)?.config.memory === 512, "memory changes in place");
    check(
        requests(state, "DELETE", "/lxc/9101").length === 0 &&
            requests(state, "POST", "/nodes/pve1/lxc").length === requests(before, "POST", "/nodes/pve1/lxc").length,
        "no container is replaced or created",
    );
    setConfig("contract:mode", "replica");
    up("env change");
    const after = await control("GET", "/state");
    check(String(ct(after, 9101)?.config.env).split("\0").includes("DB_MODE=replica"), "env changes in place");
    check(requests(after, "POST", "/lxc/9101/status/reboot").length === 1, "an env change restarts the container (env applies at start)");
    setConfig("contract:password", c.PASSWORD_2, true);
    const pushed = sshLog().length;
    up("password change");
    const rotated = sshLog()
        .slice(pushed)
        .find((e) => e.file?.path === "/run/secrets/db-password");
    check(rotated?.file.content === c.PASSWORD_2 && rotated.file.mode === "400", "a changed secret file is pushed again, 0400");
    check(
        requests(await control("GET", "/state"), "POST", "/lxc/9101/status/reboot").length === 2,
        "a changed file restarts the container",
    );
}

async function replaceImage() {
    setConfig("contract:image", c.image("2.0"));
    up("image change");
    const state = await control("GET", "/state");
    check(requests(state, "DELETE", "/lxc/9101").length === 1, "a new image replaces the container");
    check(String(ct(state, 9101)?.config.env).split("\0").includes("APP_VERSION=2.0"), "the new container runs the new image's env");
    check(mountsVolume(ct(state, 9101)?.config), "the new container mounts the same data volume");
    check(state.volumes.data.includes(VOLUME), "the holder-owned volume survives the replacement");
}

async function faults() {
    await control("POST", "/lock", { vmid: 9101, lock: "backup" });
    setConfig("contract:memoryMb", "640");
    let res = pulumi("up", "--yes", "--skip-preview");
    check(
        res.status !== 0 && /PUT \/nodes\/pve1\/lxc\/9101\/config: HTTP \d+: CT is locked \(backup\)/.test(res.out),
        "a locked container fails the update, naming the API path and PVE's message",
    );
    await control("POST", "/lock", { vmid: 9101, lock: null });
    up("after the lock is gone");

    await control("POST", "/revoke", { privilege: "VM.Config.Memory" });
    setConfig("contract:memoryMb", "768");
    res = pulumi("up", "--yes", "--skip-preview");
    check(
        res.status !== 0 && /HTTP 403: Permission check failed \(\/vms\/9101, VM\.Config\.Memory\)/.test(res.out),
        "a missing privilege fails with PVE's 403 message",
    );
    await control("POST", "/reset");
    up("after the privilege is back");

    await control("POST", "/fail", { method: "POST", suffix: "/nodes/pve1/lxc/9101/status/reboot", error: "did_not_stop", times: 1 });
    setConfig("contract:password", c.PASSWORD_1, true);
    res = pulumi("up", "--yes", "--skip-preview");
    check(
        res.status !== 0 && /task reboot of CT 9101 failed: container did not stop/.test(res.out),
        "a failed task fails the update with the task's exit status",
    );
    up("after the failed task, the restart is retried");
    const preview = pulumi("preview", "--expect-no-changes");
    check(preview.status === 0, "and then nothing is left to do");
}

async function unhealthy() {
    // A new health deadline runs every readiness check again; web's now fails inside its container.
    writeFileSync(join(c.work, "unhealthy-9102"), "");
    setConfig("lakeforge:proxmox.healthTimeoutSeconds", "20");
    const res = pulumi("up", "--yes", "--skip-preview");
    check(
        res.status !== 0 &&
            /container 9102 is unhealthy after 3 consecutive failed health checks[\s\S]*fake: service not ready/.test(res.out),
        "a failing health check fails the update with the check's last output",
    );
    rmSync(join(c.work, "unhealthy-9102"));
    up("once the service is healthy again");
}

async function olderGate() {
    // The state of containers made before the gate script had a version, as an upgrade of lakeforge finds it.
    const file = join(c.work, "state.json");
    const exported = pulumi("stack", "export", "--file", file);
    if (exported.status !== 0) throw new Error(exported.out);
    const state = JSON.parse(readFileSync(file, "utf8"));
    const containers = state.deployment.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/lakeforge:ProxmoxContainer");
    for (const r of containers) for (const side of [r.inputs, r.outputs]) delete side.gate;
    writeFileSync(file, JSON.stringify(state));
    const imported = pulumi("stack", "import", "--file", file);
    if (imported.status !== 0) throw new Error(imported.out);
    const before = await control("GET", "/state");
    up("containers from before the gate's version");
    const after = await control("GET", "/state");
    for (const vmid of [9101, 9102]) {
        const puts = requests(after, "PUT", `/lxc/${vmid}/config`).slice(requests(before, "PUT", `/lxc/${vmid}/config`).length);
        const reboots =
            requests(after, "POST", `/lxc/${vmid}/status/reboot`).length - requests(before, "POST", `/lxc/${vmid}/status/reboot`).length;
        check(
            containers.length === 2 && puts.some(([, , body]) => body.includes("entrypoint")) && reboots === 1,
            `container ${vmid} gets the current gate in place, with one restart`,
        );
    }
    const deletes = (s) => requests(s, "DELETE", "/lxc/9101").length + requests(s, "DELETE", "/lxc/9102").length;
    check(deletes(after) === deletes(before), "and none is replaced");
    check(pulumi("preview", "--expect-no-changes").status === 0, "then nothing is left to do");
}

/** Logging on: console log lines in the containers' configs over node SSH, the directory for the collector; then off again. */
async function consoleLogs() {
    const dir = join(c.work, "logs", "contract");
    const conf = (vmid) => readFileSync(join(c.work, "pve", "lxc", `${vmid}.conf`), "utf8");
    const ids = (path) => {
        const st = statSync(path);
        return `${st.uid}:${st.gid} ${(st.mode & 0o777).toString(8)}`;
    };
    setConfig("lakeforge:proxmox.logDir", join(c.work, "logs"));
    setConfig("contract:logs", "true");
    const before = await control("GET", "/state");
    up("logging on");
    const state = await control("GET", "/state");
    check(ids(dir) === "100473:100473 750", "the stack's log directory belongs to the collector's mapped user, 0750");
    check(readFileSync(join(c.work, "logrotate.d", "lakeforge-contract"), "utf8").includes(`${dir}/*.log {`), "with its logrotate rule");
    check(conf(9101).includes(`lxc.console.logfile: ${dir}/db.log\n`), "db's console goes to its file (a raw line in its config)");
    check(ids(join(dir, "db.log")) === "100473:100473 640", "which exists before the start, 0640, for the collector only");
    check(
        conf(9102).includes(`lxc.mount.entry: ${dir} var/log/lakeforge none bind,ro,create=dir 0 0\n`) && !existsSync(join(dir, "web.log")),
        "the collector gets the directory read-only, and no log of its own",
    );
    const reboots = (s, vmid) => requests(s, "POST", `/lxc/${vmid}/status/reboot`).length;
    check(reboots(state, 9101) === reboots(before, 9101) + 1, "db is restarted once, in place, for its console log");
    check(requests(state, "DELETE", "/lxc/9101").length === requests(before, "DELETE", "/lxc/9101").length, "and not replaced");
    check(pulumi("preview", "--expect-no-changes").status === 0, "then a second preview shows no change");
    setConfig("contract:logs", "false");
    up("logging off");
    check(!conf(9101).includes("lxc.console") && !conf(9102).includes("lxc.mount.entry"), "logging off removes the raw lines");
    check(!existsSync(dir) && !existsSync(join(c.work, "logrotate.d", "lakeforge-contract")), "and the directory and its rule");
}

async function destroy() {
    const res = pulumi("destroy", "--yes", "--skip-preview");
    if (res.status !== 0) console.log(res.out);
    check(res.status === 0, "destroy succeeds");
    const state = await control("GET", "/state");
    check(state.cts.length === 0, "destroy removes the containers");
    check(state.volumes.data.includes(VOLUME), "destroy keeps the data volume");
    check(
        state.volumes.local.some((v) => v.startsWith("vztmpl/lakeforge_contract.example_app")),
        "destroy keeps the templates",
    );
}

const started = Date.now();
try {
    const pve = await c.setUp();
    if (process.argv[2] !== "homelab") {
        await planErrorsFirst();
        await createAndPreview();
        await updateInPlace();
        await replaceImage();
        await faults();
        await unhealthy();
        await olderGate();
        await consoleLogs();
        await destroy();
    }
    await homelabPreview(pve);
} catch (err) {
    console.error(err);
    check(false, "the tier ran to the end");
} finally {
    c.tearDown();
}
console.log(
    `proxmox API contract tier: ${c.failures() === 0 ? "OK" : `${c.failures()} FAILED`} in ${Math.round((Date.now() - started) / 1000)} s`,
);
process.exit(c.failures() === 0 ? 0 : 1);
