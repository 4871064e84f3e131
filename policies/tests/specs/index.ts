import type { RuleSpec } from "../util";
import { credentialSpecs } from "./credentials";
import { durabilitySpecs } from "./durability";
import { exposureSpecs } from "./exposure";
import { hardeningSpecs } from "./hardening";
import { imageSpecs } from "./images";
import { operabilitySpecs } from "./operability";
import { privilegeSpecs } from "./privilege";

/** The test spec of every rule. */
export const specs: readonly RuleSpec[] = [
    ...imageSpecs,
    ...exposureSpecs,
    ...credentialSpecs,
    ...privilegeSpecs,
    ...hardeningSpecs,
    ...durabilitySpecs,
    ...operabilitySpecs,
];
