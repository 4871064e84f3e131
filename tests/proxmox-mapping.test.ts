import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { containerFiles, PLAIN_MODE, SECRET_MODE } from "../src/runtime/proxmox/files";
import {
    cpuSettings,
    GATE_STATUS_FILE,
    GATE_VERSION,
    gatedArgv,
    gatedEntrypoint,
    hostsFile,
    mergeEnv,
    mutableConfig,
    net0,
    pveEnv,
    pveTags,
    secretEnvFile,
    serviceArgv,
    templateFileName,
    type ImageConfig,
} from "../src/runtime/proxmox/mapping";
import { proxmoxSettingsSchema, type ProxmoxSettings } from "../src/runtime/proxmox/settings";
import { diffContainer, diffVolume } from "../src/runtime/proxmox/diff";
import { updateFiles } from "../src/runtime/proxmox/guest-impl";
import { imageConfigFromPve, removedKeys, type ContainerInputs } from "../src/runtime/proxmox/container-impl";
import type { ServiceSpec } from "../src/runtime/spec";

const settings: ProxmoxSettings = proxmoxSettingsSchema.parse({
    endpoint: "https://pve.lan:8006",
    node: "pve",
    apiToken: "lakeforge@pve!deploy=secret",
    insecure: true,
    ssh: { privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----", insecureHostKey: true },
    storage: { volumes: "local-zfs" },
    network: { cidr: "10.20.0.0/24", gateway: "10.20.0.1", vlan: 20, dns: ["10.20.0.1"], searchDomain: "lan" },
    services: { postgres: { vmid: 9101, address: "10.20.0.11" } },
    volumeOwner: 9199,
    tags: ["lakeforge", "homelab"],
});

const image: ImageConfig = {
    env: ["PATH=/usr/local/bin:/usr/bin:/bin", "PGDATA=/var/lib/postgresql/data"],
    entrypoint: ["docker-entrypoint.sh"],
    cmd: ["postgres"],
    user: "",
};

const spec: ServiceSpec = {
    name: "postgres",
    image: "postgres:16.15-alpine@sha256:" + "a".repeat(64),
    command: ["postgres", "-c", "listen_addresses=*"],
    env: { PGDATA: "/var/lib/postgresql/data/pgdata", POSTGRES_USER: "admin" },
    secretEnv: {},
    files: [
        { path: "/etc/lakeforge/pg.conf", content: "max_connections = 50\n", secret: false },
        { path: "/run/secrets/password", content: "s3cret", secret: true },
    ],
    ports: [{ name: "postgresql", port: 5432, scheme: "postgresql" }],
    volumes: [{ name: "data", path: "/var/lib/postgresql/data" }],
    healthCheck: { command: ["pg_isready", "-U", "admin"], intervalSeconds: 5, timeoutSeconds: 3, retries: 10, startPeriodSeconds: 10 },
    resources: { memoryMb: 1024, cpus: 1.5 },
    user: "70:70",
    capabilities: [],
    readOnlyRootFilesystem: false,
};

describe("ServiceSpec -> PVE container parameters", () => {
    it("maps the in-place settings of a service (snapshot)", () => {
        const config = mutableConfig(
            spec,
            settings,
            { vmid: 9101, address: "10.20.0.11", order: 3, rootfsGb: 4, volumeIds: ["local-zfs:subvol-9199-lakeforge-postgres-data"] },
            "homelab",
        );
        expect(config).toMatchSnapshot();
        expect(config["startup"]).toBe("order=3");
        expect(config["mp0"]).toBe("local-zfs:subvol-9199-lakeforge-postgres-data,mp=/var/lib/postgresql/data,backup=1");
    });

    it("schedules fractional CPUs on whole cores with a limit", () => {
        expect(cpuSettings(0.5)).toEqual({ cores: 1, cpulimit: 0.5 });
        expect(cpuSettings(1.5)).toEqual({ cores: 2, cpulimit: 1.5 });
        expect(cpuSettings(2)).toEqual({ cores: 2, cpulimit: 2 });
    });

    it("puts the static address on the bridge with the VLAN, applied by the host", () => {
        expect(net0(settings, "10.20.0.11")).toBe("name=eth0,bridge=vmbr0,ip=10.20.0.11/24,gw=10.20.0.1,host-managed=1,tag=20");
    });

    it("writes tags as PVE stores them (sorted; the schema refuses upper case), so a read-back shows no drift", () => {
        expect(pveTags(settings, "postgres")).toBe("homelab;lakeforge;postgres");
    });

    it("keeps the image's PATH when the spec sets its own variables, and joins them with NUL", () => {
        const env = mergeEnv(image.env, spec.env);
        expect(env).toEqual({ PATH: "/usr/local/bin:/usr/bin:/bin", PGDATA: "/var/lib/postgresql/data/pgdata", POSTGRES_USER: "admin" });
        expect(pveEnv(env)).toBe("PATH=/usr/local/bin:/usr/bin:/bin\0PGDATA=/var/lib/postgresql/data/pgdata\0POSTGRES_USER=admin");
    });

    it("runs what Docker would run: a command replaces Cmd, an entrypoint replaces both", () => {
        expect(serviceArgv({ name: "x" }, image)).toEqual(["docker-entrypoint.sh", "postgres"]);
        expect(serviceArgv({ name: "x", command: ["postgres", "-c", "a=b"] }, image)).toEqual([
            "docker-entrypoint.sh",
            "postgres",
            "-c",
            "a=b",
        ]);
        expect(serviceArgv({ name: "x", entrypoint: ["/bin/run"] }, image)).toEqual(["/bin/run"]);
        expect(() => serviceArgv({ name: "x" }, { ...image, entrypoint: [], cmd: [] })).toThrow(/neither the spec nor the image/);
    });

    it("keeps no secret in anything PVE stores: env, description, tags", () => {
        const withSecret = { ...spec, secretEnv: { REGISTRY_HTTP_SECRET: "generated-password-x" } };
        const config = mutableConfig(
            withSecret,
            settings,
            { vmid: 1, address: "10.20.0.11", order: 1, rootfsGb: 4, volumeIds: ["v"] },
            "s",
        );
        expect(JSON.stringify(config)).not.toContain("generated-password");
        expect(pveEnv(mergeEnv(image.env, withSecret.env))).not.toContain("generated-password");
    });
});

describe("the gated entrypoint", () => {
    /** Runs PVE's entrypoint string as LXC runs lxc.init.cmd (split on spaces, no quoting, no shell), with the gate's paths swapped into `dir`. */
    function runGate(argv: string[], dir: string, timeout = 5000): string {
        const line = gatedEntrypoint(argv)
            .replaceAll("/etc/lakeforge/.ready", `${dir}/ready`)
            .replaceAll("/etc/lakeforge/secret.env", `${dir}/secret.env`)
            .replaceAll(GATE_STATUS_FILE, `${dir}/status`);
        const [command = "", ...args] = line.split(" ").filter((w) => w !== "");
        // The gate exits with the stopped service's status: what matters here is what the service did.
        return spawnSync(command, args, { encoding: "utf8", timeout, stdio: ["ignore", "pipe", "pipe"] }).stdout;
    }
    const tmpDir = (): string => execFileSync("mktemp", ["-d"], { encoding: "utf8" }).trim();

    it("waits for the marker, loads secret.env without its values in argv, then runs the service's argv intact", () => {
        const dir = tmpDir();
        execFileSync("/bin/sh", [
            "-c",
            `touch ${dir}/ready; printf '%s' "$0" > ${dir}/secret.env`,
            secretEnvFile({ TOKEN: 'it\'s a "secret" $x' }),
        ]);
        // The service stops its supervisor (its parent) as PVE's shutdown would, or the gate would restart it.
        const out = runGate(["/bin/sh", "-c", 'printf "%s|%s|%s" "$TOKEN" "$1" "$2"; kill -PWR $PPID', "argv0", "two words", "it's"], dir);
        expect(out).toBe(`it's a "secret" $x|two words|it's`);
        expect(gatedEntrypoint(["run"])).not.toContain('secret"');
    });

    it("is four words for LXC's split on spaces, whatever the argv, and gives the argv back", () => {
        const argv = ["/bin/sh", "-c", 'exec java -Dx="a b" %s \\n', "it's", "tab\there", "ünïcode"];
        const entrypoint = gatedEntrypoint(argv);
        expect(entrypoint.split(" ")).toHaveLength(4);
        expect(entrypoint).toMatch(/^\/bin\/sh -c \S+ lakeforge-gate$/);
        expect(gatedArgv(entrypoint)).toEqual(argv);
        expect(gatedArgv("/usr/bin/app serve")).toBeUndefined();
    });

    it("restarts a service that exits, after 1 s then 2 s while it keeps failing, recording each restart", () => {
        const dir = tmpDir();
        execFileSync("touch", [`${dir}/ready`]);
        const started = Date.now();
        // Each run logs its start and fails; the third stops the supervisor with SIGTERM.
        runGate(["/bin/sh", "-c", `date +%s >> ${dir}/runs; [ $(wc -l < ${dir}/runs) -lt 3 ] || kill -TERM $PPID; exit 7`], dir, 15000);
        const runs = readFileSync(`${dir}/runs`, "utf8").trim().split("\n").map(Number);
        expect(runs).toHaveLength(3);
        expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
        expect(readFileSync(`${dir}/status`, "utf8")).toMatch(/^restarts=2 exit=7 ran=[01]s next=2s\n$/);
    });

    it("renders /etc/hosts from the static plan, sorted", () => {
        expect(hostsFile({ vault: "10.20.0.12", postgres: "10.20.0.11" })).toMatchSnapshot();
    });
});

describe("files pushed into a container", () => {
    it("writes secret files and secret.env 0400, plain ones 0444, owned by the service's user", () => {
        const files = containerFiles(
            spec,
            { REGISTRY_HTTP_SECRET: "x" },
            ["max_connections = 50\n", "s3cret"],
            { postgres: "10.20.0.11" },
            image,
        );
        expect(files.map((f) => [f.path, f.mode.toString(8), f.owner ?? "root"])).toEqual([
            ["/etc/lakeforge/pg.conf", PLAIN_MODE.toString(8), "70:70"],
            ["/run/secrets/password", SECRET_MODE.toString(8), "70:70"],
            ["/etc/lakeforge/secret.env", "400", "70:70"],
            ["/etc/hosts", "644", "root"],
            ["/etc/.pve-ignore.hosts", "644", "root"],
        ]);
    });
});

describe("pull mode: the image config as PVE wrote it into the container", () => {
    it("reads env (NUL-separated), the joined entrypoint and the init user back", () => {
        const written = {
            env: "PATH=/bin\0HOME=/root",
            entrypoint: "/usr/bin/app serve",
            lxc: [
                ["lxc.init.uid", "70"],
                ["lxc.init.gid", "70"],
            ] as [string, string][],
        };
        expect(imageConfigFromPve(written, "db", {})).toEqual({
            env: ["PATH=/bin", "HOME=/root"],
            entrypoint: ["/usr/bin/app", "serve"],
            cmd: [],
            user: "70:70",
        });
    });

    it("refuses a command without an entrypoint, which a joined Entrypoint+Cmd cannot take", () => {
        expect(() => imageConfigFromPve({ entrypoint: "/usr/bin/app serve" }, "db", { command: ["other"] })).toThrow(
            /lakeforge:proxmox\.images\.transport: service db replaces its image's command/,
        );
    });

    it("deletes config keys a change removed (a volume, the search domain)", () => {
        expect(removedKeys({ memory: 1, mp1: "x", searchdomain: "lan" }, { memory: 2 })).toEqual(["mp1", "searchdomain"]);
    });
});

describe("diffs", () => {
    const base = {
        service: "postgres",
        vmid: 9101,
        rootfsGb: 4,
        env: {},
        create: { ostemplate: "local:vztmpl/a.tar", rootfs: "local-lvm:4", unprivileged: 1, vmid: 9101 },
        config: { memory: 512 },
        pve: { endpoint: "e", node: "n", insecure: false },
        apiToken: "t",
    } as unknown as ContainerInputs;

    it("updates a container in place for memory, env or a bigger root file system", () => {
        expect(diffContainer(base, { ...base, config: { memory: 1024 } })).toEqual({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        expect(diffContainer(base, { ...base, env: { A: "b" } }).replaces).toEqual([]);
        expect(diffContainer(base, { ...base, rootfsGb: 8, create: { ...base.create, rootfs: "local-lvm:8" } }).replaces).toEqual([]);
    });

    it("replaces a container only for a new image or root file system storage", () => {
        expect(diffContainer(base, { ...base, create: { ...base.create, ostemplate: "local:vztmpl/b.tar" } }).replaces).toEqual([
            "create.ostemplate",
        ]);
        expect(diffContainer(base, { ...base, create: { ...base.create, rootfs: "local-zfs:4" } }).replaces).toEqual(["create.rootfs"]);
        expect(diffContainer(base, { ...base }).changes).toBe(false);
    });

    it("updates in place, never replaces, a container made with another gate script (or before the gate had a version)", () => {
        const withGate = { ...base, gate: GATE_VERSION };
        expect(diffContainer(base, withGate)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
        expect(diffContainer({ ...base, gate: "0123456789ab" }, withGate).changes).toBe(true);
        expect(diffContainer(withGate, withGate).changes).toBe(false);
    });

    it("never replaces a data volume: a move is refused", () => {
        const volume = { storage: "local-zfs", owner: 9199, name: "postgres-data", sizeGb: 10, pve: base.pve, apiToken: "t" };
        expect(diffVolume(volume, { ...volume, sizeGb: 20 })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
        expect(() => diffVolume(volume, { ...volume, storage: "local-lvm" })).toThrow(/never replaces a data volume/);
    });

    it("names templates by repository, tag and digest", () => {
        expect(templateFileName(`postgres:16.15-alpine@sha256:${"ab".repeat(32)}`)).toBe(
            "lakeforge_postgres_16.15-alpine_abababababab.tar",
        );
        expect(templateFileName("quay.io/openbao/openbao:2.7.1")).toBe("lakeforge_quay.io_openbao_openbao_2.7.1.tar");
    });
});

describe("files provider", () => {
    const files = {
        pve: { endpoint: "https://127.0.0.1:1", node: "pve", insecure: true },
        apiToken: "t",
        ssh: { host: "127.0.0.1", port: 1, user: "root", insecureHostKey: true, sudo: false },
        sshKey: "k",
        vmid: 9101,
        instance: "a",
        files: [],
        hash: "h1",
    };

    it("neither pushes nor restarts when only the credentials to reach the node changed", async () => {
        // Port 1 answers nothing: any push or restart would fail this.
        await expect(updateFiles(files, { ...files, apiToken: "rotated", sshKey: "rotated" })).resolves.toBeUndefined();
        await expect(updateFiles(files, { ...files, hash: "h2" })).rejects.toThrow();
    });
});
