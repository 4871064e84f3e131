import { IMAGES } from "../../src/images";

/** Defaults of the Registry capability; each is mirrored by an `@default` on its arg. */
export const REGISTRY_DEFAULTS = {
    engine: "distribution",
    image: IMAGES.distribution,
    resources: { memoryMb: 256, cpus: 0.5 },
    username: "lakeforge",
    storage: "volume",
    bucket: "registry",
} as const;

/** Name of the registry's own object-store key when it stores images in the object store. */
export const REGISTRY_CONSUMER = "registry";
