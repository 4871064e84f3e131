import type { S3Client } from "@aws-sdk/client-s3";
import { s3 } from "./clients";

/* The object store as the end-to-end tiers reach it: the consumer's key from clientEnv, the others from the server. */

/** Reads a file inside the object store's server: a container's on docker, a pod's on kubernetes. */
export type ServerFileReader = (file: string) => string;

/** One S3 identity of the object store's identities file. */
export interface S3Identity {
    name: string;
    credentials: { accessKey: string; secretKey: string }[];
}

/** The object store's S3 identities, read where an operator would find them: the server's identities file. */
export function s3Identities(readServerFile: ServerFileReader): S3Identity[] {
    return (JSON.parse(readServerFile("/etc/seaweedfs/lakeforge-s3.json")) as { identities: S3Identity[] }).identities;
}

/** The clientEnv's S3 key: the `etl` consumer, limited to lake/bronze. */
export function consumerS3(env: Record<string, string>): S3Client {
    return s3(env["S3_ENDPOINT"] as string, env["AWS_ACCESS_KEY_ID"] as string, env["AWS_SECRET_ACCESS_KEY"] as string);
}

/** An S3 client with the whole-bucket consumer's (`lakehouse`) key from the server's identities. */
export function wholeBucketS3(env: Record<string, string>, identities: readonly S3Identity[]): S3Client {
    const lakehouse = identities.find((i) => i.name === "lakehouse")?.credentials[0];
    return s3(env["S3_ENDPOINT"] as string, lakehouse?.accessKey ?? "", lakehouse?.secretKey ?? "");
}
