import type * as pulumi from "@pulumi/pulumi";
import type { PlatformEndpoints } from "../../src/outputs";

/** Variables a client sets for one consumer; secret values stay Outputs. */
export type EnvMap = Record<string, pulumi.Input<string>>;

/**
 * What one capability adds to the platform: each compose step returns one, and composePlatform
 * folds them into the outputs, so adding a capability is one step and one line below.
 */
export interface Contribution {
    readonly endpoints: PlatformEndpoints;
    /** Variables for the stack's clientEnv (the first consumer's, where there are several). */
    readonly env: EnvMap;
    /** Credentials to write to the Secrets capability, by path under its KV mount. */
    readonly credentials: readonly (readonly [path: string, data: EnvMap])[];
}

/** Target-level choices that apply to every capability. */
export interface PlatformOptions {
    /** Protect data-holding resources (databases, buckets, the KV mount, Vault's init) from deletion. */
    readonly protectData: boolean;
}
