/** Splits `s3://`/`s3a://` URIs for a bucket and optional prefix. */
export function lakeUris(bucket: string, prefix: string): { s3Uri: string; s3aUri: string } {
    const path = prefix === "" ? bucket : `${bucket}/${prefix}`;
    return { s3Uri: `s3://${path}`, s3aUri: `s3a://${path}` };
}

/**
 * The IAM policy a consumer gets: list its bucket (under its prefix only) and read/write/delete
 * objects under that prefix. Nothing else: no other bucket, no bucket administration.
 */
export function consumerPolicy(bucket: string, prefix: string): string {
    const keys = prefix === "" ? "*" : `${prefix}/*`;
    const listCondition = prefix === "" ? undefined : { StringLike: { "s3:prefix": [prefix, `${prefix}/*`] } };
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: [`arn:aws:s3:::${bucket}`] },
            {
                Effect: "Allow",
                Action: ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
                Resource: [`arn:aws:s3:::${bucket}`],
                ...(listCondition ? { Condition: listCondition } : {}),
            },
            {
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                Resource: [`arn:aws:s3:::${bucket}/${keys}`],
            },
        ],
    });
}
