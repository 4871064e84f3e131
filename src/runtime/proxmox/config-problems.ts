import type { ComponentsConfig } from "../../components-schema";

/**
 * Problems that need both the proxmox settings and the components, in the config error format:
 * capabilities the proxmox runtime cannot serve yet.
 */
export function proxmoxConfigProblems(components: ComponentsConfig): string[] {
    // Nothing ships a container's output to a collector on PVE yet (no GELF driver, no log API).
    if (!components.logging.enabled) return [];
    return [
        `lakeforge:components.logging.enabled: expected false on the proxmox target (nothing ships container output ` +
            `to the collector there yet), found true`,
    ];
}
