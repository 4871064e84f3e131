/**
 * Reading resource inputs that may be unknown during preview.
 *
 * The policy server wraps `args.props` in a proxy that throws on any unknown value, which turns a
 * whole rule into a "can't run during preview" note. Rules read the raw inputs instead and treat
 * an unknown value as "could be compliant": never flagged, never thrown on.
 */

/** Sentinels @pulumi/policy uses for unknown values (proxy.js; asserted by tests/inputs.test.ts). */
export const UNKNOWN_SENTINELS = {
    boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

const SENTINELS: ReadonlySet<unknown> = new Set(Object.values(UNKNOWN_SENTINELS));

/** Marker `at` returns when any step of a path is unknown. */
export const UNKNOWN: unique symbol = Symbol("unknown");

/** Resource inputs as plain data. */
export type Props = Record<string, unknown>;

/** Key on which the SDK's proxy hands back its target (policy proxy.js `getSpecialProxyTarget`). */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** True for an unknown value: a policy sentinel or the `UNKNOWN` marker. */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN || SENTINELS.has(value);
}

/** True for a plain (non-array) object that is not unknown. */
export function isRecord(value: unknown): value is Props {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The resource's raw inputs, bypassing the unknown-checking proxy when there is one. */
export function inputsOf(args: { props: Record<string, unknown> }): Props {
    const target = args.props[PROXY_TARGET];
    return isRecord(target) ? target : args.props;
}

/** Value at `path` under `root`: `UNKNOWN` if any step is unknown, undefined if absent. */
export function at(root: unknown, ...path: readonly (string | number)[]): unknown {
    let node = root;
    for (const key of path) {
        if (isUnknown(node)) return UNKNOWN;
        if (typeof key === "number") node = Array.isArray(node) ? node[key] : undefined;
        else node = isRecord(node) ? node[key] : undefined;
    }
    return isUnknown(node) ? UNKNOWN : node;
}

/** An array input: `UNKNOWN` if unknown, [] if absent or not an array. */
export function list(value: unknown): readonly unknown[] | typeof UNKNOWN {
    if (isUnknown(value)) return UNKNOWN;
    return Array.isArray(value) ? value : [];
}

/** True when `value` or anything inside it is unknown. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (isRecord(value)) return Object.values(value).some(containsUnknown);
    return false;
}

/** A known string, or undefined (absent, unknown or another type). */
export function str(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** Renders a field path the way messages show it: `ports[0].ip`. */
export function fieldPath(...path: readonly (string | number)[]): string {
    return path
        .map((key, i) => {
            if (typeof key === "number") return `[${key}]`;
            if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `[${JSON.stringify(key)}]`;
            return i === 0 ? key : `.${key}`;
        })
        .join("");
}

/** Renders a found value for a message: JSON for data, "absent" for undefined. */
export function shown(value: unknown): string {
    return value === undefined ? "absent" : JSON.stringify(value);
}
