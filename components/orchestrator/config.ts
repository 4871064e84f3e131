import { z } from "zod";
import { entry, imageRef, strict } from "../../src/schema";
import { ORCHESTRATOR_DEFAULTS } from "./defaults";

/** `lakeforge:components.orchestrator`; cross-capability checks live with the components schema. */
export const orchestratorSchema = strict({
    ...entry(["dagster", "airflow"], false),
    example: z.boolean().default(ORCHESTRATOR_DEFAULTS.example),
    codeLocation: strict({
        image: imageRef,
        module: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, {
            error: 'expected a Python module path like "my_pipelines.definitions"',
        }),
    }).optional(),
    dagsFolder: z
        .string()
        .regex(/^\/[^\s]*[^/\s]$/, { error: 'expected an absolute path inside the image like "/opt/airflow/dags"' })
        .default(ORCHESTRATOR_DEFAULTS.dagsFolder),
}).superRefine((o, ctx) => {
    if (o.engine === "airflow" && o.codeLocation !== undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["codeLocation"],
            input: o.codeLocation,
            message: 'expected no codeLocation with engine "airflow" (bake DAGs into orchestrator.image, under dagsFolder)',
        });
    }
    if (o.enabled && o.engine === "dagster" && !o.example && o.codeLocation === undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["codeLocation"],
            input: undefined,
            message: "expected {image, module} of a Dagster code location while example is false (Dagster needs code to serve)",
        });
    }
});
