import { IMAGES } from "../../src/images";

/** Defaults of the QueryEngine capability; each is mirrored by an `@default` on its arg. */
export const QUERY_ENGINE_DEFAULTS = {
    engine: "trino",
    images: { trino: IMAGES.trino },
    /** Per process (coordinator, each worker): Trino's JVM takes 75% of it as heap. */
    resources: { memoryMb: 2048, cpus: 1 },
    workers: 1,
    /** The user Trino clients name in `TRINO_USER` (Trino has no authentication until one is configured). */
    user: "lakeforge",
} as const;
