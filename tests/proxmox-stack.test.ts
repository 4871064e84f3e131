/* eslint-disable @typescript-eslint/no-explicit-any -- config fixtures are edited by key path, as a user edits YAML */
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config";
import type { PlatformOutputs } from "../src/outputs";
import { credentialLeaks, deployConfig, deployShipped } from "./support/deploy";
import { at, installMocks, isSecretInput, ofType, one, plain, resolve, settle, type Recorded } from "./support/mocks";
import { stackConfig, toAllConfig } from "./support/stack";

const T = {
    template: "pulumi-nodejs:dynamic/lakeforge:ProxmoxOciTemplate",
    volume: "pulumi-nodejs:dynamic/lakeforge:ProxmoxVolume",
    container: "pulumi-nodejs:dynamic/lakeforge:ProxmoxContainer",
    files: "pulumi-nodejs:dynamic/lakeforge:ProxmoxFiles",
    ready: "pulumi-nodejs:dynamic/lakeforge:ProxmoxReady",
} as const;

let recorded: Recorded[];
let outputs: PlatformOutputs;

beforeAll(async () => {
    ({ recorded, outputs } = await deployShipped("homelab"));
});

/** The homelab stack's config with its `lakeforge:proxmox` / `lakeforge:components` changed. */
function homelabWith(change: (proxmox: Record<string, any>, components: Record<string, any>) => void): Record<string, string> {
    const config = stackConfig("homelab");
    const proxmox = JSON.parse(config["lakeforge:proxmox"] ?? "{}") as Record<string, any>;
    const components = JSON.parse(config["lakeforge:components"] ?? "{}") as Record<string, any>;
    change(proxmox, components);
    return { ...config, ...toAllConfig({ "lakeforge:proxmox": proxmox, "lakeforge:components": components }) };
}

/** Every string outside secret wrappers (and the serialized provider), with where it is. */
function plainStrings(value: unknown, where: string): [string, string][] {
    if (isSecretInput(value)) return [];
    if (typeof value === "string") return [[where, value]];
    if (typeof value !== "object" || value === null) return [];
    return Object.entries(value).flatMap(([k, v]) => (k === "__provider" ? [] : plainStrings(v, `${where}.${k}`)));
}

/** The ConfigError problems a config raises while the program runs, or [] when it deploys. */
async function deployProblems(config: Record<string, string>): Promise<readonly string[]> {
    try {
        await deployConfig("homelab", config);
        return [];
    } catch (err) {
        // Let the registrations made before the error reach these mocks, not the next test's.
        await settle();
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
}

describe("the homelab stack on proxmox", () => {
    it("creates one unprivileged container per service, each with its planned vmid, address and a readiness gate", () => {
        const containers = ofType(recorded, T.container);
        const plan = JSON.parse(stackConfig("homelab")["lakeforge:proxmox"] ?? "{}").services as Record<
            string,
            { vmid: number; address: string }
        >;
        expect(containers.map((c) => c.name).sort()).toEqual(Object.keys(plan).sort());
        for (const c of containers) {
            const entry = plan[c.name];
            expect(at(c.inputs, "vmid")).toBe(entry?.vmid);
            expect(at(c.inputs, "create", "unprivileged")).toBe(1);
            expect(at(c.inputs, "create", "ostemplate")).toMatch(/^local:vztmpl\/image-lakeforge_.*\.tar$/);
            expect(at(c.inputs, "config", "net0")).toBe(`name=eth0,bridge=vmbr0,ip=${entry?.address}/24,gw=192.168.4.1,host-managed=1`);
            expect(c.protect).toBe(true);
            one(recorded, T.files, `${c.name}-files`);
            one(recorded, T.ready, `${c.name}-ready`);
        }
    });

    it("writes the dependency order as PVE's boot order", () => {
        const order = (name: string): number =>
            Number(/order=(\d+)/.exec(String(at(one(recorded, T.container, name).inputs, "config", "startup")))?.[1]);
        expect(order("postgres")).toBeLessThan(order("metastore"));
        expect(order("minio")).toBeLessThan(order("trino"));
        expect(order("trino")).toBeLessThan(order("orchestrator"));
        const all = ofType(recorded, T.container).map((c) => order(c.name));
        expect(new Set(all).size).toBe(all.length);
    });

    it("keeps data on volumes owned by the holder vmid, never deleted by Pulumi", () => {
        const volumes = ofType(recorded, T.volume);
        expect(volumes.map((v) => v.name).sort()).toEqual(
            ["minio-data", "postgres-data", "registry-data", "spark-work", "vault-data"].sort(),
        );
        for (const v of volumes) {
            expect(at(v.inputs, "owner")).toBe(199);
            expect(v.retainOnDelete).toBe(true);
            expect(v.protect).toBe(true);
        }
        expect(at(one(recorded, T.volume, "postgres-data").inputs, "sizeGb")).toBe(20);
        expect(at(one(recorded, T.container, "postgres").inputs, "config", "mp0")).toBe(
            "local-zfs:subvol-199-lakeforge-postgres-data,mp=/var/lib/postgresql/data,backup=1",
        );
    });

    it("uploads each image once, shared by the services that run it", () => {
        const templates = ofType(recorded, T.template);
        expect(new Set(templates.map((t) => at(t.inputs, "image"))).size).toBe(templates.length);
        expect(templates.every((t) => at(t.inputs, "transport") === "upload")).toBe(true);
    });

    it("holds the API token, SSH key and pushed files only as secrets, and no credential in plaintext anywhere", () => {
        for (const r of recorded.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/lakeforge:Proxmox"))) {
            if (r.inputs["apiToken"] !== undefined) expect(isSecretInput(r.inputs["apiToken"]), r.name).toBe(true);
            if (r.inputs["sshKey"] !== undefined) expect(isSecretInput(r.inputs["sshKey"]), r.name).toBe(true);
            if (r.inputs["files"] !== undefined) expect(isSecretInput(r.inputs["files"]), r.name).toBe(true);
        }
        expect(recorded.flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`))).toEqual([]);
        const userSet = /user-set-api-token-secret|user-set-ssh-key-secret/;
        expect(recorded.flatMap((r) => plainStrings(r.inputs, r.name)).filter(([, v]) => userSet.test(v))).toEqual([]);
    });

    it("pushes credential files 0400 to the service's user, config 0444, and /etc/hosts from the plan", () => {
        const files = plain<{ path: string; mode: number; owner?: string; content: unknown }[]>(
            one(recorded, T.files, "postgres-files").inputs["files"],
        );
        const secretFiles = files.filter((f) => f.mode === 0o400);
        expect(secretFiles.length).toBeGreaterThan(0);
        for (const f of files.filter((f) => f.path !== "/etc/hosts" && f.path !== "/etc/.pve-ignore.hosts"))
            expect(f.owner, f.path).toBe("70:70");
        const hosts = files.find((f) => f.path === "/etc/hosts");
        expect(plain(hosts?.content)).toContain("192.168.4.42\tvault");
        expect(JSON.stringify(at(one(recorded, T.container, "postgres").inputs, "env"))).not.toMatch(/PASSWORD=/);
    });

    it("exports endpoints on the planned addresses, reachable from the machine running Pulumi", async () => {
        const database = await resolve(outputs.endpoints["database"] as never);
        expect(database.value).toMatchObject({ internal: "postgres:5432", external: "192.168.4.40:5432" });
    });
});

describe("the proxmox runtime's own checks", () => {
    it("lists every service the plan lacks and every entry nothing uses, before any resource", async () => {
        const problems = await deployProblems(
            homelabWith((p) => {
                delete p.services.postgres;
                p.services.superset = { vmid: 160, address: "192.168.4.60" };
            }),
        );
        expect(problems).toEqual([
            "lakeforge:proxmox.services.postgres: expected { vmid, address } for this service (the stack deploys it), found nothing",
            expect.stringMatching(
                /^lakeforge:proxmox\.services\.superset: expected only services the stack deploys \(metastore, minio, .*\), found \{"vmid":160,"address":"192.168.4.60","volumesGb":\{\}\}$/,
            ),
        ]);
    });

    it("registers no proxmox resource while the plan is invalid, not even those of services planned right", async () => {
        const recorded = installMocks("homelab");
        const { parseConfig } = await import("../src/config");
        const { deployPlatform } = await import("../stacks");
        const config = homelabWith((p) => delete p.services["orchestrator-triggerer"]);
        expect(() => deployPlatform(parseConfig(config, "homelab"))).toThrow(ConfigError);
        await settle();
        expect(recorded.filter((r) => r.type.includes("lakeforge:Proxmox"))).toEqual([]);
        expect(recorded.length).toBeGreaterThan(0);
    });

    it("refuses a digest-pinned image with the pull transport, naming the service", async () => {
        const problems = await deployProblems(homelabWith((p) => (p.images = { transport: "pull" })));
        expect(problems).toEqual(
            expect.arrayContaining([
                expect.stringMatching(
                    /^lakeforge:proxmox\.images\.transport: expected "upload" for the digest-pinned image of service postgres .* found "pull" with "postgres:16\.15-alpine@sha256:/,
                ),
            ]),
        );
    });

    it("maps every capability that runs on docker (the end-to-end stack's set)", async () => {
        const e2e = stackConfig("e2e");
        const components = e2e["lakeforge:components"] ?? "{}";
        const withPlan = (services: Record<string, unknown>) =>
            homelabWith((p, c) => {
                Object.keys(c).forEach((k) => delete c[k]);
                Object.assign(c, JSON.parse(components));
                p.services = services;
            });
        // First pass: the runtime names every service it was asked to deploy.
        const names = (await deployProblems(withPlan({}))).map((m) => /services\.([a-z0-9-]+):/.exec(m)?.[1] ?? m);
        expect(names.length).toBeGreaterThan(12);
        const plan = Object.fromEntries(names.map((n, i) => [n, { vmid: 300 + i, address: `192.168.4.${100 + i}` }]));
        expect(await deployProblems(withPlan(plan))).toEqual([]);
    });
});
