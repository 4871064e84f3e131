import type { ComponentsConfig } from "../src/components-schema";
import type { PlatformOutputs } from "../src/outputs";
import { ProxmoxRuntime } from "../src/runtime/proxmox/runtime";
import type { ProxmoxSettings } from "../src/runtime/proxmox/settings";
import { composePlatform } from "./platform";

/** The homelab stack: one Proxmox VE node, one unprivileged LXC container per service on a static address plan. */
export function proxmoxStack(settings: ProxmoxSettings, components: ComponentsConfig, stack: string): PlatformOutputs {
    const runtime = new ProxmoxRuntime({ settings, stack, collectLogs: components.logging.enabled });
    const outputs = composePlatform("proxmox", runtime, components, { protectData: settings.protect });
    runtime.finish();
    return outputs;
}
