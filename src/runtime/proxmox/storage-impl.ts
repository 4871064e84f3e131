import * as path from "node:path";
import { withApi, type ApiInputs } from "./connection";
import { templateFileName, type ImageConfig } from "./mapping";
import { archiveDir, ensureArchive, readImageConfig } from "./oci-archive";

/*
 * The dynamic providers' work on the node's storages: OCI templates and data volumes. Loaded by
 * resources.ts at run time, inside the Pulumi engine.
 */

/** Inputs of an OCI template. */
export interface TemplateInputs extends ApiInputs {
    readonly image: string;
    readonly storage: string;
    readonly transport: "upload" | "pull";
    readonly archiveDir?: string;
    readonly skopeo: string;
}

/** What a template resource keeps: the template's volume id and, in upload mode, the image's config. */
export interface TemplateOutputs extends TemplateInputs {
    readonly volid: string;
    readonly imageConfig?: ImageConfig;
}

interface Content {
    readonly volid: string;
}

/** Puts the image on the template storage unless it is there already (named by digest: one upload per image). */
export async function createTemplate(inputs: TemplateInputs): Promise<TemplateOutputs> {
    const fileName = templateFileName(inputs.image);
    const volid = `${inputs.storage}:vztmpl/${fileName}`;
    return withApi(inputs, async (api) => {
        const contentPath = api.nodePath(`/storage/${encodeURIComponent(inputs.storage)}/content`);
        const present = (await api.call<Content[]>("GET", contentPath, { content: "vztmpl" })).some((c) => c.volid === volid);
        if (inputs.transport === "pull") {
            if (!present) {
                // PVE appends .tar to the name itself.
                const params = { reference: inputs.image, filename: fileName.replace(/\.tar$/, "") };
                await api.task(
                    "POST",
                    api.nodePath(`/storage/${encodeURIComponent(inputs.storage)}/oci-registry-pull`),
                    params,
                    `pull of ${inputs.image}`,
                );
            }
            return { ...inputs, volid };
        }
        const file = path.join(archiveDir(inputs.archiveDir), fileName);
        await ensureArchive(inputs.image, file, inputs.skopeo);
        const imageConfig = await readImageConfig(file);
        if (!present) await api.waitTask(await api.upload(inputs.storage, file), `upload of ${fileName}`);
        return { ...inputs, volid, imageConfig };
    });
}

/** Inputs of a data volume. */
export interface VolumeInputs extends ApiInputs {
    readonly storage: string;
    /** The holder vmid that owns the volume: no container's destruction deletes it. */
    readonly owner: number;
    /** `<service>-<volume>`, part of the volume's name on the storage. */
    readonly name: string;
    readonly sizeGb: number;
}

/** Storage types whose container volumes are subvolumes or directories: usable without mkfs. */
const SUBVOL_STORAGES = ["zfspool", "dir", "btrfs"];

/** The volume's file name as PVE's storage plugins require it for a subvolume of `owner`. */
export function volumeFileName(type: string, owner: number, name: string): string {
    return type === "zfspool" ? `subvol-${owner}-lakeforge-${name}` : `subvol-${owner}-lakeforge-${name}.subvol`;
}

/**
 * Allocates the volume owned by the holder vmid, or adopts it when it is already there (data kept by
 * an earlier destroy comes back). Subvolume storages only: a raw volume would need a file system.
 */
export async function createVolume(inputs: VolumeInputs): Promise<VolumeInputs & { volid: string }> {
    return withApi(inputs, async (api) => {
        const storagePath = api.nodePath(`/storage/${encodeURIComponent(inputs.storage)}`);
        const { type } = await api.call<{ type: string }>("GET", `${storagePath}/status`);
        if (!SUBVOL_STORAGES.includes(type)) {
            throw new Error(
                `lakeforge:proxmox.storage.volumes: storage ${inputs.storage} is of type ${type}; data volumes need a storage ` +
                    `that holds container subvolumes (${SUBVOL_STORAGES.join(", ")}), so no file system has to be made on them`,
            );
        }
        const fileName = volumeFileName(type, inputs.owner, inputs.name);
        const existing = (await api.call<Content[]>("GET", `${storagePath}/content`, { vmid: inputs.owner })).find((c) =>
            c.volid.endsWith(fileName),
        );
        if (existing !== undefined) return { ...inputs, volid: existing.volid };
        // zfs sets the size as the dataset's quota; a directory subvolume has none.
        const size = type === "zfspool" ? `${inputs.sizeGb}G` : "0";
        const volid = await api.call<string>("POST", `${storagePath}/content`, {
            vmid: inputs.owner,
            filename: fileName,
            size,
            format: "subvol",
        });
        return { ...inputs, volid };
    });
}
