import { stackConfig } from "./stack";

/** The shipped `kind` stack's config with the catalog switched to `engine` (and the rest of its components kept). */
export function kindWithCatalog(engine: string, queryEngine: boolean): Record<string, string> {
    const config = stackConfig("kind");
    const components = JSON.parse(config["lakeforge:components"] ?? "{}") as Record<string, Record<string, unknown>>;
    components["catalog"] = { ...components["catalog"], enabled: true, engine };
    components["queryEngine"] = { ...components["queryEngine"], enabled: queryEngine };
    return { ...config, "lakeforge:components": JSON.stringify(components) };
}

/** A docker `dev` config with only the lakehouse core: database, object store, the catalog `engine` and optionally query engines. */
export function dockerWithCatalog(engine: string, engines: readonly string[]): Record<string, string> {
    return {
        "lakeforge:target": "docker",
        "lakeforge:components": JSON.stringify({
            catalog: { enabled: true, engine },
            queryEngine: engines.length === 0 ? { enabled: false } : { enabled: true, engines },
        }),
    };
}

/** Mandatory policy violations of recorded resources under a shipped stack's policy config, one line each. */
export async function policyViolations(
    stack: "dev" | "kind",
    recorded: readonly { type: string; name: string; inputs: Record<string, unknown>; protect?: boolean }[],
): Promise<string[]> {
    const { loadStackConfig, mandatoryViolations } = await import("../../policies/evaluate");
    const resources = recorded.map((r) => ({ type: r.type, name: r.name, props: r.inputs, protect: r.protect }));
    return mandatoryViolations(resources, loadStackConfig(stack)).map(
        (v) => `${v.policy}: ${v.resourceType}/${v.resourceName}: ${v.message}`,
    );
}
