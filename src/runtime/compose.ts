import * as pulumi from "@pulumi/pulumi";
import type { Address, Endpoint } from "../types";
import { DOCKER_GELF_PORT, DOCKER_LOG_OPTS, dockerScratchPaths, gelfLogOpts } from "./docker";
import type { DockerSettings } from "./docker-settings";
import { portOf, type DeployedService, type LogDelivery, type Runtime, type ServiceSpec } from "./spec";

/** A ServiceSpec with every input resolved to plain values. */
export interface ResolvedSpec extends Omit<ServiceSpec, "files" | "secretEnv"> {
    readonly files: readonly { path: string; content: string; secret: boolean }[];
    readonly secretEnv: Readonly<Record<string, string>>;
}

/** A file the export writes next to `compose.yaml`; secret ones go under `secrets/`. */
export interface ExportFile {
    readonly path: string;
    readonly content: string;
    readonly secret: boolean;
}

/**
 * Collects ServiceSpecs instead of deploying them, for `npm run render -- --format compose`: the
 * same specs the docker runtime realizes, as one docker compose project. Services that need the
 * stack's bootstrap (the unsealer needs keys only an `up` creates) are left out.
 */
export class ComposeRuntime implements Runtime {
    readonly target = "docker" as const;
    readonly logDelivery: LogDelivery = { kind: "push", port: DOCKER_GELF_PORT };
    readonly specs: ServiceSpec[] = [];

    constructor(private readonly settings: DockerSettings) {}

    deploy(spec: ServiceSpec): DeployedService {
        if (!spec.afterBootstrap) this.specs.push(spec);
        const ports: Readonly<Record<string, number>> = this.settings.ports;
        return {
            ready: [],
            internal: (portName: string): Address => ({ host: spec.name, port: portOf(spec, portName).port }),
            endpoint: (portName: string): Endpoint => {
                const port = spec.ports.find((p) => p.name === portName);
                if (port === undefined) throw new Error(`service ${spec.name} has no port named "${portName}"`);
                const internal: Address = { host: spec.name, port: port.port };
                const host = this.settings.bindAddress === "0.0.0.0" ? "127.0.0.1" : this.settings.bindAddress;
                const external = port.publishAs === undefined ? internal : { host, port: ports[port.publishAs] ?? port.port };
                return pulumi.output({ scheme: port.scheme, internal, external });
            },
        };
    }

    /** Every collected spec with its inputs resolved. */
    async resolved(): Promise<ResolvedSpec[]> {
        const value = <T>(input: pulumi.Input<T>) => new Promise<T>((res) => pulumi.output(input).apply((v) => res(v as T)));
        return Promise.all(
            this.specs.map(async (spec) => ({
                ...spec,
                files: await Promise.all(spec.files.map(async (f) => ({ ...f, content: await value(f.content) }))),
                secretEnv: Object.fromEntries(
                    await Promise.all(Object.entries(spec.secretEnv).map(async ([k, v]) => [k, await value(v)] as const)),
                ),
            })),
        );
    }
}

/** `postgres` + `/run/secrets/postgres-password` → `postgres--run-secrets-postgres-password`. */
function fileKey(service: string, filePath: string): string {
    return `${service}${filePath.replace(/[^a-zA-Z0-9.]+/g, "-")}`;
}

/** As the docker runtime does: with a collector in the project, every other service ships its output to it and starts after it. */
function composeLogging(spec: ResolvedSpec, settings: DockerSettings, collector: string | undefined): Record<string, unknown> {
    if (collector === undefined || spec.collectsLogs === true) return { logging: { driver: "json-file", options: { ...DOCKER_LOG_OPTS } } };
    const host = settings.bindAddress === "0.0.0.0" ? "127.0.0.1" : settings.bindAddress;
    return {
        logging: { driver: "gelf", options: gelfLogOpts(spec.name, host, settings.ports.logShipping) },
        depends_on: { [collector]: { condition: "service_healthy" } },
    };
}

/** One compose service from a resolved spec; its files and secret env become files of the export. */
function composeService(spec: ResolvedSpec, settings: DockerSettings, files: ExportFile[], collector?: string): Record<string, unknown> {
    const ports: Readonly<Record<string, number>> = settings.ports;
    const secrets = spec.files.filter((f) => f.secret);
    const configs = spec.files.filter((f) => !f.secret);
    for (const f of spec.files)
        files.push({ path: `${f.secret ? "secrets" : "configs"}/${fileKey(spec.name, f.path)}`, content: f.content, secret: f.secret });
    const secretEnv = Object.entries(spec.secretEnv);
    if (secretEnv.length > 0)
        files.push({ path: `secrets/${spec.name}.env`, content: secretEnv.map(([k, v]) => `${k}=${v}\n`).join(""), secret: true });
    const tmpfs = dockerScratchPaths(spec);
    const check = spec.healthCheck;
    return {
        image: spec.image,
        container_name: `${settings.namePrefix}-${spec.name}`,
        ...(spec.command ? { command: [...spec.command] } : {}),
        ...(spec.entrypoint ? { entrypoint: [...spec.entrypoint] } : {}),
        ...(Object.keys(spec.env).length > 0 ? { environment: { ...spec.env } } : {}),
        ...(secretEnv.length > 0 ? { env_file: [`secrets/${spec.name}.env`] } : {}),
        ...(secrets.length > 0 ? { secrets: secrets.map((f) => ({ source: fileKey(spec.name, f.path), target: f.path })) } : {}),
        ...(configs.length > 0 ? { configs: configs.map((f) => ({ source: fileKey(spec.name, f.path), target: f.path })) } : {}),
        ...(spec.ports.some((p) => p.publishAs) || spec.collectsLogs === true
            ? {
                  ports: [
                      ...spec.ports
                          .filter((p) => p.publishAs)
                          .map((p) => `${settings.bindAddress}:${ports[p.publishAs as string]}:${p.port}`),
                      ...(spec.collectsLogs === true
                          ? [`${settings.bindAddress}:${settings.ports.logShipping}:${DOCKER_GELF_PORT}/udp`]
                          : []),
                  ],
              }
            : {}),
        ...(spec.volumes.length > 0 ? { volumes: spec.volumes.map((v) => `${spec.name}-${v.name}:${v.path}`) } : {}),
        ...(tmpfs.length > 0 ? { tmpfs } : {}),
        healthcheck: {
            test: ["CMD", ...check.command],
            interval: `${check.intervalSeconds}s`,
            timeout: `${check.timeoutSeconds}s`,
            retries: check.retries,
            start_period: `${check.startPeriodSeconds}s`,
        },
        restart: "unless-stopped",
        mem_limit: `${spec.resources.memoryMb}m`,
        memswap_limit: `${spec.resources.memoryMb}m`,
        cpus: spec.resources.cpus,
        ...(spec.sharedMemoryMb !== undefined ? { shm_size: `${spec.sharedMemoryMb}m` } : {}),
        ...(spec.user !== undefined ? { user: spec.user } : {}),
        cap_drop: ["ALL"],
        ...(spec.capabilities.length > 0 ? { cap_add: [...spec.capabilities] } : {}),
        security_opt: ["no-new-privileges:true"],
        ...composeLogging(spec, settings, collector),
        networks: { platform: { aliases: [spec.name] } },
    };
}

/** The compose project of resolved specs, and the files it references (relative to compose.yaml). */
export function renderCompose(
    specs: readonly ResolvedSpec[],
    settings: DockerSettings,
): { document: Record<string, unknown>; files: ExportFile[] } {
    const files: ExportFile[] = [];
    const collector = specs.find((s) => s.collectsLogs === true)?.name;
    const services = Object.fromEntries(specs.map((s) => [s.name, composeService(s, settings, files, collector)]));
    const volumes = Object.fromEntries(
        specs.flatMap((s) => s.volumes.map((v) => [`${s.name}-${v.name}`, { name: `${settings.namePrefix}-${s.name}-${v.name}` }])),
    );
    const entries = (secret: boolean) =>
        Object.fromEntries(
            specs.flatMap((s) =>
                s.files
                    .filter((f) => f.secret === secret)
                    .map((f) => [fileKey(s.name, f.path), { file: `./${secret ? "secrets" : "configs"}/${fileKey(s.name, f.path)}` }]),
            ),
        );
    return {
        document: {
            name: settings.namePrefix,
            services,
            networks: { platform: { name: settings.network } },
            ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
            secrets: entries(true),
            configs: entries(false),
        },
        files,
    };
}
