import { DOCKER, isLakeforgeContainer, isProxmoxLxc } from "./types";
import { at, containsUnknown, fieldPath, isRecord, isUnknown, list, str, UNKNOWN, type Props } from "./inputs";
import { containersOf, podSpecOf, type Path } from "./kubernetes";
import { splitEnv } from "./secrets";
import { imageName, isStatefulImage } from "./images";

/** One environment variable a process is given. */
export interface EnvVar {
    /** Where it is set, e.g. `envs[2]` or `spec.template.spec.containers[0].env[1]`. */
    readonly field: string;
    readonly name: string;
    /** The literal value; undefined when it comes from a reference (`valueFrom`). */
    readonly value?: string;
}

/** A process lakeforge starts: a docker container, a Kubernetes container or an LXC guest. */
export interface Process {
    /** Field prefix of the process in the resource's inputs ("" for the resource itself). */
    readonly path: Path;
    /** Human label for messages. */
    readonly label: string;
    /** Image reference, `UNKNOWN`, or undefined (LXC guests have none). */
    readonly image: string | typeof UNKNOWN | undefined;
    /** Entrypoint/command plus arguments; [] means the image default; `UNKNOWN` if not known. */
    readonly argv: readonly unknown[] | typeof UNKNOWN;
    /** The field messages name for argv: `command`, or `args` when only args are set. */
    readonly argvField: string;
    /** Known environment variables; unknown entries are left out. */
    readonly env: readonly EnvVar[];
    /** False when some variables are unknown or injected from elsewhere (`envFrom`). */
    readonly envComplete: boolean;
    /** True for Kubernetes init containers. */
    readonly init: boolean;
}

function imageAt(spec: Props, key: string): Process["image"] {
    const value = at(spec, key);
    return isUnknown(value) ? UNKNOWN : str(value);
}

function joined(...parts: unknown[]): Process["argv"] {
    const lists = parts.map(list);
    return lists.some((l) => l === UNKNOWN) ? UNKNOWN : (lists as unknown[][]).flat();
}

function dockerEnv(props: Props): EnvVar[] {
    const entries = list(props["envs"]);
    if (entries === UNKNOWN) return [];
    return entries.flatMap((entry, i) => {
        const pair = str(entry) === undefined ? undefined : splitEnv(entry as string);
        return pair ? [{ field: fieldPath("envs", i), ...pair }] : [];
    });
}

function kubernetesEnv(path: Path, spec: Props): EnvVar[] {
    const entries = list(spec["env"]);
    if (entries === UNKNOWN) return [];
    return entries.flatMap((entry, i) => {
        const name = str(at(entry, "name"));
        const value = at(entry, "value");
        if (name === undefined || isUnknown(value)) return [];
        const field = fieldPath(...path, "env", i);
        return typeof value === "string" ? [{ field, name, value }] : [{ field, name }];
    });
}

/** Variables of a record input (`environmentVariables` of the bridged provider, `env` of lakeforge's container). */
function recordEnv(props: Props, key: string): EnvVar[] {
    const vars = at(props, key);
    if (!isRecord(vars)) return [];
    return Object.entries(vars).flatMap(([name, value]) =>
        str(value) === undefined ? [] : [{ field: fieldPath(key, name), name, value: value as string }],
    );
}

/** True when a container also takes variables from ConfigMaps/Secrets (`envFrom`), or may. */
function hasEnvFrom(spec: Props): boolean {
    const sources = list(spec["envFrom"]);
    return sources === UNKNOWN || sources.length > 0;
}

/** The processes a resource starts, with their image, argv and environment. */
export function processesOf(type: string, props: Props): Process[] {
    if (type === DOCKER.container) {
        const argv = joined(props["entrypoints"], props["command"]);
        const image = imageAt(props, "image");
        return [
            {
                path: [],
                label: "container",
                image,
                argv,
                argvField: "command",
                env: dockerEnv(props),
                envComplete: !containsUnknown(props["envs"]),
                init: false,
            },
        ];
    }
    if (isProxmoxLxc(type)) {
        return [
            {
                path: [],
                label: "LXC guest",
                image: undefined,
                argv: [],
                argvField: "",
                env: recordEnv(props, "environmentVariables"),
                envComplete: !containsUnknown(props["environmentVariables"]),
                init: false,
            },
        ];
    }
    if (isLakeforgeContainer(type)) {
        return [
            {
                path: [],
                label: "lakeforge proxmox container",
                image: imageAt(props, "image"),
                argv: joined(props["entrypoint"], props["command"]),
                argvField: "command",
                env: recordEnv(props, "env"),
                envComplete: !containsUnknown(props["env"]),
                init: false,
            },
        ];
    }
    const pod = podSpecOf(type, props);
    if (pod === undefined || pod === UNKNOWN) return [];
    return containersOf(pod).map((c) => ({
        path: c.path,
        label: `container "${c.label}"`,
        image: imageAt(c.spec, "image"),
        argv: joined(c.spec["command"], c.spec["args"]),
        argvField: fieldPath(...c.path, c.spec["command"] === undefined && c.spec["args"] !== undefined ? "args" : "command"),
        env: kubernetesEnv(c.path, c.spec),
        envComplete: !containsUnknown(c.spec["env"]) && !hasEnvFrom(c.spec),
        init: c.init,
    }));
}

/** Registry storage drivers that keep blobs in object storage rather than on local disk. */
const REMOTE_REGISTRY_STORAGE = /^(s3|gcs|azure|swift|oss)$/;

/** True when a process's env moves (or, when not fully known, may move) its data to object storage. */
function storesRemotely(image: string, p: Process): boolean {
    if (image !== "registry" && image !== "distribution") return false;
    return (
        !p.envComplete ||
        p.env.some(
            (e) =>
                /^REGISTRY_STORAGE_(S3|GCS|AZURE|SWIFT|OSS)_/.test(e.name) ||
                (e.name === "REGISTRY_STORAGE" && REMOTE_REGISTRY_STORAGE.test(e.value ?? "")),
        )
    );
}

/** Images whose command chooses between the server and a client (an unsealer, a CLI call). */
const SERVER_OR_CLIENT = ["vault", "openbao"];

/** True when a known command runs something else than the image's server, e.g. a shell loop or a CLI call. */
function runsClient(image: string, p: Process): boolean {
    return SERVER_OR_CLIENT.includes(image) && Array.isArray(p.argv) && p.argv.length > 0 && !p.argv.includes("server");
}

/** The stateful service a long-running process runs (its image name), unless it keeps data remotely or runs a client. */
export function statefulServiceOf(p: Process): string | undefined {
    if (p.init || typeof p.image !== "string" || !isStatefulImage(p.image)) return undefined;
    const name = imageName(p.image);
    return storesRemotely(name, p) || runsClient(name, p) ? undefined : name;
}
