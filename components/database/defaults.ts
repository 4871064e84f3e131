import { IMAGES } from "../../src/images";

/** Defaults of the Database capability; each is mirrored by an `@default` on its arg. */
export const DATABASE_DEFAULTS = {
    engine: "postgres",
    image: IMAGES.postgres,
    resources: { memoryMb: 1024, cpus: 1 },
    superuser: "postgres",
    databases: ["lakehouse"],
} as const;
