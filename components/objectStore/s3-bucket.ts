import type * as S3 from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";

/*
 * A bucket and its lake prefix markers through the plain S3 API (AWS SDK v3), for engines without
 * an admin API a maintained Pulumi provider covers (SeaweedFS). Runs in the engine as a dynamic
 * provider; helpers stay plain functions so they serialize with it, and the SDK is required
 * where it is used (a module object imported at the top would be serialized, not required).
 */

/** The AWS SDK's S3 client module, loaded in the process that runs the provider. */
function sdk(): typeof S3 {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@aws-sdk/client-s3") as typeof S3;
}

/** Inputs of S3Bucket, as the provider sees them. */
export interface S3BucketState {
    readonly endpoint: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly bucket: string;
    readonly markers: Record<string, string>;
}

/** An S3 client for a self-hosted endpoint: path-style, and checksums only where S3 requires them. */
export function s3Client(state: Pick<S3BucketState, "endpoint" | "region" | "accessKeyId" | "secretAccessKey">): S3.S3Client {
    return new (sdk().S3Client)({
        endpoint: state.endpoint,
        region: state.region,
        forcePathStyle: true,
        credentials: { accessKeyId: state.accessKeyId, secretAccessKey: state.secretAccessKey },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        maxAttempts: 5,
    });
}

/** Creates the bucket (owning it already is fine), retrying while the server warms up, then writes the markers. */
export async function ensureBucket(state: S3BucketState): Promise<void> {
    const s3 = sdk();
    const client = s3Client(state);
    let lastError: unknown;
    for (let attempt = 0; attempt < 30; attempt++) {
        try {
            await client.send(new s3.CreateBucketCommand({ Bucket: state.bucket }));
            lastError = undefined;
            break;
        } catch (err) {
            const name = (err as { name?: string }).name;
            if (name === "BucketAlreadyOwnedByYou") {
                lastError = undefined;
                break;
            }
            if (name === "AccessDenied" || name === "InvalidAccessKeyId" || name === "SignatureDoesNotMatch") throw err;
            lastError = err;
            await new Promise((r) => setTimeout(r, 2000));
        }
    }
    if (lastError !== undefined) throw new Error(`creating bucket ${state.bucket} at ${state.endpoint} failed: ${String(lastError)}`);
    await putMarkers(state);
}

/** Writes the prefix marker objects of a bucket. */
export async function putMarkers(state: S3BucketState): Promise<void> {
    const s3 = sdk();
    const client = s3Client(state);
    for (const [key, body] of Object.entries(state.markers)) {
        await client.send(new s3.PutObjectCommand({ Bucket: state.bucket, Key: key, Body: body, ContentType: "text/plain" }));
    }
}

/** The provider behind S3Bucket (exported for tests against a real server). */
export const s3BucketProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: S3BucketState) {
        await ensureBucket(inputs);
        return { id: inputs.bucket, outs: inputs };
    },
    async diff(_id: string, olds: S3BucketState, news: S3BucketState) {
        if (olds.bucket !== news.bucket) return { changes: true, replaces: ["bucket"], deleteBeforeReplace: false };
        const changed = JSON.stringify(olds.markers) !== JSON.stringify(news.markers) || olds.endpoint !== news.endpoint;
        return { changes: changed || olds.accessKeyId !== news.accessKeyId || olds.secretAccessKey !== news.secretAccessKey };
    },
    async update(_id: string, _olds: S3BucketState, news: S3BucketState) {
        await ensureBucket(news);
        return { outs: news };
    },
    async delete(_id: string, state: S3BucketState) {
        // Only an empty bucket (markers aside) is removed: objects are data, and deleting is never implied.
        const s3 = sdk();
        const client = s3Client(state);
        const listed = await client.send(new s3.ListObjectsV2Command({ Bucket: state.bucket, MaxKeys: 1000 })).catch(() => undefined);
        if (listed === undefined) return;
        const keys = (listed.Contents ?? []).map((o) => o.Key as string);
        if (keys.some((k) => !(k in state.markers))) return;
        for (const key of keys) await client.send(new s3.DeleteObjectCommand({ Bucket: state.bucket, Key: key }));
        await client.send(new s3.DeleteBucketCommand({ Bucket: state.bucket }));
    },
};

/** Inputs of S3Bucket. */
export interface S3BucketArgs {
    readonly endpoint: pulumi.Input<string>;
    readonly region: string;
    readonly accessKeyId: pulumi.Input<string>;
    readonly secretAccessKey: pulumi.Input<string>;
    readonly bucket: string;
    /** Objects to write in it: key to content. */
    readonly markers: Record<string, string>;
}

/** A bucket on an S3 endpoint, created with the admin key; destroy removes it only when it holds no data. */
export class S3Bucket extends pulumi.dynamic.Resource {
    constructor(name: string, args: S3BucketArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            s3BucketProvider,
            name,
            { ...args, accessKeyId: pulumi.secret(args.accessKeyId), secretAccessKey: pulumi.secret(args.secretAccessKey) },
            opts,
            "lakeforge",
            "S3Bucket",
        );
    }
}
