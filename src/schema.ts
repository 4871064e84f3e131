import { z } from "zod";

/** An object schema that rejects unknown keys, naming the keys it knows. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
    const known = Object.keys(shape).join(", ");
    return z.strictObject(shape, {
        error: (issue) => (issue.code === "unrecognized_keys" ? `unknown key (expected one of: ${known})` : undefined),
    });
}

/** A TCP port number. */
export const port = z.number().int().min(1).max(65535);

/** A DNS-1123 label: container, network, Kubernetes object names. */
export const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
    error: "expected a DNS label (lowercase letters, digits and '-', at most 63 characters)",
});

/** A pinned image reference: a tag or a digest is required and `latest` is refused. */
export const imageRef = z
    .string()
    .regex(/^[a-z0-9][a-z0-9._\/:-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?$/, {
        error: 'expected an image reference such as "postgres:16.11-alpine3.22"',
    })
    .refine((ref) => /:[^/]+$/.test(ref.split("@")[0] ?? "") || ref.includes("@sha256:"), {
        error: "expected an image pinned by tag or digest (no tag means latest)",
    })
    .refine((ref) => !/:latest(@|$)/.test(ref), { error: "expected an image pinned to a version, not latest" });

/** CPU and memory of one service. */
export const resourcesSchema = strict({
    memoryMb: z.number().int().min(64),
    cpus: z.number().gt(0).max(64),
});

/** An S3 bucket name. */
export const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    error: "expected an S3 bucket name (3-63 lowercase letters, digits, '.', '-')",
});

/** Fields every capability entry takes. */
export function entry<const E extends readonly [string, ...string[]]>(engines: E, enabled: boolean) {
    return {
        enabled: z.boolean().default(enabled),
        engine: z.enum(engines).default(engines[0]),
        image: imageRef.optional(),
        resources: resourcesSchema.optional(),
    };
}

/** Reports each entry of `names` that repeats an earlier one or is reserved, at `path[i]<field>`. */
export function checkNames(
    ctx: z.core.$RefinementCtx,
    names: readonly string[],
    at: (i: number) => (string | number)[],
    what: string,
    reserved: readonly string[] = [],
): void {
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
        const first = seen.get(name);
        if (first !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: at(i),
                input: name,
                message: `expected a ${what} name not already used by entry [${first}]`,
            });
        } else if (reserved.includes(name)) {
            ctx.addIssue({
                code: "custom",
                path: at(i),
                input: name,
                message: `expected a ${what} name other than ${reserved.map((r) => JSON.stringify(r)).join(", ")} (used by the platform itself)`,
            });
        }
        if (first === undefined) seen.set(name, i);
    });
}
