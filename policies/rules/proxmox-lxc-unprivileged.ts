import type { Rule } from "../lib/rule";
import { isLakeforgeContainer, isProxmoxLxc } from "../lib/types";
import { at, inputsOf, isUnknown, shown } from "../lib/inputs";

/** Proxmox LXC guests run unprivileged. */
export const proxmoxLxcUnprivileged: Rule = {
    name: "proxmox-lxc-unprivileged",
    description:
        "Proxmox LXC containers set `unprivileged: true` (the provider default is false), and lakeforge's own " +
        "proxmox containers create with `unprivileged=1`, so root in the guest maps to an unprivileged UID on the Proxmox host.",
    severity: "critical",
    category: "hardening",
    remediationSteps:
        "Set `unprivileged: true` on the container (changing it recreates the guest: back up its mount points " +
        "first). Enable `features.nesting` only if the guest runs containers itself.",
    validateResource: (args, reportViolation) => {
        const props = inputsOf(args);
        const field = isProxmoxLxc(args.type) ? ["unprivileged"] : isLakeforgeContainer(args.type) ? ["create", "unprivileged"] : [];
        if (field.length === 0) return;
        const unprivileged = at(props, ...field);
        if (isUnknown(unprivileged) || unprivileged === true || unprivileged === 1) return;
        reportViolation(`${field.join(".")}: expected true, found ${shown(unprivileged)} (a privileged guest's root is host root).`);
    },
};
