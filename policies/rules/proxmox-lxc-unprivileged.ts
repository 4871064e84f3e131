import type { Rule } from "../lib/rule";
import { isProxmoxLxc } from "../lib/types";
import { at, inputsOf, isUnknown, shown } from "../lib/inputs";

/** Proxmox LXC guests run unprivileged. */
export const proxmoxLxcUnprivileged: Rule = {
    name: "proxmox-lxc-unprivileged",
    description:
        "Proxmox LXC containers set `unprivileged: true` (the provider default is false), so root in the guest " +
        "maps to an unprivileged UID on the Proxmox host.",
    severity: "critical",
    category: "hardening",
    remediationSteps:
        "Set `unprivileged: true` on the container (changing it recreates the guest: back up its mount points " +
        "first). Enable `features.nesting` only if the guest runs containers itself.",
    validateResource: (args, reportViolation) => {
        if (!isProxmoxLxc(args.type)) return;
        const unprivileged = at(inputsOf(args), "unprivileged");
        if (isUnknown(unprivileged) || unprivileged === true) return;
        reportViolation(`unprivileged: expected true, found ${shown(unprivileged)} (a privileged guest's root is host root).`);
    },
};
