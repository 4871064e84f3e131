import { IMAGES } from "../../src/images";

/** Defaults of the ObjectStore capability; each is mirrored by an `@default` on its arg. */
export const OBJECT_STORE_DEFAULTS = {
    // SeaweedFS: Apache-2.0, maintained, its image pullable today, and the engine the end-to-end
    // tier runs for real. MinIO's community edition is archived; `minio` runs a fork (Silo).
    engine: "seaweedfs",
    images: { minio: IMAGES.minio, seaweedfs: IMAGES.seaweedfs, garage: IMAGES.garage },
    resources: { memoryMb: 1024, cpus: 1 },
    region: "us-east-1",
    buckets: [{ name: "lake", prefixes: ["bronze", "silver", "gold"] }],
    lakeBucket: "lake",
    consumers: [{ name: "lakehouse", bucket: "lake", prefix: "" }],
} as const;
