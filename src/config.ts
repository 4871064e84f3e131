import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { componentsSchema, type ComponentsConfig } from "./components-schema";
import { ConfigError, describeValue, formatIssues } from "./config-errors";
import { dockerSettingsSchema, type DockerSettings } from "./runtime/docker-settings";
import { kubernetesConfigProblems, kubernetesSettingsSchema, type KubernetesSettings } from "./runtime/kubernetes-settings";
import { proxmoxSettingsSchema, type ProxmoxSettings } from "./runtime/proxmox/settings";
import type { Target } from "./types";

export { ConfigError } from "./config-errors";

/** The whole validated stack config: the only thing components and stacks see of config. */
export type LakeforgeConfig =
    | { readonly target: "docker"; readonly stack: string; readonly components: ComponentsConfig; readonly docker: DockerSettings }
    | {
          readonly target: "kubernetes";
          readonly stack: string;
          readonly components: ComponentsConfig;
          readonly kubernetes: KubernetesSettings;
      }
    | { readonly target: "proxmox"; readonly stack: string; readonly components: ComponentsConfig; readonly proxmox: ProxmoxSettings };

const TARGETS: readonly Target[] = ["docker", "kubernetes", "proxmox"];
/** Targets this release can deploy; the others are accepted words but refused with a clear message. */
const AVAILABLE_TARGETS: readonly Target[] = ["docker", "kubernetes", "proxmox"];
const TOP_KEYS = ["target", "components", "docker", "kubernetes", "proxmox"] as const;

/** Parses one config value: objects arrive as JSON text, plain strings as themselves. */
function decode(raw: string | undefined): unknown {
    if (raw === undefined) return undefined;
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

function validate<S extends z.ZodType>(schema: S, key: string, raw: string | undefined, problems: string[]): z.output<S> | undefined {
    const value = decode(raw) ?? {};
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    problems.push(...formatIssues(key, result.error.issues));
    return undefined;
}

/**
 * Validates the `lakeforge:*` stack config (as `pulumi.runtime.allConfig()` returns it) and
 * applies defaults. Throws a ConfigError listing every problem, each naming its full key.
 */
export function parseConfig(all: Readonly<Record<string, string>>, stack: string): LakeforgeConfig {
    const problems: string[] = [];
    for (const key of Object.keys(all)) {
        const [ns, name] = key.split(":", 2);
        if (ns === "lakeforge" && !TOP_KEYS.includes(name as (typeof TOP_KEYS)[number])) {
            problems.push(
                `${key}: unknown key (expected one of: ${TOP_KEYS.map((k) => `lakeforge:${k}`).join(", ")}), found ${describeValue(decode(all[key]))}`,
            );
        }
    }
    const target = decode(all["lakeforge:target"]);
    if (typeof target !== "string" || !TARGETS.includes(target as Target)) {
        problems.push(
            `lakeforge:target: expected one of ${TARGETS.map((t) => JSON.stringify(t)).join(", ")}, found ${describeValue(target)}`,
        );
    } else if (!AVAILABLE_TARGETS.includes(target as Target)) {
        problems.push(
            `lakeforge:target: expected one of ${AVAILABLE_TARGETS.map((t) => JSON.stringify(t)).join(", ")} (the ${target} target is not available in this lakeforge release), found "${target}"`,
        );
    }
    for (const other of TARGETS.filter((t) => t !== target && all[`lakeforge:${t}`] !== undefined)) {
        problems.push(
            `lakeforge:${other}: expected no settings for a target the stack does not use (lakeforge:target is ${describeValue(target)}), found ${describeValue(decode(all[`lakeforge:${other}`]))}`,
        );
    }
    const components = validate(componentsSchema, "components", all["lakeforge:components"], problems);
    const docker = target === "docker" ? validate(dockerSettingsSchema, "docker", all["lakeforge:docker"], problems) : undefined;
    const kubernetes =
        target === "kubernetes" ? validate(kubernetesSettingsSchema, "kubernetes", all["lakeforge:kubernetes"], problems) : undefined;
    if (kubernetes !== undefined && components !== undefined) problems.push(...kubernetesConfigProblems(kubernetes, components));
    const proxmox = target === "proxmox" ? validate(proxmoxSettingsSchema, "proxmox", all["lakeforge:proxmox"], problems) : undefined;
    if (problems.length > 0 || components === undefined) throw new ConfigError(problems);
    if (docker !== undefined) return { target: "docker", stack, components, docker };
    if (kubernetes !== undefined) return { target: "kubernetes", stack, components, kubernetes };
    if (proxmox !== undefined) return { target: "proxmox", stack, components, proxmox };
    throw new ConfigError([`lakeforge:target: no runtime for ${describeValue(target)}`]);
}

/** Reads and validates the current stack's config; the program's only config access. */
export function loadConfig(): LakeforgeConfig {
    return parseConfig(pulumi.runtime.allConfig(), pulumi.getStack());
}
