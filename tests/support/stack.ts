import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ConfigError, parseConfig } from "../../src/config";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..", "..");

/**
 * What a stack's user sets with `pulumi config set [--secret] --path` before the first preview (the
 * stack file's own comments say which): values no shipped file can hold, as tests stand them in.
 */
export const USER_SET: Readonly<Record<string, Record<string, Record<string, unknown>>>> = {
    homelab: {
        "lakeforge:proxmox": {
            apiToken: "lakeforge@pve!deploy=user-set-api-token-secret",
            caCert: "-----BEGIN CERTIFICATE-----\nuser-set-ca\n-----END CERTIFICATE-----\n",
            ssh: {
                privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nuser-set-ssh-key-secret\n-----END OPENSSH PRIVATE KEY-----\n",
                hostKey: `SHA256:${"A".repeat(43)}`,
            },
        },
    },
};

/** `over` merged into `base`, objects key by key. */
function deepMerge(base: unknown, over: unknown): unknown {
    if (typeof base !== "object" || base === null || typeof over !== "object" || over === null) return over;
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v);
    return out;
}

/** A stack file's `config:` block (plus what its user sets, USER_SET) as `pulumi.runtime.allConfig()` would hand it to the program. */
export function stackConfig(stack: string): Record<string, string> {
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    return toAllConfig(deepMerge(doc.config ?? {}, USER_SET[stack] ?? {}) as Record<string, unknown>);
}

/** Config values as the engine passes them: strings as-is, everything else as JSON text. */
export function toAllConfig(config: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** Names of the stacks the repository ships (Pulumi.<name>.yaml). */
export function shippedStacks(): string[] {
    return fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined);
}

/** The problems parseConfig reports for a config (keys as in a stack file), or [] when it is valid. */
export function configProblems(config: Record<string, unknown>): readonly string[] {
    try {
        parseConfig(toAllConfig(config), "test");
        return [];
    } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
}
