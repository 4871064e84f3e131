/* eslint-disable @typescript-eslint/no-explicit-any -- config fixtures are edited by key path, as a user edits YAML */
import { beforeAll, describe, expect, it } from "vitest";
import { renderAlloyConfig } from "../components/logging/alloy-config";
import { collectorMountLines, consoleLogLines, hostIds, logrotateRule, withRawLines } from "../src/runtime/proxmox/console-log";
import { diffContainer } from "../src/runtime/proxmox/diff";
import type { ContainerInputs } from "../src/runtime/proxmox/container-impl";
import { credentialLeaks, deployConfig } from "./support/deploy";
import { at, isSecretInput, ofType, one, plain, type Recorded } from "./support/mocks";
import { stackConfig, toAllConfig } from "./support/stack";

const CONTAINER = "pulumi-nodejs:dynamic/lakeforge:ProxmoxContainer";
const CONSOLE_LOGS = "pulumi-nodejs:dynamic/lakeforge:ProxmoxConsoleLogs";

describe("a container config's raw lines", () => {
    const pve = ["arch: amd64", "hostname: trino", "lxc.init.cwd: /", "memory: 4096", "net0: name=eth0,bridge=vmbr0"].join("\n");

    it("adds lakeforge's lines to the current configuration, keeping every other line and each snapshot section", () => {
        const conf = `${pve}\n\n[before-upgrade]\narch: amd64\nlxc.console.logfile: /old/trino.log\nsnaptime: 1700000000\n`;
        const out = withRawLines(conf, consoleLogLines("/var/log/lakeforge/homelab/trino.log"));
        expect(out).toBe(
            `${pve}\nlxc.console.logfile: /var/log/lakeforge/homelab/trino.log\n\n[before-upgrade]\narch: amd64\nlxc.console.logfile: /old/trino.log\nsnaptime: 1700000000\n`,
        );
    });

    it("replaces its own lines rather than adding them twice, and removes them when none are wanted", () => {
        const once = withRawLines(`${pve}\n`, consoleLogLines("/a/trino.log"));
        expect(withRawLines(once, consoleLogLines("/a/trino.log"))).toBe(once);
        expect(withRawLines(once, consoleLogLines("/b/trino.log")).match(/lxc\.console\.logfile/g)).toHaveLength(1);
        expect(withRawLines(once, [])).toBe(`${pve}\n`);
        const mount = withRawLines(
            `${pve}\nlxc.mount.entry: /dev/dri dev/dri none bind,optional,create=dir\n`,
            collectorMountLines("/l/s"),
        );
        expect(mount).toContain("lxc.mount.entry: /dev/dri dev/dri none bind,optional,create=dir\n");
        expect(withRawLines(mount, [])).toContain("/dev/dri");
        expect(withRawLines(mount, [])).not.toContain("var/log/lakeforge");
    });

    it("maps the collector's ids to the node's, as PVE's unprivileged containers do", () => {
        expect(hostIds("473:473")).toBe("100473:100473");
        expect(hostIds(undefined)).toBe("100000:100000");
        expect(() => hostIds("alloy")).toThrow(/numeric uid:gid/);
    });

    it("rotates each log at 10 MB keeping 3, by copy and truncate (LXC keeps its file open)", () => {
        expect(logrotateRule("/var/log/lakeforge/homelab")).toMatch(/^\/var\/log\/lakeforge\/homelab\/\*\.log \{$/m);
        expect(logrotateRule("/x")).toMatch(/size 10M[\s\S]*rotate 3[\s\S]*copytruncate/);
    });

    it("changes a container in place (a config edit and a restart) when its raw lines change", () => {
        const olds = { vmid: 150, create: { ostemplate: "t" }, raw: [] } as unknown as ContainerInputs;
        const news = { ...olds, raw: consoleLogLines("/l/s/trino.log") };
        expect(diffContainer(olds, news)).toMatchObject({ changes: true, replaces: [] });
        expect(diffContainer(news, news)).toMatchObject({ changes: false });
    });
});

describe("Alloy on console log files", () => {
    it("tails every service's file, labels it with the file's name, and leaves its own out", () => {
        const text = renderAlloyConfig({
            delivery: { kind: "files", dir: "/var/log/lakeforge" },
            pushUrl: "http://loki:3100/x",
            collector: "alloy",
        });
        expect(text).toContain(`"__path__" = "/var/log/lakeforge/*.log"`);
        expect(text).toContain(`regex         = "/var/log/lakeforge/(.+)\\\\.log"`);
        expect(text).toMatch(/source_labels = \["service"\]\s+regex\s+= "alloy"\s+action\s+= "drop"/);
        expect(text).toMatchSnapshot();
    });
});

describe("the homelab stack with logging", () => {
    let recorded: Recorded[];

    beforeAll(async () => {
        const config = stackConfig("homelab");
        const proxmox = JSON.parse(config["lakeforge:proxmox"] ?? "{}") as Record<string, any>;
        const components = JSON.parse(config["lakeforge:components"] ?? "{}") as Record<string, any>;
        components["logging"] = { enabled: true };
        proxmox["services"] = {
            ...proxmox["services"],
            loki: { vmid: 160, address: "192.168.4.60" },
            alloy: { vmid: 161, address: "192.168.4.61" },
        };
        proxmox["logDir"] = "/srv/logs";
        ({ recorded } = await deployConfig("homelab", {
            ...config,
            ...toAllConfig({ "lakeforge:proxmox": proxmox, "lakeforge:components": components }),
        }));
    });

    it("prepares one directory for the stack, owned by the collector's mapped user", () => {
        const logs = one(recorded, CONSOLE_LOGS, "console-logs");
        expect(at(logs.inputs, "dir")).toBe("/srv/logs/homelab");
        expect(at(logs.inputs, "owner")).toBe("100473:100473");
        expect(isSecretInput(logs.inputs["sshKey"])).toBe(true);
    });

    it("writes every other service's console to its own file there, readable by the collector alone", () => {
        const services = ofType(recorded, CONTAINER).filter((c) => c.name !== "alloy");
        expect(services.length).toBeGreaterThan(15);
        for (const c of services) {
            expect(plain(c.inputs["raw"]), c.name).toEqual([`lxc.console.logfile: /srv/logs/homelab/${c.name}.log`]);
            expect(plain(c.inputs["logFile"]), c.name).toEqual({ path: `/srv/logs/homelab/${c.name}.log`, owner: "100473:100473" });
            expect(isSecretInput(c.inputs["sshKey"]), c.name).toBe(true);
        }
    });

    it("gives the collector the directory read-only, and a pipeline that reads it", () => {
        const alloy = one(recorded, CONTAINER, "alloy");
        expect(plain(alloy.inputs["raw"])).toEqual(["lxc.mount.entry: /srv/logs/homelab var/log/lakeforge none bind,ro,create=dir 0 0"]);
        expect(alloy.inputs["logFile"]).toBeUndefined();
        const files = plain<{ path: string; content: unknown }[]>(
            one(recorded, "pulumi-nodejs:dynamic/lakeforge:ProxmoxFiles", "alloy-files").inputs["files"],
        );
        expect(String(plain(files.find((f) => f.path === "/etc/alloy/lakeforge.alloy")?.content))).toContain('local.file_match "platform"');
    });

    it("puts no credential in plaintext in any input", () => {
        expect(recorded.flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`))).toEqual([]);
    });
});
