import { describe, expect, it } from "vitest";
import { loadStackConfig, mandatoryViolations, STACKS } from "../policies/evaluate";
import { deployShipped } from "./support/deploy";
import { shippedStacks } from "./support/stack";

describe("policy conformance of the shipped stacks", () => {
    it("ships a policy config for every stack and a stack for every policy config", () => {
        expect([...STACKS].sort()).toEqual(shippedStacks().sort());
    });

    // One stack per test file process would be cleaner, but the mocks are process-global and each
    // stack registers under its own stack name: run them one after another in this process.
    it.each(STACKS)("the %s stack's resources pass every rule its policy config makes mandatory", async (stack) => {
        const { recorded } = await deployShipped(stack);
        expect(recorded.length).toBeGreaterThan(20);
        const resources = recorded.map((r) => ({ type: r.type, name: r.name, props: r.inputs, protect: r.protect }));
        const violations = mandatoryViolations(resources, loadStackConfig(stack)).map(
            (v) => `${v.policy}: ${v.resourceType}/${v.resourceName}: ${v.message}`,
        );
        expect(violations).toEqual([]);
    });
});
