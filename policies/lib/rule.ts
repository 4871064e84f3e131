import type { EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity } from "@pulumi/policy";

/**
 * What a rule protects. Stack configs set each rule's enforcement level from its category:
 * dev and kind keep the first four mandatory and the rest advisory; prod makes all mandatory.
 */
export type Category =
    "exposure" | "credentials" | "least-privilege" | "supply-chain" | "hardening" | "provenance" | "durability" | "operability";

/** Every category, in the order the README lists them. */
export const CATEGORIES: readonly Category[] = [
    "exposure",
    "credentials",
    "least-privilege",
    "supply-chain",
    "hardening",
    "provenance",
    "durability",
    "operability",
];

/** A synchronous resource check, so `evaluate` can run rules without a policy server. */
export type RuleCheck = (args: ResourceValidationArgs, reportViolation: ReportViolation) => void;

/** A lakeforge rule: a resource policy with every descriptive field required. */
export interface Rule {
    /** Kebab-case, says what is checked. */
    readonly name: string;
    /** One sentence: what must hold and why. */
    readonly description: string;
    /** How bad a violation is. */
    readonly severity: Severity;
    /** What to change so the rule passes. */
    readonly remediationSteps: string;
    /** What the rule protects; drives the level in each stack config. */
    readonly category: Category;
    /** Optional JSON schema of the rule's own settings in a stack config. */
    readonly configSchema?: ResourceValidationPolicy["configSchema"];
    /** The check itself; reads inputs only, never throws on unknown values. */
    readonly validateResource: RuleCheck;
}

/** Level used when no stack config names the rule: secure by default (prod behaviour). */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";

/** The @pulumi/policy view of a rule, as handed to `PolicyPack`. */
export function toPolicy(rule: Rule): ResourceValidationPolicy {
    const { category, ...policy } = rule;
    return { ...policy, enforcementLevel: DEFAULT_ENFORCEMENT, tags: [category] };
}
