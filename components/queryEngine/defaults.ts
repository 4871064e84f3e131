import { IMAGES } from "../../src/images";

/** The query engines lakeforge runs. */
export type QueryEngineKind = "trino" | "spark";

/** Defaults of the QueryEngine capability; each is mirrored by an `@default` on its arg. */
export const QUERY_ENGINE_DEFAULTS = {
    engine: "trino" as QueryEngineKind,
    engines: ["trino"] as QueryEngineKind[],
    images: { trino: IMAGES.trino, spark: IMAGES.spark },
    /** Per process (Trino's coordinator and each worker: the JVM takes 75% as heap; Spark's driver 60%). */
    resources: { trino: { memoryMb: 2048, cpus: 1 }, spark: { memoryMb: 2048, cpus: 1 } },
    workers: 1,
    sparkWorkers: 0,
    /** The user Trino clients name in `TRINO_USER` (Trino has no authentication until one is configured). */
    user: "lakeforge",
};
