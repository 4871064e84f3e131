import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config-errors";
import type { Address, Endpoint } from "../../types";
import { portOf, type DeployedService, type LogDelivery, type Runtime, type ServiceSpec } from "../spec";
import type { PveConnection, SshConnection } from "./connection";
import { collectorMountLines, COLLECTOR_LOG_DIR, consoleLogDir, consoleLogLines, consoleLogPath, hostIds } from "./console-log";
import type { ConsoleLogFile } from "./console-log-impl";
import { resolvedFiles } from "./files";
import { createOnlyConfig, GATE_VERSION, mountConfig, mountPoint, settingsConfig, templateFileName } from "./mapping";
import { ConsoleLogs, DataVolume, LxcContainer, OciTemplate, ServiceReady, ContainerFiles } from "./resources";
import type { ProxmoxSettings } from "./settings";

/** One service's entry of `lakeforge:proxmox.services`. */
type ServiceEntry = ProxmoxSettings["services"][string];

/** What the proxmox runtime needs from the stack. */
export interface ProxmoxRuntimeArgs {
    readonly settings: ProxmoxSettings;
    /** The Pulumi stack's name, written into each container's description. */
    readonly stack: string;
    /** Write every container's console to a file on the node for the platform's log collector (`collectsLogs`). */
    readonly collectLogs?: boolean;
}

/** The node connection from the settings, the credentials apart (they travel as secrets). */
export function connections(settings: ProxmoxSettings): { pve: PveConnection; ssh: SshConnection } {
    const { ssh } = settings;
    return {
        pve: { endpoint: settings.endpoint, node: settings.node, caCert: settings.caCert, insecure: settings.insecure },
        ssh: {
            host: ssh.host ?? new URL(settings.endpoint).hostname,
            port: ssh.port,
            user: ssh.user,
            hostKey: ssh.hostKey,
            insecureHostKey: ssh.insecureHostKey,
            sudo: ssh.sudo,
        },
    };
}

/**
 * Realizes ServiceSpecs as unprivileged LXC containers from OCI images on one PVE node, each on
 * its static address, with data volumes owned by the stack's holder vmid.
 */
export class ProxmoxRuntime implements Runtime {
    readonly target = "proxmox" as const;
    /** The collector reads each container's console log (console-log.ts) through a read-only bind mount. */
    readonly logDelivery: LogDelivery = { kind: "files", dir: COLLECTOR_LOG_DIR };
    private readonly problems: string[] = [];
    private readonly templates = new Map<string, OciTemplate>();
    private order = 0;
    private readonly deployed = new Set<string>();
    /** Service name -> address, for every container's /etc/hosts. */
    private readonly hosts: Readonly<Record<string, string>>;

    /**
     * Resolves in finish() when the whole plan is valid, and never otherwise: every proxmox resource's
     * connection input waits for it, so none is registered with the engine, let alone created, before
     * the plan is known to be good. (Services are known only as the capabilities deploy them; the
     * resources of earlier ones would otherwise be on their way before a later one turns out to have
     * no plan entry.) finish() then throws, and the program ends with the config error alone.
     */
    private readonly planChecked: Promise<void>;
    private planValid: () => void = () => undefined;
    /** The stack's console log directory, when logs are collected; every container depends on it. */
    private readonly logs?: { readonly dir: string; readonly resource: ConsoleLogs; readonly owner: Promise<string> };
    /** Sets the log files' owner: the collector's mapped ids, known once it is deployed. */
    private collectorOwner: (owner: string) => void = () => undefined;

    constructor(private readonly args: ProxmoxRuntimeArgs) {
        this.hosts = Object.fromEntries(Object.entries(args.settings.services).map(([name, entry]) => [name, entry.address]));
        this.planChecked = new Promise((resolve) => (this.planValid = resolve));
        if (args.collectLogs === true) {
            const dir = consoleLogDir(args.settings.logDir, args.stack);
            const owner = new Promise<string>((resolve) => (this.collectorOwner = resolve));
            const { ssh, sshKey } = this.access();
            const resource = new ConsoleLogs("console-logs", { ssh, sshKey, stack: args.stack, dir, owner: this.gated(owner) });
            this.logs = { dir, resource, owner };
        }
    }

    /**
     * Call after every capability is deployed: reports every service the plan lacks, and every plan
     * entry no service uses (it would sit in every /etc/hosts), at once, before anything is created.
     */
    finish(): void {
        const unused = Object.keys(this.args.settings.services).filter((name) => !this.deployed.has(name));
        const problems = [
            ...this.problems,
            ...unused.map(
                (name) =>
                    `lakeforge:proxmox.services.${name}: expected only services the stack deploys (${[...this.deployed].sort().join(", ")}), found ${JSON.stringify(this.args.settings.services[name])}`,
            ),
        ];
        if (problems.length > 0) throw new ConfigError(problems);
        // No collector deployed: the directory is the container root's (nothing reads it).
        this.collectorOwner(hostIds(undefined));
        this.planValid();
    }

    /** `value` once the plan is known to be valid. */
    private gated<T>(value: T): pulumi.Output<pulumi.Unwrap<T>> {
        return pulumi.output(this.planChecked.then(() => value));
    }

    /** One template per image, shared by every service that runs it. */
    private template(image: string): OciTemplate {
        const existing = this.templates.get(image);
        if (existing !== undefined) return existing;
        const { settings } = this.args;
        const template = new OciTemplate(`image-${templateFileName(image).replace(/\.tar$/, "")}`, {
            pve: this.gated(connections(settings).pve),
            apiToken: pulumi.secret(settings.apiToken),
            image,
            storage: settings.storage.templates,
            transport: settings.images.transport,
            archiveDir: settings.images.archiveDir,
            skopeo: settings.images.skopeo,
        });
        this.templates.set(image, template);
        return template;
    }

    /** Problems with a spec the settings cannot serve; none means it can be deployed. */
    private check(spec: ServiceSpec): string[] {
        const problems: string[] = [];
        if (this.args.settings.services[spec.name] === undefined) {
            problems.push(
                `lakeforge:proxmox.services.${spec.name}: expected { vmid, address } for this service (the stack deploys it), found nothing`,
            );
        }
        if (this.args.settings.images.transport === "pull" && spec.image.includes("@sha256:")) {
            problems.push(
                `lakeforge:proxmox.images.transport: expected "upload" for the digest-pinned image of service ${spec.name} ` +
                    `(PVE's registry pull accepts tags only), found "pull" with ${JSON.stringify(spec.image)}`,
            );
        }
        return problems;
    }

    /** The node connection and its credentials, as every resource of a service takes them. */
    private access() {
        const { settings } = this.args;
        const { pve, ssh } = connections(settings);
        return {
            pve: this.gated(pve),
            ssh: this.gated(ssh),
            apiToken: pulumi.secret(settings.apiToken),
            sshKey: pulumi.secret(settings.ssh.privateKey),
        };
    }

    /** The service's data volumes: never deleted by Pulumi (destroy and renames keep them), owned by the holder vmid. */
    private volumes(spec: ServiceSpec, entry: ServiceEntry, parent: pulumi.Resource): DataVolume[] {
        const { settings } = this.args;
        const { pve, apiToken } = this.access();
        return spec.volumes.map(
            (v) =>
                new DataVolume(
                    `${spec.name}-${v.name}`,
                    {
                        pve,
                        apiToken,
                        storage: settings.storage.volumes,
                        owner: settings.volumeOwner,
                        name: `${spec.name}-${v.name}`,
                        sizeGb: entry.volumesGb[v.name] ?? settings.volumeGb,
                    },
                    { parent, protect: settings.protect, retainOnDelete: true },
                ),
        );
    }

    /** Raw LXC lines of the service's container: its console log, or the collector's view of all of them. */
    private consoleLog(spec: ServiceSpec) {
        const { logs } = this;
        // Node SSH always: turning logging off removes the lines.
        const { ssh, sshKey } = this.access();
        if (logs === undefined) return { ssh, sshKey };
        if (spec.collectsLogs === true) return { raw: collectorMountLines(logs.dir), ssh, sshKey };
        const path = consoleLogPath(logs.dir, spec.name);
        const logFile: pulumi.Output<ConsoleLogFile> = pulumi.output(logs.owner).apply((owner) => ({ path, owner }));
        return { raw: consoleLogLines(path), logFile, ssh, sshKey };
    }

    /** The container itself, from the image's template, with the volumes mounted. */
    private container(spec: ServiceSpec, entry: ServiceEntry, volumes: DataVolume[], parent: pulumi.Resource): LxcContainer {
        const { settings, stack } = this.args;
        const { pve, apiToken } = this.access();
        const template = this.template(spec.image);
        const rootfsGb = entry.rootfsGb ?? settings.rootfsGb;
        // Deploy order is dependency order: PVE starts the containers on boot in it.
        const plan = { vmid: entry.vmid, address: entry.address, order: ++this.order, rootfsGb };
        const mounts = mountConfig(
            spec,
            volumes.map((v) => v.volid),
            (volid, path) => volid.apply((id) => mountPoint(id, path)),
        );
        return new LxcContainer(
            spec.name,
            {
                pve,
                apiToken,
                service: spec.name,
                vmid: entry.vmid,
                // Known at preview but for the template's and volumes' ids, so the preview shows them and the policy pack judges them.
                create: createOnlyConfig(settings, plan, template.volid),
                config: { ...settingsConfig(spec, settings, plan, stack), ...mounts },
                rootfsGb,
                env: spec.env,
                entrypoint: spec.entrypoint,
                command: spec.command,
                imageConfig: template.imageConfig,
                image: spec.image,
                healthCheck: spec.healthCheck.command,
                gate: GATE_VERSION,
                ...this.consoleLog(spec),
            },
            // The vmid is fixed, so a replacement removes the old container first; the volumes outlive it.
            {
                parent,
                protect: settings.protect,
                deleteBeforeReplace: true,
                dependsOn: [...volumes, ...(this.logs === undefined ? [] : [this.logs.resource])],
            },
        );
    }

    /** Files and secrets pushed into the container, then its health check: the resource dependents wait for. */
    private readiness(spec: ServiceSpec, entry: ServiceEntry, container: LxcContainer, parent: pulumi.Resource): ServiceReady {
        const { pve, ssh, apiToken, sshKey } = this.access();
        const { files, hash } = resolvedFiles(spec, this.hosts, container.imageConfig);
        const instance = container.instance;
        const pushed = new ContainerFiles(
            `${spec.name}-files`,
            { pve, apiToken, ssh, sshKey, vmid: entry.vmid, instance, files, hash },
            { parent },
        );
        const check = spec.healthCheck;
        const deadlineSeconds = this.args.settings.healthTimeoutSeconds;
        return new ServiceReady(
            `${spec.name}-ready`,
            { ssh, sshKey, vmid: entry.vmid, instance, filesHash: hash, check, deadlineSeconds },
            { parent, dependsOn: [pushed] },
        );
    }

    deploy(spec: ServiceSpec, parent: pulumi.Resource): DeployedService {
        this.deployed.add(spec.name);
        if (spec.collectsLogs === true) this.collectorOwner(hostIds(spec.user));
        const problems = this.check(spec);
        const entry = this.args.settings.services[spec.name];
        if (problems.length > 0 || entry === undefined) {
            this.problems.push(...problems);
            return unplanned(spec);
        }
        const container = this.container(spec, entry, this.volumes(spec, entry, parent), parent);
        const ready = this.readiness(spec, entry, container, parent);
        return {
            ready: [ready],
            internal: (portName: string): Address => ({ host: spec.name, port: portOf(spec, portName).port }),
            endpoint: (portName: string): Endpoint => {
                const port = portOf(spec, portName);
                const info = {
                    scheme: port.scheme,
                    internal: { host: spec.name, port: port.port },
                    external: { host: entry.address, port: port.port },
                };
                // Through the URN, known at preview: dependents wait for the health check without showing a change.
                return ready.urn.apply(() => info);
            },
        };
    }
}

/** What a service the settings cannot place answers until finish() reports it: nothing is created for it. */
function unplanned(spec: ServiceSpec): DeployedService {
    const address = (portName: string): Address => ({ host: spec.name, port: portOf(spec, portName).port });
    return {
        ready: [],
        internal: address,
        endpoint: (portName: string) =>
            pulumi.output({ scheme: portOf(spec, portName).scheme, internal: address(portName), external: address(portName) }),
    };
}
