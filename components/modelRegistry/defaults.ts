import { IMAGES } from "../../src/images";

/** Defaults of the ModelRegistry capability; each is mirrored by an `@default` on its arg. */
export const MODEL_REGISTRY_DEFAULTS = {
    engine: "mlflow",
    image: IMAGES.mlflow,
    resources: { memoryMb: 1536, cpus: 1 },
    /** Its database (and login role) in the platform's PostgreSQL, and its object-store key's name. */
    database: "mlflow",
    consumer: "mlflow",
    /** Artifacts go under this prefix of the lake bucket. */
    prefix: "mlflow",
} as const;
