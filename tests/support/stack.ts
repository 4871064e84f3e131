import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ConfigError, parseConfig } from "../../src/config";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** A stack file's `config:` block as `pulumi.runtime.allConfig()` would hand it to the program. */
export function stackConfig(stack: string): Record<string, string> {
    const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
    const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    return toAllConfig(doc.config ?? {});
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
