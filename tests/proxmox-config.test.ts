/* eslint-disable @typescript-eslint/no-explicit-any -- config fixtures are edited by key path, as a user edits YAML */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config";
import { PROXMOX_DEFAULTS } from "../src/runtime/proxmox/settings";
import { configProblems, stackConfig } from "./support/stack";

/** A valid proxmox config; each case below changes one thing. */
function valid(): Record<string, unknown> {
    return {
        "lakeforge:target": "proxmox",
        "lakeforge:proxmox": {
            endpoint: "https://pve.lan:8006",
            node: "pve",
            apiToken: "lakeforge@pve!deploy=secret",
            caCert: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n",
            ssh: {
                privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n",
                hostKey: `SHA256:${"b".repeat(43)}`,
            },
            storage: { volumes: "local-zfs" },
            network: { cidr: "10.20.0.0/24", gateway: "10.20.0.1" },
            services: { postgres: { vmid: 9101, address: "10.20.0.11" }, vault: { vmid: 9102, address: "10.20.0.12" } },
            volumeOwner: 9199,
        },
        "lakeforge:components": { objectStore: { enabled: false }, registry: { enabled: false }, queryEngine: { enabled: false } },
    };
}

/** `valid()` with `change` applied to its `lakeforge:proxmox` settings. */
function withProxmox(change: (p: Record<string, any>) => void): Record<string, unknown> {
    const config = valid();
    change(config["lakeforge:proxmox"] as Record<string, any>);
    return config;
}

describe("lakeforge:proxmox settings", () => {
    it("accepts the valid config and applies the documented defaults", () => {
        const config = parseConfig(
            Object.fromEntries(Object.entries(valid()).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
            "t",
        );
        expect(config.target).toBe("proxmox");
        const proxmox = config.target === "proxmox" ? config.proxmox : undefined;
        expect(proxmox).toMatchObject({
            insecure: false,
            ssh: { port: PROXMOX_DEFAULTS.ssh.port, user: "root", insecureHostKey: false, sudo: false },
            storage: { rootfs: PROXMOX_DEFAULTS.storage.rootfs, volumes: "local-zfs", templates: PROXMOX_DEFAULTS.storage.templates },
            images: { transport: "upload", skopeo: "skopeo" },
            network: { bridge: "vmbr0", dns: [] },
            rootfsGb: PROXMOX_DEFAULTS.rootfsGb,
            volumeGb: PROXMOX_DEFAULTS.volumeGb,
            tags: ["lakeforge"],
            onboot: true,
            protect: false,
        });
    });

    it("accepts the shipped homelab stack with what its user sets", () => {
        expect(() => parseConfig(stackConfig("homelab"), "homelab")).not.toThrow();
    });

    const cases: [string, (p: Record<string, any>) => void, string[]][] = [
        [
            "an address outside the subnet",
            (p) => (p.services.postgres.address = "10.21.0.11"),
            ['lakeforge:proxmox.services.postgres.address: expected a host address inside network.cidr 10.20.0.0/24, found "10.21.0.11"'],
        ],
        [
            "the subnet's broadcast address",
            (p) => (p.services.postgres.address = "10.20.0.255"),
            ['lakeforge:proxmox.services.postgres.address: expected a host address inside network.cidr 10.20.0.0/24, found "10.20.0.255"'],
        ],
        [
            "the gateway's address",
            (p) => (p.services.vault.address = "10.20.0.1"),
            ['lakeforge:proxmox.services.vault.address: expected an address other than network.gateway, found "10.20.0.1"'],
        ],
        [
            "a duplicate address",
            (p) => (p.services.vault.address = "10.20.0.11"),
            ['lakeforge:proxmox.services.vault.address: expected an address not already used by services.postgres, found "10.20.0.11"'],
        ],
        [
            "a duplicate vmid",
            (p) => (p.services.vault.vmid = 9101),
            ["lakeforge:proxmox.services.vault.vmid: expected a vmid not already used by services.postgres, found 9101"],
        ],
        [
            "a service on the volume owner's vmid",
            (p) => (p.services.vault.vmid = 9199),
            ["lakeforge:proxmox.services.vault.vmid: expected a vmid not already used by volumeOwner, found 9199"],
        ],
        [
            "a vmid PVE refuses",
            (p) => (p.services.vault.vmid = 99),
            ["lakeforge:proxmox.services.vault.vmid: expected a number >= 100, found 99"],
        ],
        [
            "no host key and no opt-out",
            (p) => delete p.ssh.hostKey,
            [
                "lakeforge:proxmox.ssh.hostKey: expected the node's SSH host key fingerprint (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), or ssh.insecureHostKey: true, found nothing",
            ],
        ],
        [
            "no CA and no opt-out",
            (p) => delete p.caCert,
            ["lakeforge:proxmox.caCert: expected the node's CA certificate (PEM), or insecure: true, found nothing"],
        ],
        [
            "a plain-HTTP endpoint",
            (p) => (p.endpoint = "http://pve.lan:8006"),
            ['lakeforge:proxmox.endpoint: expected the PVE API URL such as "https://pve.lan:8006", found "http://pve.lan:8006"'],
        ],
        [
            "a malformed API token",
            (p) => (p.apiToken = "deploy"),
            ['lakeforge:proxmox.apiToken: expected an API token "user@realm!tokenid=secret", found "deploy"'],
        ],
        [
            "an unknown transport",
            (p) => (p.images = { transport: "copy" }),
            ['lakeforge:proxmox.images.transport: expected one of "upload", "pull", found "copy"'],
        ],
        [
            "a gateway outside the subnet",
            (p) => (p.network.gateway = "10.30.0.1"),
            ['lakeforge:proxmox.network.gateway: expected an address inside network.cidr 10.20.0.0/24, found "10.30.0.1"'],
        ],
    ];
    it.each(cases)("refuses %s, naming the key", (_name, change, expected) => {
        expect(configProblems(withProxmox(change))).toEqual(expected);
    });

    it("accepts the logging capability (console logs on the node), and a log directory that is not absolute names its key", () => {
        const config = valid();
        config["lakeforge:components"] = { ...(config["lakeforge:components"] as object), logging: { enabled: true, storage: "volume" } };
        expect(configProblems(config)).toEqual([]);
        expect(configProblems(withProxmox((p) => (p.logDir = "var/log")))).toEqual([
            'lakeforge:proxmox.logDir: expected an absolute directory on the node such as "/var/log/lakeforge", found "var/log"',
        ]);
    });
});
