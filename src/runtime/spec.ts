import type * as pulumi from "@pulumi/pulumi";
import type { Address, Endpoint, Resources, Target } from "../types";

/** A port a service listens on. */
export interface ServicePort {
    /** Stable name of the port within the service, e.g. `s3`, `console`. */
    readonly name: string;
    readonly port: number;
    readonly scheme: "http" | "postgresql" | "tcp";
    /**
     * Key under the target's port settings (e.g. `lakeforge:docker.ports.objectStore`) that
     * publishes this port outside the platform network; unset keeps it internal.
     */
    readonly publishAs?: string;
}

/** A file the component renders and the runtime places into the container. */
export interface ServiceFile {
    /** Absolute path inside the container. */
    readonly path: string;
    readonly content: pulumi.Input<string>;
    /** Holds a credential: a Secret (never a ConfigMap) on Kubernetes, a secret in state. */
    readonly secret: boolean;
}

/** A directory of state that must survive a container being replaced. */
export interface ServiceVolume {
    /** Short role name, e.g. `data`; the runtime derives the volume/PVC name from it. */
    readonly name: string;
    readonly path: string;
}

/** A command run inside the container; exit code 0 means healthy. */
export interface HealthCheck {
    readonly command: readonly string[];
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    readonly retries: number;
    /** Grace time after start during which failures do not count. */
    readonly startPeriodSeconds: number;
}

/**
 * The seam between capabilities and targets: one workload, described without any target's
 * vocabulary. A capability builds it; a runtime realizes it.
 */
export interface ServiceSpec {
    /** Service name, also its DNS name inside the platform network. */
    readonly name: string;
    /** Pinned image reference (`repo:tag` or `repo:tag@sha256:...`). */
    readonly image: string;
    /** Replaces the image's default command (arguments to its entrypoint). */
    readonly command?: readonly string[];
    /** Replaces the image's entrypoint, where a service must run something before it (`command` then follows it). */
    readonly entrypoint?: readonly string[];
    /** Plain settings; never credentials. */
    readonly env: Readonly<Record<string, string>>;
    /** Credentials passed as environment variables; kept secret end to end. */
    readonly secretEnv: Readonly<Record<string, pulumi.Input<string>>>;
    readonly files: readonly ServiceFile[];
    readonly ports: readonly ServicePort[];
    readonly volumes: readonly ServiceVolume[];
    readonly healthCheck: HealthCheck;
    readonly resources: Resources;
    /** `uid:gid` to run as; unset where the image must start as root (it then drops privileges). */
    readonly user?: string;
    /** Capabilities the image needs back after dropping ALL. */
    readonly capabilities: readonly string[];
    /** Whether the image runs with a read-only root filesystem (writable paths are volumes). */
    readonly readOnlyRootFilesystem: boolean;
    /**
     * Directories the image declares as volumes that hold nothing worth keeping (logs, caches):
     * given scratch space, so no anonymous volume is left behind on docker.
     */
    readonly scratchPaths?: readonly string[];
    /** Size of `/dev/shm` in MiB, where the server needs more than the engine's 64 MiB default. */
    readonly sharedMemoryMb?: number;
    /** Needs what only the stack's bootstrap creates (keys, tokens); exports without a bootstrap leave it out. */
    readonly afterBootstrap?: boolean;
    /**
     * The platform's log collector: it receives every other service's output as the runtime's
     * `logDelivery` says, and may read nothing else of the platform.
     */
    readonly collectsLogs?: boolean;
}

/**
 * How a target hands every service's output to the platform's log collector.
 * `push`: the target sends each service's output itself, as GELF messages over UDP to `port` of the
 * collector (which then needs no access to the host), with the service's name as the GELF `_tag`.
 * `pull`: the collector reads each service's output through the platform's API, in `namespace` only;
 * each service's workloads carry its name in the label `serviceLabel`.
 * `files`: the collector reads one file per service, `<dir>/<service>.log`, the target writes.
 */
export type LogDelivery =
    | { readonly kind: "push"; readonly port: number }
    | { readonly kind: "pull"; readonly namespace: string; readonly serviceLabel: string }
    | { readonly kind: "files"; readonly dir: string };

/** A service a runtime has realized. */
export interface DeployedService {
    /** The endpoint of one of the spec's ports, by port name; resolves once the service is up. */
    endpoint(portName: string): Endpoint;
    /**
     * Where platform services reach one of the spec's ports. Known before anything exists and tied
     * to no resource, so a service configured with it is not replaced when this one is.
     */
    internal(portName: string): Address;
    /** Resources that are ready once the service is healthy; bootstrap providers depend on them. */
    readonly ready: pulumi.Resource[];
}

/** Turns ServiceSpecs into one target's resources. */
export interface Runtime {
    readonly target: Target;
    /** How a log collector deployed on this runtime receives the platform's logs. */
    readonly logDelivery: LogDelivery;
    /** Creates the service's resources as children of `parent`. */
    deploy(spec: ServiceSpec, parent: pulumi.Resource): DeployedService;
}

/** The spec's port named `portName`; an unknown name is a programming error. */
export function portOf(spec: ServiceSpec, portName: string): ServicePort {
    const port = spec.ports.find((p) => p.name === portName);
    if (port === undefined) throw new Error(`service ${spec.name} has no port named "${portName}"`);
    return port;
}
