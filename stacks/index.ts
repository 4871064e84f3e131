import type { LakeforgeConfig } from "../src/config";
import type { PlatformOutputs } from "../src/outputs";
import { dockerStack } from "./docker";

/** Builds the stack for the configured target. */
export function deployPlatform(config: LakeforgeConfig): PlatformOutputs {
    switch (config.target) {
        case "docker":
            return dockerStack(config.docker, config.components);
        default:
            throw new Error(`lakeforge:target: no stack for "${config.target}"`);
    }
}
