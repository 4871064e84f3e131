import type { z } from "zod";

/** Raised when stack config is invalid; lists one line per problem. */
export class ConfigError extends Error {
    constructor(public readonly problems: readonly string[]) {
        super(
            `invalid lakeforge config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

const TYPE_NAMES: Record<string, string> = {
    string: "a string",
    number: "a number",
    int: "an integer",
    boolean: "true or false",
    object: "an object",
    record: "an object",
    array: "a list",
};

/** Renders a value the way a user wrote it in YAML/JSON, shortened. */
export function describeValue(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `lakeforge:components.objectStore.buckets[0].name` from a config key and a zod path. */
export function keyPath(topKey: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>(
        (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`),
        `lakeforge:${topKey}`,
    );
}

function bound(kind: "at least" | "at most", issue: { origin: string; inclusive?: boolean }, limit: unknown): string {
    const n = String(limit);
    switch (issue.origin) {
        case "array":
            return `a list with ${kind} ${n} item${n === "1" ? "" : "s"}`;
        case "string":
            return `a string of ${kind} ${n} character${n === "1" ? "" : "s"}`;
        default: {
            const op = kind === "at least" ? (issue.inclusive === false ? ">" : ">=") : issue.inclusive === false ? "<" : "<=";
            return `a number ${op} ${n}`;
        }
    }
}

/** What the schema expected, in words. */
function expectation(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case "invalid_type":
            return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
        case "invalid_value":
            return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        case "too_small":
            return `expected ${bound("at least", issue, issue.minimum)}`;
        case "too_big":
            return `expected ${bound("at most", issue, issue.maximum)}`;
        default:
            return issue.message;
    }
}

/** One line per problem: `<full key path>: expected <what>, found <value>`. */
export function formatIssues(topKey: string, issues: readonly z.core.$ZodIssue[]): string[] {
    return issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            const input = (issue.input ?? {}) as Record<string, unknown>;
            return issue.keys.map(
                (key) => `${keyPath(topKey, [...issue.path, key])}: ${issue.message}, found ${describeValue(input[key])}`,
            );
        }
        return [`${keyPath(topKey, issue.path)}: ${expectation(issue)}, found ${describeValue(issue.input)}`];
    });
}
