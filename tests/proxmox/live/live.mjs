// The proxmox live tier: the contract tier's small stack (../fakepve/program) on a real PVE 9.1+ node,
// with a real image, through the real Pulumi engine. It checks what the fakes cannot: that PVE takes
// the gated entrypoint and the merged env, that the service passes its health check inside the
// container, that a new image keeps the holder-owned volume, that a container's console reaches its
// log file on the node (logging), and that destroy keeps the volume.
// Settings come from LAKEFORGE_PVE_* (run.sh lists them); the containers use the vmids and addresses given.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as c from "../fakepve/contract.mjs";

const e = process.env;
const [dbVmid, webVmid, owner] = e.LAKEFORGE_PVE_VMIDS.split(",").map(Number);
const [dbAddress, webAddress] = e.LAKEFORGE_PVE_ADDRESSES.split(",");
const images = [e.LAKEFORGE_PVE_IMAGE ?? "docker.io/library/busybox:1.37.0", e.LAKEFORGE_PVE_IMAGE2 ?? "docker.io/library/busybox:1.36.1"];
const settings = {
    endpoint: e.LAKEFORGE_PVE_ENDPOINT,
    node: e.LAKEFORGE_PVE_NODE,
    ...(e.LAKEFORGE_PVE_CA_FILE ? { caCert: readFileSync(e.LAKEFORGE_PVE_CA_FILE, "utf8") } : { insecure: true }),
    ssh: {
        ...(e.LAKEFORGE_PVE_SSH_HOST ? { host: e.LAKEFORGE_PVE_SSH_HOST } : {}),
        ...(e.LAKEFORGE_PVE_SSH_PORT ? { port: Number(e.LAKEFORGE_PVE_SSH_PORT) } : {}),
        user: e.LAKEFORGE_PVE_SSH_USER ?? "root",
        hostKey: e.LAKEFORGE_PVE_SSH_HOSTKEY,
        sudo: e.LAKEFORGE_PVE_SSH_USER !== undefined && e.LAKEFORGE_PVE_SSH_USER !== "root",
    },
    storage: {
        rootfs: e.LAKEFORGE_PVE_STORAGE_ROOTFS ?? "local-lvm",
        volumes: e.LAKEFORGE_PVE_STORAGE_VOLUMES,
        templates: e.LAKEFORGE_PVE_STORAGE_TEMPLATES ?? "local",
    },
    images: { transport: e.LAKEFORGE_PVE_TRANSPORT ?? "pull" },
    network: { bridge: e.LAKEFORGE_PVE_BRIDGE ?? "vmbr0", cidr: e.LAKEFORGE_PVE_CIDR, gateway: e.LAKEFORGE_PVE_GATEWAY },
    services: { db: { vmid: dbVmid, address: dbAddress, volumesGb: { data: 1 } }, web: { vmid: webVmid, address: webAddress } },
    volumeOwner: owner,
};

// busybox: httpd in the foreground, healthy once it listens (a pulled image's Entrypoint and Cmd come joined, so both are given).
const { PveApi } = await import(join(c.repo, "bin", "src", "runtime", "proxmox", "pve-api.js"));
const api = new PveApi({ ...settings, apiToken: e.LAKEFORGE_PVE_TOKEN });
const config = (vmid) => api.call("GET", api.nodePath(`/lxc/${vmid}/config`));
const status = async (vmid) => (await api.call("GET", api.nodePath(`/lxc/${vmid}/status/current`))).status;
const volumes = async () =>
    (await api.call("GET", api.nodePath(`/storage/${settings.storage.volumes}/content`), { vmid: owner })).map((v) => v.volid);

async function run() {
    c.initStack(settings);
    c.setConfig("lakeforge:proxmox.apiToken", e.LAKEFORGE_PVE_TOKEN, true);
    c.setConfig("lakeforge:proxmox.ssh.privateKey", readFileSync(e.LAKEFORGE_PVE_SSH_KEY_FILE, "utf8"), true);
    c.setConfig("contract:image", images[0]);
    c.setConfig("contract:mode", "primary");
    c.setConfig("contract:memoryMb", "128");
    c.setConfig("contract:password", "live-tier-password", true);
    for (const [key, value] of [
        ["entrypoint", ["httpd"]],
        ["command", ["-f", "-p", "8080", "-h", "/data"]],
        ["webArgv", ["httpd", "-f", "-p", "8080"]],
        ["health", ["sh", "-c", "netstat -ltn | grep -q :8080"]],
    ]) {
        const res = c.pulumi("config", "set", `contract:${key}`, JSON.stringify(value));
        if (res.status !== 0) throw new Error(res.out);
    }
    c.up("create");
    const db = await config(dbVmid);
    c.check(
        (await status(dbVmid)) === "running" && (await status(webVmid)) === "running",
        "both containers run after the gate opened and their health checks passed",
    );
    c.check(db.unprivileged === 1, "unprivileged");
    c.check(
        String(db.env)
            .split("\0")
            .some((v) => v.startsWith("PATH=")) && String(db.env).includes("DB_MODE=primary"),
        "PVE kept the merged env (image PATH + spec variables) that lakeforge set after create",
    );
    c.check(String(db.entrypoint).includes("lakeforge-gate"), "PVE kept the gated entrypoint");
    c.check(!JSON.stringify(db).includes("live-tier-password"), "no credential in the container's config");
    const preview = c.pulumi("preview", "--expect-no-changes");
    c.check(preview.status === 0, "a second preview shows no change");
    c.setConfig("contract:memoryMb", "192");
    c.up("memory change");
    c.check((await config(dbVmid)).memory === 192, "memory changed in place");
    const volid = (await volumes()).find((v) => v.includes(`subvol-${owner}-lakeforge-db-data`));
    c.check(volid !== undefined, `the data volume is owned by ${owner}`);
    c.setConfig("contract:image", images[1]);
    c.up("image change");
    c.check(String((await config(dbVmid)).mp0).startsWith(`${volid},`), "the new container mounts the same volume");
    await consoleLog();
    const destroy = c.pulumi("destroy", "--yes", "--skip-preview");
    c.check(destroy.status === 0, "destroy succeeds");
    c.check((await volumes()).includes(volid), `destroy keeps ${volid} (free it with: pvesm free ${volid})`);
}

/** Logging on: the gate's line about a killed service reaches db's console log on the node; then off. */
async function consoleLog() {
    const { connectNode } = await import(join(c.repo, "bin", "src", "runtime", "proxmox", "node-ssh.js"));
    const node = await connectNode({
        ...settings.ssh,
        port: settings.ssh.port ?? 22,
        privateKey: readFileSync(e.LAKEFORGE_PVE_SSH_KEY_FILE, "utf8"),
    });
    const file = "/var/log/lakeforge/contract/db.log";
    try {
        c.setConfig("contract:logs", "true");
        c.up("logging on");
        const conf = await node.host(`cat "$1"`, [`/etc/pve/lxc/${dbVmid}.conf`]);
        c.check(conf.stdout.includes(`lxc.console.logfile: ${file}`), "PVE kept lakeforge's lxc.console.logfile line");
        const web = await node.host(`cat "$1"`, [`/etc/pve/lxc/${webVmid}.conf`]);
        c.check(
            web.stdout.includes("lxc.mount.entry: /var/log/lakeforge/contract var/log/lakeforge"),
            "and the collector's bind mount line",
        );
        c.check((await status(webVmid)) === "running", "the collector runs with the bind mount");
        const stat = await node.host(`stat -c "%u:%g %a" "$1"`, [file]);
        c.check(stat.stdout.trim() === "100473:100473 640", `the log file is the collector's, 0640 (found ${stat.stdout.trim()})`);
        await node.exec(dbVmid, ["killall", "httpd"]);
        let text = "";
        for (let i = 0; i < 30 && !text.includes("lakeforge-gate: httpd exited"); i++) {
            await new Promise((r) => setTimeout(r, 1000));
            text = (await node.host(`cat "$1"`, [file])).stdout;
        }
        c.check(
            text.includes("lakeforge-gate: httpd exited"),
            "the application container's console (the gate's restart line) is in the file",
        );
        c.setConfig("contract:logs", "false");
        c.up("logging off");
        c.check(
            (await node.host(`test ! -e "$1"`, ["/var/log/lakeforge/contract"])).code === 0,
            "logging off removes the stack's log directory",
        );
    } finally {
        node.close();
    }
}

const started = Date.now();
try {
    await run();
} catch (err) {
    console.error(err);
    c.check(false, "the tier ran to the end");
} finally {
    await api.close();
    c.tearDown();
}
console.log(`proxmox live tier: ${c.failures() === 0 ? "OK" : `${c.failures()} FAILED`} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(c.failures() === 0 ? 0 : 1);
