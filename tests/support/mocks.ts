import * as pulumi from "@pulumi/pulumi";

/** One resource the program registered, with its inputs as the engine would receive them. */
export interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly provider?: string;
    /** The `protect` resource option as sent (undefined when the program left it unset). */
    readonly protect?: boolean;
    /** The `retainOnDelete` resource option as sent (undefined when unset). */
    readonly retainOnDelete?: boolean;
}

/** Resource options the program sent with each registration, by `type::name`. */
export interface SentOptions {
    protect?: boolean;
    retainOnDelete?: boolean;
}

/** Options of every registration since the last `installMocks`, by `type::name`. */
export const sentOptions = new Map<string, SentOptions>();

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a recorded input value arrived as a Pulumi secret. */
export function isSecretInput(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The plain value of a recorded input, secret or not. */
export function plain<T = unknown>(value: unknown): T {
    return (isSecretInput(value) ? (value as { value: unknown }).value : value) as T;
}

/** The image config a mocked proxmox template reads from its OCI archive. */
export const MOCK_IMAGE_CONFIG = { env: ["PATH=/usr/local/bin:/usr/bin:/bin"], entrypoint: ["/entrypoint.sh"], cmd: ["serve"], user: "" };

/** Outputs each provider computes; secret where the provider's schema marks them secret. */
function outputsFor(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "random:index/randomPassword:RandomPassword":
            return { result: pulumi.secret(`generated-password-${name}`), bcryptHash: pulumi.secret(`$2a$10$bcrypt-${name}`) };
        case "random:index/randomBytes:RandomBytes":
            // `+` and `/` as real base64 has, so URL-safe conversions show.
            return { base64: pulumi.secret(`generated-bytes-${name}+/A=`), hex: pulumi.secret(`generated-bytes-hex-${name}`) };
        case "random:index/randomString:RandomString":
            return { result: `generated-string-${name}` };
        case "docker:index/remoteImage:RemoteImage":
            return { imageId: `sha256:${"a".repeat(64)}`, repoDigest: `${String(inputs["name"])}@sha256:${"b".repeat(64)}` };
        case "pulumi-nodejs:dynamic/lakeforge:VaultInit":
            return { keys: pulumi.secret([`unseal-key-${name}`]), rootToken: pulumi.secret(`root-token-${name}`) };
        case "pulumi-nodejs:dynamic/lakeforge:ProxmoxOciTemplate":
            return { volid: `${String(inputs["storage"])}:vztmpl/${name}.tar`, imageConfig: MOCK_IMAGE_CONFIG };
        case "pulumi-nodejs:dynamic/lakeforge:ProxmoxVolume":
            return { volid: `${String(inputs["storage"])}:subvol-${String(inputs["owner"])}-lakeforge-${String(inputs["name"])}` };
        case "pulumi-nodejs:dynamic/lakeforge:ProxmoxContainer":
            return { instance: `instance-${name}`, imageConfig: inputs["imageConfig"] ?? MOCK_IMAGE_CONFIG };
        case "vault:appRole/authBackendRole:AuthBackendRole":
            return { roleId: `role-id-${name}` };
        case "vault:appRole/authBackendRoleSecretId:AuthBackendRoleSecretId":
            return { secretId: pulumi.secret(`secret-id-${name}`), accessor: `accessor-${name}` };
        default:
            return {};
    }
}

/** The part of a RegisterResourceRequest the recorder reads. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    hasProtect(): boolean;
    getProtect(): boolean;
    hasRetainondelete(): boolean;
    getRetainondelete(): boolean;
}

/** A recorded input at a key path, secrets unwrapped at every level; undefined where the path ends. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
    const node = plain(value);
    if (path.length === 0) return node;
    const [key, ...rest] = path as [string | number, ...(string | number)[]];
    return typeof node === "object" && node !== null ? at((node as Record<string | number, unknown>)[key], ...rest) : undefined;
}

/** The pod spec of a recorded workload. */
export function podOf(r: Recorded): unknown {
    return at(r.inputs, "spec", "template", "spec");
}

/** Installs Pulumi mocks that record every resource; calls (invokes) are refused. */
export function installMocks(stack = "dev", preview = false): Recorded[] {
    const recorded: Recorded[] = [];
    void pulumi.runtime.setMocks(
        {
            newResource(args) {
                // The engine refuses a second registration of the same type and name ("Duplicate resource URN").
                if (recorded.some((r) => r.type === args.type && r.name === args.name)) {
                    throw new Error(`Duplicate resource URN: ${args.type}::${args.name}`);
                }
                const sent = sentOptions.get(`${args.type}::${args.name}`) ?? {};
                recorded.push({
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs as Record<string, unknown>,
                    provider: args.provider,
                    ...sent,
                });
                return {
                    id: `${args.name}-id`,
                    state: { ...args.inputs, ...outputsFor(args.type, args.name, args.inputs as Record<string, unknown>) },
                };
            },
            call(args) {
                throw new Error(`unexpected provider function call in a unit test: ${args.token}`);
            },
        },
        "lakeforge",
        stack,
        preview,
    );
    // MockResourceArgs carries no resource options: read them off the request before the mocks see it.
    sentOptions.clear();
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: RegisterRequest, cb: unknown): unknown };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        sentOptions.set(`${req.getType()}::${req.getName()}`, {
            protect: req.hasProtect() ? req.getProtect() : undefined,
            retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
        });
        return register(req, cb);
    };
    return recorded;
}

/** Resolves an Output's value (and whether it is secret) under mocks. */
export async function resolve<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
    const [value, secret] = await Promise.all([new Promise<T>((res) => output.apply((v) => res(v))), pulumi.isSecret(output)]);
    return { value, secret };
}

/** Waits until the program's pending registrations have reached the mocks. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((res) => setImmediate(res));
}

/** Recorded resources of one type token. */
export function ofType(recorded: readonly Recorded[], type: string): Recorded[] {
    return recorded.filter((r) => r.type === type);
}

/** The one recorded resource with this type and name; fails the test otherwise. */
export function one(recorded: readonly Recorded[], type: string, name: string): Recorded {
    const found = recorded.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(
            `expected one ${type} named ${name}, found ${found.length}: ${recorded.map((r) => `${r.type}/${r.name}`).join(", ")}`,
        );
    }
    return found[0] as Recorded;
}
