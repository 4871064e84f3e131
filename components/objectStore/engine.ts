import type * as pulumi from "@pulumi/pulumi";
import type { Resources, S3Credentials } from "../../src/types";

/** The object-store engines lakeforge can run. */
export type ObjectStoreEngine = "seaweedfs" | "minio" | "garage";

/** A bucket and the lake prefixes created in it. */
export interface BucketSpec {
    readonly name: string;
    readonly prefixes: readonly string[];
}

/** A consumer's key: its name is the access key; it may use only `bucket/prefix`. */
export interface ConsumerSpec {
    readonly name: string;
    readonly bucket: string;
    /** Key prefix without slashes at either end; "" for the whole bucket. */
    readonly prefix?: string;
}

/** What every engine's ServiceSpec builder takes. */
export interface EngineSpecArgs {
    readonly name: string;
    readonly image: string;
    readonly resources: Resources;
    readonly region: string;
    readonly root: S3Credentials;
    /** Declared consumers with their keys; engines that configure keys at start time render them. */
    readonly consumers: readonly (ConsumerSpec & { readonly secretAccessKey: pulumi.Input<string> })[];
}

/** Key of the object that makes a lake prefix visible, e.g. `bronze/.keep`. */
export function prefixMarkerKey(prefix: string): string {
    return `${prefix}/.keep`;
}

/** Content of the prefix marker objects; never empty (the MinIO provider reads "" as unset). */
export const PREFIX_MARKER_CONTENT = "lakeforge lake prefix\n";
