import { z } from "zod";
import { dnsLabel, port, strict } from "../../schema";
import { ipv4Cidr, ipv4Address, hostAddresses, inCidr } from "./address";

/** Defaults of `lakeforge:proxmox`; each is mirrored in the README's config reference. */
export const PROXMOX_DEFAULTS = {
    ssh: { port: 22, user: "root" },
    storage: { rootfs: "local-lvm", templates: "local" },
    images: { transport: "upload", skopeo: "skopeo" },
    network: { bridge: "vmbr0" },
    rootfsGb: 4,
    volumeGb: 10,
    tags: ["lakeforge"],
    onboot: true,
    protect: false,
    /** How long `up` waits for one service's health check to pass. */
    healthTimeoutSeconds: 300,
    /** Where containers' console logs are written on the node, a directory per stack (with logging enabled). */
    logDir: "/var/log/lakeforge",
} as const;

/** A PVE guest id (PVE accepts 100 to 999999999). */
const vmid = z.number().int().min(100).max(999999999);
const nonEmpty = z.string().min(1);
/** A PVE storage id. */
const storageId = z.string().regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i, { error: 'expected a PVE storage id such as "local-lvm"' });
const sizeGb = z.number().int().min(1).max(65536);

/** One service's place in the static plan: its guest id and address on the bridge. */
const serviceEntry = strict({
    vmid,
    address: ipv4Address,
    rootfsGb: sizeGb.optional(),
    /** Size of each of the service's data volumes, by volume name (e.g. `data`). */
    volumesGb: z.record(dnsLabel, sizeGb).default({}),
});

/** `lakeforge:proxmox`: the PVE node, how lakeforge reaches it, and the static plan of the services on it. */
export const proxmoxSettingsSchema = strict({
    /** The PVE API, `https://<host>:8006`. */
    endpoint: z.string().regex(/^https:\/\/[^/\s]+(:\d+)?\/?$/, { error: 'expected the PVE API URL such as "https://pve.lan:8006"' }),
    /** The node the containers run on. */
    node: dnsLabel,
    /** `user@realm!tokenid=secret`; set it with `pulumi config set --secret --path lakeforge:proxmox.apiToken`. */
    apiToken: z.string().regex(/^[^@\s]+@[^!\s]+![^=\s]+=\S+$/, { error: 'expected an API token "user@realm!tokenid=secret"' }),
    /** PEM of the CA that signed the node's certificate (`/etc/pve/pve-root-ca.pem`). */
    caCert: z.string().includes("BEGIN CERTIFICATE", { error: "expected a PEM certificate" }).optional(),
    /** Accept any certificate: only for a throwaway node; a MITM then gets the API token. */
    insecure: z.boolean().default(false),
    ssh: strict({
        /** Unset: the endpoint's host. */
        host: nonEmpty.optional(),
        port: port.default(PROXMOX_DEFAULTS.ssh.port),
        user: nonEmpty.default(PROXMOX_DEFAULTS.ssh.user),
        privateKey: z.string().includes("PRIVATE KEY", { error: "expected an OpenSSH or PEM private key" }),
        hostKey: z
            .string()
            .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, { error: 'expected a fingerprint as ssh-keygen -lf prints it ("SHA256:...")' })
            .optional(),
        insecureHostKey: z.boolean().default(false),
        sudo: z.boolean().default(false),
    }),
    storage: strict({
        rootfs: storageId.default(PROXMOX_DEFAULTS.storage.rootfs),
        /** Must hold container subvolumes (zfspool, dir, btrfs): no default, as PVE's default LVM-thin cannot. */
        volumes: storageId,
        templates: storageId.default(PROXMOX_DEFAULTS.storage.templates),
    }),
    images: strict({
        transport: z.enum(["upload", "pull"]).default(PROXMOX_DEFAULTS.images.transport),
        /** Where OCI archives are kept on this machine; an archive already there is uploaded without skopeo. */
        archiveDir: nonEmpty.optional(),
        skopeo: nonEmpty.default(PROXMOX_DEFAULTS.images.skopeo),
    }).prefault({}),
    network: strict({
        bridge: z
            .string()
            .regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/, { error: 'expected a bridge name such as "vmbr0"' })
            .default(PROXMOX_DEFAULTS.network.bridge),
        vlan: z.number().int().min(1).max(4094).optional(),
        cidr: ipv4Cidr,
        gateway: ipv4Address,
        dns: z.array(ipv4Address).default([]),
        searchDomain: z
            .string()
            .regex(/^[a-z0-9.-]+$/, { error: "expected a DNS domain" })
            .optional(),
    }),
    /** Every service the stack deploys, by service name: vmid and static address. */
    services: z.record(dnsLabel, serviceEntry),
    /** The reserved guest id that owns every data volume, so no container's destruction deletes one. */
    volumeOwner: vmid,
    rootfsGb: sizeGb.default(PROXMOX_DEFAULTS.rootfsGb),
    volumeGb: sizeGb.default(PROXMOX_DEFAULTS.volumeGb),
    pool: z
        .string()
        .regex(/^[A-Za-z0-9.\-_]+$/, { error: "expected a PVE pool name" })
        .optional(),
    tags: z
        .array(z.string().regex(/^[a-z0-9_][a-z0-9_\-+.]*$/, { error: "expected a lowercase PVE tag" }))
        .default([...PROXMOX_DEFAULTS.tags]),
    onboot: z.boolean().default(PROXMOX_DEFAULTS.onboot),
    /** Pulumi `protect` on containers and volumes: `destroy` then refuses until unprotected. */
    protect: z.boolean().default(PROXMOX_DEFAULTS.protect),
    healthTimeoutSeconds: z.number().int().min(10).max(3600).default(PROXMOX_DEFAULTS.healthTimeoutSeconds),
    logDir: z
        .string()
        .regex(/^(\/[A-Za-z0-9._-]+)+\/?$/, { error: 'expected an absolute directory on the node such as "/var/log/lakeforge"' })
        .default(PROXMOX_DEFAULTS.logDir),
}).superRefine((s, ctx) => {
    const issue = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
    if (s.caCert === undefined && !s.insecure) issue(["caCert"], undefined, "expected the node's CA certificate (PEM), or insecure: true");
    if (s.ssh.hostKey === undefined && !s.ssh.insecureHostKey) {
        issue(
            ["ssh", "hostKey"],
            undefined,
            "expected the node's SSH host key fingerprint (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), or ssh.insecureHostKey: true",
        );
    }
    const hosts = hostAddresses(s.network.cidr);
    if (hosts !== undefined && !inCidr(s.network.gateway, s.network.cidr)) {
        issue(["network", "gateway"], s.network.gateway, `expected an address inside network.cidr ${s.network.cidr}`);
    }
    const addresses = new Map<string, string>();
    const vmids = new Map<number, string>([[s.volumeOwner, "volumeOwner"]]);
    for (const [name, entry] of Object.entries(s.services)) {
        if (hosts !== undefined && !inCidr(entry.address, s.network.cidr)) {
            issue(["services", name, "address"], entry.address, `expected a host address inside network.cidr ${s.network.cidr}`);
        } else if (entry.address === s.network.gateway) {
            issue(["services", name, "address"], entry.address, "expected an address other than network.gateway");
        }
        const sameAddress = addresses.get(entry.address);
        if (sameAddress !== undefined)
            issue(["services", name, "address"], entry.address, `expected an address not already used by services.${sameAddress}`);
        addresses.set(entry.address, name);
        const sameVmid = vmids.get(entry.vmid);
        if (sameVmid !== undefined) {
            const other = sameVmid === "volumeOwner" ? "volumeOwner" : `services.${sameVmid}`;
            issue(["services", name, "vmid"], entry.vmid, `expected a vmid not already used by ${other}`);
        }
        vmids.set(entry.vmid, name);
    }
});

/** Validated `lakeforge:proxmox` settings. */
export type ProxmoxSettings = z.infer<typeof proxmoxSettingsSchema>;
