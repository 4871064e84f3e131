import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { Address, Endpoint } from "../types";
import type { DockerSettings } from "./docker-settings";
import { portOf, type DeployedService, type HealthCheck, type LogDelivery, type Runtime, type ServiceSpec } from "./spec";

/** Log rotation for every container: at most 3 files of 10 MB each. */
export const DOCKER_LOG_OPTS = { "max-size": "10m", "max-file": "3" } as const;
/** The UDP port a log collector listens on for the GELF messages the engine sends it. */
export const DOCKER_GELF_PORT = 12201;
/** How long `pulumi up` waits for a container to report healthy before failing. */
export const DOCKER_WAIT_TIMEOUT_SECONDS = 180;

/** What the docker runtime needs from the stack: the provider and the platform network. */
export interface DockerRuntimeArgs {
    readonly settings: DockerSettings;
    readonly provider: docker.Provider;
    readonly network: docker.Network;
    /**
     * Ship every container's output to the platform's log collector (`collectsLogs`) with the
     * engine's own GELF driver: the engine sends, so the collector needs no Docker socket.
     */
    readonly shipLogs?: boolean;
}

/**
 * Options of the engine's `gelf` driver: UDP to the collector's port published on `host`, the
 * service's name as the GELF `_tag`, and the local cache `docker logs` reads (Engine 20.10+) rotated
 * as json-file logs are.
 */
export function gelfLogOpts(service: string, host: string, port: number): Record<string, string> {
    return {
        "gelf-address": `udp://${host}:${port}`,
        tag: service,
        "cache-max-size": DOCKER_LOG_OPTS["max-size"],
        "cache-max-file": DOCKER_LOG_OPTS["max-file"],
    };
}

/** `KEY=value` lines, sorted so the list (and so the diff) is stable; secret if any value is. */
export function renderEnv(
    env: Readonly<Record<string, string>>,
    secretEnv: Readonly<Record<string, pulumi.Input<string>>>,
): pulumi.Output<string[]> {
    const all: Record<string, pulumi.Input<string>> = { ...env, ...secretEnv };
    const keys = Object.keys(all).sort();
    return pulumi.all(keys.map((k) => all[k] as pulumi.Input<string>)).apply((values) => keys.map((k, i) => `${k}=${values[i]}`));
}

/**
 * Seconds as Go prints a duration ("45s", "2m0s", "1h0m0s"), the spelling the docker provider
 * reads back: "120s" would show as a change on every preview.
 */
export function goDuration(seconds: number): string {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (h > 0) return `${h}h${m}m${s}s`;
    return m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** Docker's health check from the target-neutral one. */
export function dockerHealthcheck(check: HealthCheck): docker.types.input.ContainerHealthcheck {
    return {
        tests: ["CMD", ...check.command],
        interval: goDuration(check.intervalSeconds),
        timeout: goDuration(check.timeoutSeconds),
        retries: check.retries,
        startPeriod: goDuration(check.startPeriodSeconds),
    };
}

/**
 * CPUs as the docker provider reads them back: whole numbers as "1.0", others as written. Any other
 * spelling shows as a change on every preview, and `cpus` replaces the container.
 */
export function dockerCpus(cpus: number): string {
    return Number.isInteger(cpus) ? cpus.toFixed(1) : String(cpus);
}

/** Docker copies files in before start, which a read-only root filesystem refuses. */
export function dockerReadOnly(spec: Pick<ServiceSpec, "readOnlyRootFilesystem" | "files">): boolean {
    return spec.readOnlyRootFilesystem && spec.files.length === 0;
}

/** Scratch space (tmpfs): the spec's scratch paths, and /tmp under a read-only root. */
export function dockerScratchPaths(spec: Pick<ServiceSpec, "readOnlyRootFilesystem" | "files" | "scratchPaths">): string[] {
    return [...(spec.scratchPaths ?? []), ...(dockerReadOnly(spec) ? ["/tmp"] : [])];
}

/** Realizes ServiceSpecs as containers on one user-defined network of a Docker Engine. */
export class DockerRuntime implements Runtime {
    readonly target = "docker" as const;
    readonly logDelivery: LogDelivery = { kind: "push", port: DOCKER_GELF_PORT };
    /** The collector's container, once deployed: shipping containers start after it, so no start line is lost. */
    private readonly collector: Promise<docker.Container>;
    private collectorDeployed?: (container: docker.Container) => void;

    constructor(private readonly args: DockerRuntimeArgs) {
        this.collector = new Promise((resolve) => (this.collectorDeployed = resolve));
    }

    /**
     * Call after every capability is deployed: shipping logs to a collector that was never deployed
     * would leave every container waiting for it.
     */
    finish(): void {
        if (this.args.shipLogs === true && this.collectorDeployed !== undefined) {
            throw new Error("the docker runtime ships logs (logging is enabled) but no service collects them");
        }
    }

    /** Host port a spec port is published on, from `lakeforge:docker.ports`. */
    private hostPort(key: string): number {
        const ports: Readonly<Record<string, number>> = this.args.settings.ports;
        const port = ports[key];
        if (port === undefined) throw new Error(`lakeforge:docker.ports has no entry "${key}"`);
        return port;
    }

    deploy(spec: ServiceSpec, parent: pulumi.Resource): DeployedService {
        const { settings, provider, network } = this.args;
        const opts = { parent, provider };
        const containerName = `${settings.namePrefix}-${spec.name}`;
        const labels = [
            { label: "dev.lakeforge.service", value: spec.name },
            { label: "dev.lakeforge.network", value: settings.network },
        ];

        const image = new docker.RemoteImage(`${spec.name}-image`, { name: spec.image, keepLocally: true }, opts);
        // Retained on delete: neither `destroy` nor a rename that replaces a volume ever deletes data
        // (as `docker compose down` keeps volumes); `npm run destroy -- --delete-data` removes them.
        const volumes = spec.volumes.map(
            (v) =>
                new docker.Volume(
                    `${spec.name}-${v.name}`,
                    { name: `${containerName}-${v.name}`, labels },
                    { ...opts, retainOnDelete: true },
                ),
        );
        const published = spec.ports.filter((p) => p.publishAs !== undefined);
        const readOnly = dockerReadOnly(spec);
        const scratch = dockerScratchPaths(spec);
        const externalHost = settings.bindAddress === "0.0.0.0" ? "127.0.0.1" : settings.bindAddress;
        const shipped = this.args.shipLogs === true && spec.collectsLogs !== true;
        // The engine sends GELF from the host, so the collector's UDP port is published on it (loopback by default).
        const gelf =
            spec.collectsLogs === true
                ? [{ internal: DOCKER_GELF_PORT, external: settings.ports.logShipping, ip: settings.bindAddress, protocol: "udp" }]
                : [];

        const container = new docker.Container(
            spec.name,
            {
                name: containerName,
                image: image.imageId,
                command: spec.command ? [...spec.command] : undefined,
                entrypoints: spec.entrypoint ? [...spec.entrypoint] : undefined,
                envs: renderEnv(spec.env, spec.secretEnv),
                uploads: spec.files.map((f) => ({ file: f.path, content: f.content, permissions: "0444" })),
                ports: [
                    ...published.map((p) => ({
                        internal: p.port,
                        external: this.hostPort(p.publishAs as string),
                        ip: settings.bindAddress,
                        protocol: "tcp",
                    })),
                    ...gelf,
                ],
                volumes: spec.volumes.map((v, i) => ({ volumeName: (volumes[i] as docker.Volume).name, containerPath: v.path })),
                networksAdvanced: [{ name: network.name, aliases: [spec.name] }],
                healthcheck: dockerHealthcheck(spec.healthCheck),
                wait: true,
                waitTimeout: DOCKER_WAIT_TIMEOUT_SECONDS,
                restart: "unless-stopped",
                memory: spec.resources.memoryMb,
                // No swap beyond the limit, as on Kubernetes; left unset, Docker reads back 2 x memory as drift.
                memorySwap: spec.resources.memoryMb,
                cpus: dockerCpus(spec.resources.cpus),
                user: spec.user,
                capabilities: { drops: ["ALL"], adds: [...spec.capabilities] },
                securityOpts: ["no-new-privileges:true"],
                readOnly,
                tmpfs: scratch.length > 0 ? Object.fromEntries(scratch.map((p) => [p, "rw,noexec,nosuid,size=64m"])) : undefined,
                shmSize: spec.sharedMemoryMb,
                logDriver: shipped ? "gelf" : "json-file",
                logOpts: shipped ? gelfLogOpts(spec.name, externalHost, settings.ports.logShipping) : { ...DOCKER_LOG_OPTS },
                labels,
            },
            // The name and host ports are fixed, so a replacement must remove the old container first;
            // state lives on the named volumes, which are separate resources and survive it.
            { ...opts, dependsOn: shipped ? [...volumes, this.collector] : volumes, deleteBeforeReplace: true },
        );
        if (spec.collectsLogs === true) {
            this.collectorDeployed?.(container);
            this.collectorDeployed = undefined;
        }

        return {
            ready: [container],
            internal: (portName: string): Address => ({ host: spec.name, port: portOf(spec, portName).port }),
            endpoint: (portName: string): Endpoint => {
                const port = spec.ports.find((p) => p.name === portName);
                if (port === undefined) throw new Error(`service ${spec.name} has no port named "${portName}"`);
                const internal: Address = { host: spec.name, port: port.port };
                const external: Address =
                    port.publishAs === undefined ? internal : { host: externalHost, port: this.hostPort(port.publishAs) };
                // Resolves once the container exists, so consumers of the endpoint wait for a healthy service.
                // Through `name`, an input, not `id`: a replaced container's name is known at preview, so
                // services configured with this endpoint are not replaced with it.
                return container.name.apply(() => ({ scheme: port.scheme, internal, external }));
            },
        };
    }
}
