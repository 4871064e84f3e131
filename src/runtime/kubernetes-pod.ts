import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Resources } from "../types";
import type { HealthCheck, ServiceFile, ServicePort, ServiceSpec } from "./spec";

type Input<T> = pulumi.Input<T>;
type PodSpec = k8s.types.input.core.v1.PodSpec;
type Probe = k8s.types.input.core.v1.Probe;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

/** Pod volume names the runtime uses for the spec's files and for scratch space. */
export const POD_VOLUMES = { secretFiles: "secret-files", configFiles: "config-files", tmp: "tmp" } as const;
/** Size of the writable /tmp given to containers with a read-only root filesystem (as on docker). */
export const TMP_SIZE = "64Mi";
/** Secret files are readable by the owner and the pod's fsGroup only; config files by anyone in the container. */
export const FILE_MODES = { secret: 0o440, config: 0o444 } as const;

/** The numeric identity a pod runs as; `fsGroup` makes volumes group-writable for it. */
export interface PodIdentity {
    readonly runAsUser: number;
    readonly runAsGroup: number;
    readonly fsGroup: number;
}

/**
 * `uid[:gid]` from the spec, or the runtime's default non-root UID for images that would start as
 * root: Kubernetes needs numbers to prove a container is not root.
 */
export function podIdentity(service: string, user: string | undefined, defaultUser: number): PodIdentity {
    if (user === undefined) return { runAsUser: defaultUser, runAsGroup: defaultUser, fsGroup: defaultUser };
    const match = /^(\d+)(?::(\d+))?$/.exec(user);
    if (match === null) throw new Error(`service ${service}: user "${user}" must be a numeric uid[:gid] on Kubernetes`);
    const uid = Number(match[1]);
    const gid = match[2] === undefined ? uid : Number(match[2]);
    if (uid === 0) throw new Error(`service ${service}: user "${user}" is root, which the restricted Pod Security level refuses`);
    return { runAsUser: uid, runAsGroup: gid, fsGroup: gid };
}

/** Readiness: the spec's own health command, polled at its interval. */
export function readinessProbe(check: HealthCheck): Probe {
    return {
        exec: { command: [...check.command] },
        initialDelaySeconds: check.startPeriodSeconds,
        periodSeconds: check.intervalSeconds,
        timeoutSeconds: check.timeoutSeconds,
        failureThreshold: Math.min(3, check.retries),
    };
}

/**
 * Liveness: only "is the process still listening", checked less often and only after the whole
 * startup window, so a slow or briefly unready server is not killed (restarting it would not help).
 */
export function livenessProbe(check: HealthCheck, first: ServicePort | undefined): Probe {
    const timing = {
        initialDelaySeconds: check.startPeriodSeconds + check.intervalSeconds * check.retries,
        periodSeconds: check.intervalSeconds * 4,
        timeoutSeconds: check.timeoutSeconds,
        failureThreshold: 6,
    };
    return first === undefined ? { exec: { command: [...check.command] }, ...timing } : { tcpSocket: { port: first.port }, ...timing };
}

/** Requests of half the memory limit and the spec's CPUs; a memory limit and no CPU limit (no throttling). */
export function containerResources(r: Resources): k8s.types.input.core.v1.ResourceRequirements {
    return {
        requests: { cpu: `${Math.max(1, Math.round(r.cpus * 1000))}m`, memory: `${Math.floor(r.memoryMb / 2)}Mi` },
        limits: { memory: `${r.memoryMb}Mi` },
    };
}

/** A file with the ConfigMap/Secret key it is stored under. */
export interface KeyedFile extends ServiceFile {
    readonly key: string;
}

/** Gives each file a unique, valid ConfigMap/Secret key derived from its file name. */
export function keyFiles(files: readonly ServiceFile[]): KeyedFile[] {
    const used = new Set<string>();
    return files.map((f) => {
        const base = (f.path.split("/").pop() ?? "file").replace(/[^-._a-zA-Z0-9]/g, "-") || "file";
        let key = base;
        for (let i = 2; used.has(key); i++) key = `${base}-${i}`;
        used.add(key);
        return { ...f, key };
    });
}

/** Plain env as values, credentials as `secretKeyRef`s into the service's env Secret; sorted by name. */
export function containerEnv(
    env: Readonly<Record<string, string>>,
    secretKeys: readonly string[],
    envSecretName: Input<string> | undefined,
): EnvVar[] {
    const plainVars: EnvVar[] = Object.entries(env).map(([name, value]) => ({ name, value }));
    const secretVars: EnvVar[] =
        envSecretName === undefined
            ? []
            : secretKeys.map((name) => ({ name, valueFrom: { secretKeyRef: { name: envSecretName, key: name } } }));
    return [...plainVars, ...secretVars].sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** Where the service's files, data and scratch space come from, and where they are mounted. */
export interface PodStorage {
    readonly volumes: Volume[];
    readonly mounts: VolumeMount[];
}

/** Volumes and mounts: one subPath mount per file, one claim per spec volume, /tmp when the root is read-only. */
export function podStorage(
    spec: ServiceSpec,
    files: readonly KeyedFile[],
    names: { secretFiles?: Input<string>; configFiles?: Input<string> },
): PodStorage {
    const volumes: Volume[] = [];
    const mounts: VolumeMount[] = [];
    if (names.secretFiles !== undefined) {
        volumes.push({ name: POD_VOLUMES.secretFiles, secret: { secretName: names.secretFiles, defaultMode: FILE_MODES.secret } });
    }
    if (names.configFiles !== undefined) {
        volumes.push({ name: POD_VOLUMES.configFiles, configMap: { name: names.configFiles, defaultMode: FILE_MODES.config } });
    }
    for (const f of files) {
        mounts.push({
            name: f.secret ? POD_VOLUMES.secretFiles : POD_VOLUMES.configFiles,
            mountPath: f.path,
            subPath: f.key,
            readOnly: true,
        });
    }
    for (const v of spec.volumes) mounts.push({ name: v.name, mountPath: v.path });
    (spec.scratchPaths ?? []).forEach((path, i) => {
        volumes.push({ name: `scratch-${i}`, emptyDir: { sizeLimit: TMP_SIZE } });
        mounts.push({ name: `scratch-${i}`, mountPath: path });
    });
    if (spec.sharedMemoryMb !== undefined) {
        volumes.push({ name: "shm", emptyDir: { medium: "Memory", sizeLimit: `${spec.sharedMemoryMb}Mi` } });
        mounts.push({ name: "shm", mountPath: "/dev/shm" });
    }
    // A spec's own scratch /tmp already covers it (the API server refuses two mounts at one path).
    if (spec.readOnlyRootFilesystem && !(spec.scratchPaths ?? []).includes("/tmp")) {
        volumes.push({ name: POD_VOLUMES.tmp, emptyDir: { sizeLimit: TMP_SIZE } });
        mounts.push({ name: POD_VOLUMES.tmp, mountPath: "/tmp" });
    }
    return { volumes, mounts };
}

/** What podSpec needs besides the ServiceSpec. */
export interface PodInputs {
    readonly identity: PodIdentity;
    readonly env: EnvVar[];
    readonly storage: PodStorage;
    /** The only pods with an API token: a log collector's (see kubernetes-logs.ts). */
    readonly serviceAccount?: Input<string>;
}

/**
 * The pod of one service, restricted Pod Security Standard: non-root with a numeric identity,
 * no privilege escalation, every capability dropped, RuntimeDefault seccomp, no service account
 * token (but for a log collector's own account) and no service-link variables (they would collide with MINIO_*, REGISTRY_*, VAULT_* settings).
 */
export function podSpec(spec: ServiceSpec, inputs: PodInputs): PodSpec {
    const { identity, env, storage, serviceAccount } = inputs;
    return {
        automountServiceAccountToken: serviceAccount !== undefined,
        ...(serviceAccount === undefined ? {} : { serviceAccountName: serviceAccount }),
        enableServiceLinks: false,
        securityContext: {
            runAsNonRoot: true,
            runAsUser: identity.runAsUser,
            runAsGroup: identity.runAsGroup,
            fsGroup: identity.fsGroup,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
        },
        containers: [
            {
                name: spec.name,
                image: spec.image,
                command: spec.entrypoint ? [...spec.entrypoint] : undefined,
                args: spec.command ? [...spec.command] : undefined,
                env,
                ports: spec.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: "TCP" })),
                volumeMounts: storage.mounts,
                readinessProbe: readinessProbe(spec.healthCheck),
                livenessProbe: livenessProbe(spec.healthCheck, spec.ports[0]),
                resources: containerResources(spec.resources),
                securityContext: {
                    runAsNonRoot: true,
                    allowPrivilegeEscalation: false,
                    privileged: false,
                    readOnlyRootFilesystem: spec.readOnlyRootFilesystem,
                    capabilities: { drop: ["ALL"], ...(spec.capabilities.length > 0 ? { add: [...spec.capabilities] } : {}) },
                    seccompProfile: { type: "RuntimeDefault" },
                },
            },
        ],
        volumes: storage.volumes,
    };
}

/**
 * SHA-256 over every file and credential a pod reads at start, so a changed one rolls the pods
 * (subPath mounts and env never refresh in place). Not secret: a digest of generated credentials
 * reveals nothing of them, and a secret annotation would hide the whole pod spec in every diff.
 */
export function configHash(files: readonly KeyedFile[], secretEnv: Readonly<Record<string, pulumi.Input<string>>>): pulumi.Output<string> {
    const keys = Object.keys(secretEnv).sort();
    const digest = pulumi
        .all([pulumi.all(files.map((f) => f.content)), pulumi.all(keys.map((k) => secretEnv[k] as pulumi.Input<string>))])
        .apply(([contents, values]) =>
            createHash("sha256")
                .update(JSON.stringify({ files: files.map((f, i) => [f.path, contents[i]]), env: keys.map((k, i) => [k, values[i]]) }))
                .digest("hex"),
        );
    return pulumi.unsecret(digest);
}
