/**
 * Runs the rules outside the Pulumi engine: the unit tests and the stacks' conformance test use it
 * to check mocked resources against a stack's policy config without starting a policy server.
 */
import * as fs from "fs";
import * as path from "path";
import * as policySdk from "@pulumi/policy";
import type { EnforcementLevel, ResourceValidationArgs, Severity } from "@pulumi/policy";
import { rules as allRules } from "./rules";
import { DEFAULT_ENFORCEMENT, type Rule } from "./lib/rule";

/** A resource as a test sees it: its type token, name, inputs and whether it is protected. */
export interface ResourceUnderTest {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly protect?: boolean;
    readonly urn?: string;
}

/** One rule's entry in a stack config: a level, or a level plus the rule's own settings. */
export type RuleSettings = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

/** A `policies/config/<stack>.json` file: rule name (or `all`) to settings. */
export type StackPolicyConfig = Readonly<Record<string, RuleSettings>>;

/** One violation, as `pulumi preview` would report it. */
export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: "advisory" | "mandatory";
    readonly severity: Severity;
    readonly resourceType: string;
    readonly resourceName: string;
    readonly message: string;
}

/** The stacks that ship a policy config. */
export const STACKS = ["dev", "e2e", "prod", "kind", "homelab"] as const;

/** A stack that ships a policy config. */
export type Stack = (typeof STACKS)[number];

function entry(config: StackPolicyConfig, name: string): RuleSettings | undefined {
    return config[name];
}

/** The level a rule runs at under a config: its own entry, then `all`, then the rule default. */
export function levelOf(rule: Rule, config: StackPolicyConfig): EnforcementLevel {
    for (const settings of [entry(config, rule.name), entry(config, "all")]) {
        if (typeof settings === "string") return settings;
        if (settings?.enforcementLevel !== undefined) return settings.enforcementLevel;
    }
    return DEFAULT_ENFORCEMENT;
}

/** A rule's settings under a config: schema defaults overlaid with the config's values. */
export function settingsOf(rule: Rule, config: StackPolicyConfig): Record<string, unknown> {
    const defaults = Object.fromEntries(
        Object.entries(rule.configSchema?.properties ?? {}).flatMap(([key, schema]) =>
            schema.default === undefined ? [] : [[key, schema.default]],
        ),
    );
    const settings = entry(config, rule.name);
    if (typeof settings !== "object") return defaults;
    const { enforcementLevel: _level, ...own } = settings;
    return { ...defaults, ...own };
}

/** Signature key and value the engine wraps secret values in (as recorded by `setMocks`). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Inputs as the policy server hands them to rules: secret wrappers replaced by their values. */
export function plainInputs(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(plainInputs);
    if (typeof value !== "object" || value === null) return value;
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) return plainInputs(record["value"]);
    if (record[SIG_KEY] !== undefined) return value; // assets, archives, resource references
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plainInputs(v)]));
}

/** Raised by `notApplicable`; the runner counts it as "no violation". */
class NotApplicable extends Error {}

/** The SDK's unknown-checking proxy (exported at runtime, absent from its typings). */
const unknownCheckingProxy = (policySdk as unknown as { unknownCheckingProxy(props: object): Record<string, unknown> })
    .unknownCheckingProxy;

/** Validation args shaped like the policy server's, props wrapped in the same unknown-checking proxy. */
export function validationArgs(resource: ResourceUnderTest, settings: Record<string, unknown>): ResourceValidationArgs {
    const props = unknownCheckingProxy(plainInputs(resource.props) as Record<string, unknown>);
    const isType = (cls: { __pulumiType?: string }): boolean => cls.__pulumiType === resource.type;
    return {
        type: resource.type,
        props,
        urn: resource.urn ?? `urn:pulumi:test::lakeforge::${resource.type}::${resource.name}`,
        name: resource.name,
        opts: {
            protect: resource.protect ?? false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        stackTags: new Map(),
        isType: (cls) => isType(cls as { __pulumiType?: string }),
        asType: ((cls: { __pulumiType?: string }) => (isType(cls) ? props : undefined)) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => settings as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** Runs one rule on one resource and returns the messages it reports. */
export function check(rule: Rule, resource: ResourceUnderTest, settings: Record<string, unknown> = {}): string[] {
    const messages: string[] = [];
    try {
        rule.validateResource(validationArgs(resource, settings), (message) => messages.push(message));
    } catch (error) {
        if (!(error instanceof NotApplicable)) throw error;
    }
    return messages;
}

/** Runs every enabled rule on every resource, at the levels and with the settings of `config`. */
export function evaluate(
    resources: readonly ResourceUnderTest[],
    config: StackPolicyConfig,
    rules: readonly Rule[] = allRules,
): Violation[] {
    return rules.flatMap((rule) => {
        const level = levelOf(rule, config);
        if (level === "disabled") return [];
        const settings = settingsOf(rule, config);
        return resources.flatMap((resource) =>
            check(rule, resource, settings).map((message) => ({
                policy: rule.name,
                enforcementLevel: level === "advisory" ? "advisory" : "mandatory",
                severity: rule.severity,
                resourceType: resource.type,
                resourceName: resource.name,
                message,
            })),
        );
    });
}

/** The violations that would block `pulumi preview` under `config`. */
export function mandatoryViolations(resources: readonly ResourceUnderTest[], config: StackPolicyConfig): Violation[] {
    return evaluate(resources, config).filter((v) => v.enforcementLevel === "mandatory");
}

/** The pack's directory: the nearest ancestor holding PulumiPolicy.yaml (source tree or bin/). */
function packDir(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`PulumiPolicy.yaml not found above ${__dirname}`);
    }
}

/** Path of a stack's policy config, as passed to `--policy-pack-config`. */
export function stackConfigPath(stack: Stack): string {
    return path.join(packDir(), "config", `${stack}.json`);
}

/** Reads a stack's policy config. */
export function loadStackConfig(stack: Stack): StackPolicyConfig {
    return JSON.parse(fs.readFileSync(stackConfigPath(stack), "utf8")) as StackPolicyConfig;
}
