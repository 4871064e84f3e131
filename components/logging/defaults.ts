import { IMAGES } from "../../src/images";

/** Defaults of the Logging capability; each is mirrored by an `@default` on its arg. */
export const LOGGING_DEFAULTS = {
    engine: "loki",
    image: IMAGES.loki,
    resources: { memoryMb: 1024, cpus: 1 },
    collector: "alloy",
    collectorImage: IMAGES.alloy,
    collectorResources: { memoryMb: 256, cpus: 0.25 },
    /** Loki keeps its chunks and index in its own bucket, through its own key. */
    storage: "objectStore",
    bucket: "logs",
    /** Its object-store key's name (the consumer), whole-bucket on `bucket` only. */
    consumer: "loki",
    /** How long Loki keeps lines; whole days (its index period is 24h). */
    retention: "168h",
} as const;
