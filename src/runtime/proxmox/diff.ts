import type * as pulumi from "@pulumi/pulumi";
import type { ConsoleLogsInputs } from "./console-log-impl";
import type { ContainerInputs } from "./container-impl";
import type { FilesInputs, ReadyInputs } from "./guest-impl";
import type { TemplateInputs, VolumeInputs } from "./storage-impl";

/*
 * What each proxmox resource does on a change, decided from old and new inputs only, so a preview
 * with unchanged config shows no change and never calls the node.
 */

/** JSON with sorted keys: equal values compare equal whatever order their keys were built in. */
export function canonical(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
            : v,
    );
}

/** The keys among `keys` whose values differ. */
export function changedKeys<T extends object>(olds: T, news: T, keys: readonly (keyof T)[]): string[] {
    return keys.filter((k) => canonical(olds[k]) !== canonical(news[k])).map(String);
}

function result(changed: string[], replaces: string[] = []): pulumi.dynamic.DiffResult {
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
}

const CREDENTIALS = ["pve", "apiToken"] as const;

/** A template is replaced for another image, storage or transport; nothing else touches the node. */
export function diffTemplate(olds: TemplateInputs, news: TemplateInputs): pulumi.dynamic.DiffResult {
    const replaces = changedKeys(olds, news, ["image", "storage", "transport"]);
    return result(changedKeys(olds, news, ["image", "storage", "transport", "archiveDir", "skopeo", ...CREDENTIALS]), replaces);
}

/** A data volume is never replaced: a change of where it lives is refused, a new size is recorded only. */
export function diffVolume(olds: VolumeInputs, news: VolumeInputs): pulumi.dynamic.DiffResult {
    const moved = changedKeys(olds, news, ["storage", "owner", "name"]);
    if (moved.length > 0) {
        throw new Error(
            `the data volume ${olds.name} on ${olds.storage} (owner ${olds.owner}) would move (${moved.join(", ")} changed), ` +
                `which would leave its data behind; lakeforge never replaces a data volume. Set lakeforge:proxmox.storage.volumes ` +
                `and volumeOwner back, or move the data by hand (pct move-volume) and remove the volume from the stack state`,
        );
    }
    return result(changedKeys(olds, news, ["sizeGb", ...CREDENTIALS]));
}

/** The root file system's storage: `local-lvm` of `local-lvm:4`. */
function rootfsStorage(create: Readonly<Record<string, string | number>>): string {
    return String(create["rootfs"] ?? "").split(":")[0] ?? "";
}

/** A container is replaced for a new image, root file system storage or vmid; everything else changes in place. */
export function diffContainer(olds: ContainerInputs, news: ContainerInputs): pulumi.dynamic.DiffResult {
    const replaces = [
        ...changedKeys(olds.create, news.create, ["ostemplate", "unprivileged", "vmid"]).map((k) => `create.${k}`),
        ...(rootfsStorage(olds.create) !== rootfsStorage(news.create) ? ["create.rootfs"] : []),
    ];
    const changed = changedKeys(olds, news, [
        "config",
        "env",
        "entrypoint",
        "command",
        "gate",
        "rootfsGb",
        "service",
        "raw",
        "logFile",
        "ssh",
        "sshKey",
        ...CREDENTIALS,
    ]);
    return result([...changed, ...replaces], replaces);
}

/** Files are pushed again when their content or the container instance changes. */
export function diffFiles(olds: FilesInputs, news: FilesInputs): pulumi.dynamic.DiffResult {
    return result(changedKeys(olds, news, ["hash", "instance", "vmid", "ssh", "sshKey", ...CREDENTIALS]));
}

/** The health check runs again for a new instance, new files or a new check. */
export function diffReady(olds: ReadyInputs, news: ReadyInputs): pulumi.dynamic.DiffResult {
    return result(changedKeys(olds, news, ["instance", "filesHash", "check", "vmid", "deadlineSeconds", "ssh", "sshKey"]));
}

/** The log directory is prepared again for a new owner or new node credentials; a new directory replaces it. */
export function diffConsoleLogs(olds: ConsoleLogsInputs, news: ConsoleLogsInputs): pulumi.dynamic.DiffResult {
    const replaces = changedKeys(olds, news, ["dir", "stack"]);
    return result(changedKeys(olds, news, ["dir", "stack", "owner", "ssh", "sshKey"]), replaces);
}
