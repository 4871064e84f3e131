import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../spec";
import { canonical } from "./diff";
import { hostsFile, runUser, SECRET_ENV_FILE, secretEnvFile, type ImageConfig } from "./mapping";
import type { ContainerFile } from "./node";

/** Mode of a file that holds a credential: readable by the service's user only. */
export const SECRET_MODE = 0o400;
/** Mode of a plain config file. */
export const PLAIN_MODE = 0o444;

/**
 * Everything lakeforge places in a service's container: the spec's files (secret ones 0400),
 * secret.env for `secretEnv`, and /etc/hosts from the static plan (with PVE told to leave it alone).
 */
export function containerFiles(
    spec: Pick<ServiceSpec, "files" | "user">,
    secretEnv: Readonly<Record<string, string>>,
    fileContents: readonly string[],
    hosts: Readonly<Record<string, string>>,
    image: ImageConfig,
): ContainerFile[] {
    const owner = runUser(spec, image);
    const withOwner = (f: Omit<ContainerFile, "owner">): ContainerFile => (owner === undefined ? f : { ...f, owner });
    const own = spec.files.map((f, i) =>
        withOwner({ path: f.path, content: fileContents[i] ?? "", mode: f.secret ? SECRET_MODE : PLAIN_MODE }),
    );
    const secrets =
        Object.keys(secretEnv).length > 0
            ? [withOwner({ path: SECRET_ENV_FILE, content: secretEnvFile(secretEnv), mode: SECRET_MODE })]
            : [];
    return [
        ...own,
        ...secrets,
        { path: "/etc/hosts", content: hostsFile(hosts), mode: 0o644 },
        { path: "/etc/.pve-ignore.hosts", content: "", mode: 0o644 },
    ];
}

/** The files of a spec once its secret inputs resolve: a secret Output, and the hash that drives updates. */
export function resolvedFiles(
    spec: ServiceSpec,
    hosts: Readonly<Record<string, string>>,
    image: pulumi.Input<ImageConfig>,
): { files: pulumi.Output<ContainerFile[]>; hash: pulumi.Output<string> } {
    const secretKeys = Object.keys(spec.secretEnv).sort();
    const files = pulumi
        .all([
            pulumi.all(spec.files.map((f) => f.content)),
            pulumi.all(secretKeys.map((k) => spec.secretEnv[k] as pulumi.Input<string>)),
            image,
        ])
        .apply(([contents, secretValues, img]) =>
            containerFiles(spec, Object.fromEntries(secretKeys.map((k, i) => [k, secretValues[i] ?? ""])), contents, hosts, img),
        );
    const hash = files.apply((f) => createHash("sha256").update(canonical(f)).digest("hex"));
    // The hash stays secret too: a low-entropy secret could be guessed back from it.
    return { files: pulumi.secret(files), hash: pulumi.secret(hash) };
}
