import { describe, expect, it } from "vitest";
import { specs } from "./specs";
import { applyCase, run, unknownVariants } from "./util";

for (const spec of specs) {
    describe(spec.rule.name, () => {
        it.each(spec.passing.map((f) => [f.label, f] as const))("passes: %s", (_label, fixture) => {
            expect(run(spec.rule, fixture)).toEqual([]);
        });

        it.each(spec.violations.map((c) => [c.branch, c] as const))("flags: %s", (_branch, violation) => {
            const messages = run(spec.rule, applyCase(spec, violation));
            expect(messages).toHaveLength(1);
            expect(messages[0]).toMatch(violation.expect);
        });

        it("neither throws nor flags when any single input of a passing fixture is unknown", () => {
            for (const fixture of spec.passing) {
                for (const variant of unknownVariants(fixture)) {
                    expect({ path: variant.path, messages: run(spec.rule, variant.fixture) }).toEqual({
                        path: variant.path,
                        messages: [],
                    });
                }
            }
        });

        it("does not throw when any single input of a violating fixture is unknown", () => {
            for (const violation of spec.violations) {
                for (const variant of unknownVariants(applyCase(spec, violation))) {
                    expect(() => run(spec.rule, variant.fixture)).not.toThrow();
                }
            }
        });

        it("ignores resources of other types", () => {
            const stranger = { label: "random password", type: "random:index/randomPassword:RandomPassword", props: { length: 32 } };
            expect(run(spec.rule, stranger)).toEqual([]);
        });
    });
}
