import { IMAGES } from "../../src/images";

/** Defaults of the ObjectStore capability; each is mirrored by an `@default` on its arg. */
export const OBJECT_STORE_DEFAULTS = {
    engine: "minio",
    images: { minio: IMAGES.minio, seaweedfs: IMAGES.seaweedfs },
    resources: { memoryMb: 1024, cpus: 1 },
    region: "us-east-1",
    buckets: [{ name: "lake", prefixes: ["bronze", "silver", "gold"] }],
    lakeBucket: "lake",
    consumers: [{ name: "lakehouse", bucket: "lake", prefix: "" }],
} as const;
