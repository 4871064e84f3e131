import { IMAGES } from "../../src/images";

/** Defaults of the Secrets capability; each is mirrored by an `@default` on its arg. */
export const SECRETS_DEFAULTS = {
    engine: "vault",
    images: { vault: IMAGES.vault, openbao: IMAGES.openbao },
    resources: { memoryMb: 512, cpus: 0.5 },
    kvMount: "lakeforge",
    keyShares: 1,
    keyThreshold: 1,
    appRole: "ci",
    autoUnseal: true,
} as const;
