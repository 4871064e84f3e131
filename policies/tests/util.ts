/**
 * Test helpers: run a rule on a fixture, change one field, and sweep every field with the
 * policy SDK's unknown sentinels (how preview presents values that are not known yet).
 */
import { check } from "../evaluate";
import type { Rule } from "../lib/rule";
import { UNKNOWN_SENTINELS } from "../lib/inputs";

/** A key path into a fixture's props. */
export type Path = readonly (string | number)[];

/** A resource a rule is run on. */
export interface Fixture {
    /** Shown in test names; unique within a spec. */
    readonly label: string;
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly protect?: boolean;
    /** The rule's settings (what a stack config gives `getConfig`). */
    readonly settings?: Record<string, unknown>;
}

/** Marks a field to delete rather than set. */
export const ABSENT = Symbol("absent");

/** One violation branch: the fixture with ONE field (or one option, or the settings) changed. */
export type ViolationCase = {
    readonly branch: string;
    /** Label of the passing fixture to start from; defaults to the spec's first fixture. */
    readonly from?: string;
    readonly expect: RegExp;
} & ({ readonly set: Path; readonly to: unknown } | { readonly protect: boolean } | { readonly settings: Record<string, unknown> });

/** Everything a rule is tested with. */
export interface RuleSpec {
    readonly rule: Rule;
    /** Fixtures that must pass, one per resource type the rule covers (and per setting that matters). */
    readonly passing: readonly Fixture[];
    readonly violations: readonly ViolationCase[];
}

/** Messages the rule reports for a fixture. */
export function run(rule: Rule, fixture: Fixture): string[] {
    return check(rule, { ...fixture, name: fixture.label.replace(/\W+/g, "-") }, fixture.settings ?? {});
}

/** Deep copy that also breaks shared references (fixtures reuse objects such as `resources`). */
function clone<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/** A copy of `props` with the value at `path` replaced (or removed, for `ABSENT`). */
export function withField(props: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
    const copy = clone(props);
    let node: unknown = copy;
    path.forEach((key, i) => {
        const container = node as Record<string | number, unknown>;
        if (i === path.length - 1) {
            if (value === ABSENT) {
                if (Array.isArray(container) && typeof key === "number") container.splice(key, 1);
                else delete container[key];
            } else container[key] = value;
            return;
        }
        if (container[key] === undefined) container[key] = typeof path[i + 1] === "number" ? [] : {};
        node = container[key];
    });
    return copy;
}

/** The fixture a violation case describes. */
export function applyCase(spec: RuleSpec, c: ViolationCase): Fixture {
    const base = spec.passing.find((f) => f.label === (c.from ?? spec.passing[0]?.label));
    if (base === undefined) throw new Error(`${spec.rule.name}: no passing fixture "${c.from ?? ""}"`);
    if ("set" in c) return { ...base, props: withField(base.props, c.set, c.to) };
    if ("protect" in c) return { ...base, protect: c.protect };
    return { ...base, settings: { ...base.settings, ...c.settings } };
}

/** Every path in a value: each object key and array index, intermediate nodes included. */
export function allPaths(value: unknown, prefix: Path = []): Path[] {
    const children: [string | number, unknown][] = Array.isArray(value)
        ? value.map((v, i) => [i, v])
        : typeof value === "object" && value !== null
          ? Object.entries(value)
          : [];
    return children.flatMap(([key, child]) => [[...prefix, key], ...allPaths(child, [...prefix, key])]);
}

/** The sentinel the SDK would use for a value of this shape during preview. */
function typedSentinel(value: unknown): string {
    if (Array.isArray(value)) return UNKNOWN_SENTINELS.array;
    if (typeof value === "boolean") return UNKNOWN_SENTINELS.boolean;
    if (typeof value === "number") return UNKNOWN_SENTINELS.number;
    if (typeof value === "object" && value !== null) return UNKNOWN_SENTINELS.object;
    return UNKNOWN_SENTINELS.string;
}

/** Copies of the fixture with one field at a time made unknown (typed and string sentinels). */
export function unknownVariants(fixture: Fixture): { path: Path; fixture: Fixture }[] {
    return allPaths(fixture.props).flatMap((path) => {
        const original = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], fixture.props);
        return [...new Set([typedSentinel(original), UNKNOWN_SENTINELS.string])].map((sentinel) => ({
            path,
            fixture: { ...fixture, props: withField(fixture.props, path, sentinel) },
        }));
    });
}
