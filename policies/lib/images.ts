import { DOCKER, isLakeforgeContainer } from "./types";
import { at, fieldPath, isUnknown, UNKNOWN, type Props } from "./inputs";
import { containersOf, podSpecOf } from "./kubernetes";

/** A parsed image reference (`registry:5000/team/name:tag@sha256:...`). */
export interface ImageRef {
    /** Everything before the tag and digest, registry included. */
    readonly repository: string;
    /** The tag, if any. */
    readonly tag?: string;
    /** `sha256:<hex>` when pinned by content, including a bare image ID. */
    readonly digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/i;

/** Parses an image reference; a bare `sha256:` image ID counts as a digest. */
export function parseImage(reference: string): ImageRef {
    if (DIGEST.test(reference)) return { repository: "", digest: reference };
    const [named = "", digest] = reference.split("@", 2);
    const slash = named.lastIndexOf("/");
    const colon = named.lastIndexOf(":");
    const hasTag = colon > slash;
    return {
        repository: hasTag ? named.slice(0, colon) : named,
        ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
        ...(digest !== undefined && DIGEST.test(digest) ? { digest } : {}),
    };
}

/** Last path segment of the repository, lower-cased: `hashicorp/vault` -> `vault`. */
export function imageName(reference: string): string {
    const { repository } = parseImage(reference);
    return (repository.split("/").pop() ?? "").toLowerCase();
}

/** One image reference a resource asks for, with the field it came from. */
export interface ImageField {
    readonly field: string;
    readonly image: string;
}

/** Known image references of docker containers, remote images, lakeforge's proxmox containers and Kubernetes pod templates. */
export function imagesOf(type: string, props: Props): ImageField[] {
    const found: { field: string; value: unknown }[] = [];
    if (type === DOCKER.container) found.push({ field: "image", value: at(props, "image") });
    if (type === DOCKER.remoteImage) found.push({ field: "name", value: at(props, "name") });
    if (isLakeforgeContainer(type)) found.push({ field: "image", value: at(props, "image") });
    const pod = podSpecOf(type, props);
    if (pod !== undefined && pod !== UNKNOWN) {
        for (const c of containersOf(pod)) {
            found.push({ field: fieldPath(...c.path, "image"), value: at(c.spec, "image") });
        }
    }
    return found.flatMap(({ field, value }) =>
        typeof value === "string" && !isUnknown(value) && value !== "" ? [{ field, image: value }] : [],
    );
}

/** Images whose containers keep state that must outlive the container. */
export const STATEFUL_IMAGES: readonly string[] = [
    "postgres",
    "postgis",
    "mariadb",
    "mysql",
    "minio",
    "silo", // pgsty/silo, the maintained MinIO fork lakeforge deploys by default
    "vault",
    "openbao",
    "registry",
    "distribution",
    "loki",
];

/** True when the image reference names a known stateful service. */
export function isStatefulImage(reference: string): boolean {
    return STATEFUL_IMAGES.includes(imageName(reference));
}
