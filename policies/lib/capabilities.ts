import { isUnknown, list, UNKNOWN } from "./inputs";

/** Capabilities that amount to host or kernel control; never added back to a platform service. */
export const DANGEROUS_CAPABILITIES = [
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "NET_ADMIN",
    "DAC_READ_SEARCH",
    "BPF",
    "PERFMON",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "SYSLOG",
];

/** `cap_sys_admin` -> `SYS_ADMIN`. */
export function normalizeCapability(name: string): string {
    return name.toUpperCase().replace(/^CAP_/, "");
}

/**
 * Known capability names of a list input, normalized; `UNKNOWN` if the list or any entry is unknown
 * (an unknown entry could be the one that matters).
 */
export function capabilityList(value: unknown): string[] | typeof UNKNOWN {
    const entries = list(value);
    if (entries === UNKNOWN || entries.some(isUnknown)) return UNKNOWN;
    return entries.flatMap((e) => (typeof e === "string" ? [normalizeCapability(e)] : []));
}
