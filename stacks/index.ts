import type { LakeforgeConfig } from "../src/config";
import type { PlatformOutputs } from "../src/outputs";
import { dockerStack } from "./docker";
import { kubernetesStack } from "./kubernetes";
import { proxmoxStack } from "./proxmox";

/** Builds the stack for the configured target. */
export function deployPlatform(config: LakeforgeConfig): PlatformOutputs {
    switch (config.target) {
        case "docker":
            return dockerStack(config.docker, config.components);
        case "kubernetes":
            return kubernetesStack(config.kubernetes, config.components);
        case "proxmox":
            return proxmoxStack(config.proxmox, config.components, config.stack);
        default: {
            // Unreachable while every LakeforgeConfig target has a case; parseConfig refuses the others.
            const other: never = config;
            throw new Error(`lakeforge:target: no stack for ${JSON.stringify((other as { target?: unknown }).target)}`);
        }
    }
}
