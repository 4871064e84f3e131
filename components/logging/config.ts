import { z } from "zod";
import { bucketName, entry, imageRef, resourcesSchema, strict } from "../../src/schema";
import { LOGGING_DEFAULTS } from "./defaults";

/** How long Loki keeps lines: whole days, as hours, days or weeks. */
const retention = z
    .string()
    .regex(/^[1-9][0-9]*(h|d|w)$/, { error: 'expected a retention such as "168h", "30d" or "4w"' })
    .refine((r) => !r.endsWith("h") || Number(r.slice(0, -1)) % 24 === 0, {
        error: 'expected whole days (Loki\'s index period is 24h), e.g. "168h"',
    });

/** `lakeforge:components.logging`; cross-capability checks live with the components schema. */
export const loggingSchema = strict({
    ...entry(["loki"], false),
    collector: z.enum(["alloy"]).default(LOGGING_DEFAULTS.collector),
    collectorImage: imageRef.optional(),
    collectorResources: resourcesSchema.optional(),
    storage: z.enum(["objectStore", "volume"]).default(LOGGING_DEFAULTS.storage),
    bucket: bucketName.default(LOGGING_DEFAULTS.bucket),
    retention: retention.default(LOGGING_DEFAULTS.retention),
});
