import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { ImageConfig } from "./mapping";

const run = promisify(execFile);

/*
 * OCI archives on the machine running Pulumi: made by skopeo (which keeps the digest a PVE pull
 * refuses) unless already in the archive directory, and read with tar for the image's own config.
 */

/** Where archives are kept: `images.archiveDir`, else the user's cache. */
export function archiveDir(configured: string | undefined): string {
    const cache = process.env["XDG_CACHE_HOME"] ?? path.join(process.env["HOME"] ?? ".", ".cache");
    return configured ?? path.join(cache, "lakeforge", "oci");
}

/** The archive of `image` at `file`, copied from its registry with skopeo when it is not there yet. */
export async function ensureArchive(image: string, file: string, skopeo: string): Promise<void> {
    if (fs.existsSync(file)) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    try {
        await run(skopeo, ["copy", "--retry-times", "3", `docker://${image}`, `oci-archive:${partial}`], { maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
        fs.rmSync(partial, { force: true });
        const detail = (err as { stderr?: string }).stderr?.trim() ?? String(err);
        throw new Error(`lakeforge:proxmox.images: could not copy ${image} into an OCI archive with ${skopeo}: ${detail}`);
    }
    fs.renameSync(partial, file);
}

/** One member of a tar archive, as text. */
async function member(archive: string, name: string): Promise<string> {
    const { stdout } = await run("tar", ["-xOf", archive, name], { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
}

/** A blob of an OCI layout by its digest. */
async function blob(archive: string, digest: string): Promise<Record<string, unknown>> {
    const [algorithm, hex] = digest.split(":");
    return JSON.parse(await member(archive, `blobs/${algorithm}/${hex}`)) as Record<string, unknown>;
}

/** Env, Entrypoint, Cmd and User from the archive's image config (index -> manifest -> config), as PVE reads them. */
export async function readImageConfig(archive: string): Promise<ImageConfig> {
    const index = JSON.parse(await member(archive, "index.json")) as { manifests?: { digest: string }[] };
    let manifest = await blob(archive, index.manifests?.[0]?.digest ?? "");
    // An index of platforms: take its first manifest, as skopeo copied only this machine's platform.
    const nested = manifest["manifests"] as { digest: string }[] | undefined;
    if (nested !== undefined) manifest = await blob(archive, nested[0]?.digest ?? "");
    const config = await blob(archive, (manifest["config"] as { digest: string }).digest);
    const c = (config["config"] ?? {}) as { Env?: string[]; Entrypoint?: string[]; Cmd?: string[]; User?: string };
    return { env: c.Env ?? [], entrypoint: c.Entrypoint ?? [], cmd: c.Cmd ?? [], user: c.User ?? "" };
}
