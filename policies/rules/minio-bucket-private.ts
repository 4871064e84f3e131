import type { Rule } from "../lib/rule";
import { MINIO } from "../lib/types";
import { at, inputsOf, isRecord, str } from "../lib/inputs";

/** True for a policy principal that means "anyone": `*` or `{ AWS: "*" }` / `{ AWS: ["*"] }`. */
function isAnonymous(principal: unknown): boolean {
    if (principal === "*") return true;
    const aws = isRecord(principal) ? principal["AWS"] : undefined;
    return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}

/** Lake buckets are private: no public ACL, no bucket policy that allows anonymous access. */
export const minioBucketPrivate: Rule = {
    name: "minio-bucket-private",
    description:
        "MinIO buckets keep the `private` ACL (the provider default) and no bucket policy allows an anonymous " +
        "principal, so lake data is only reachable with per-consumer keys.",
    severity: "high",
    category: "exposure",
    remediationSteps:
        'Set `acl: "private"` (or leave it unset) on `minio.S3Bucket`; grant access with `minio.IamPolicy` ' +
        'attached to a consumer\'s user instead of a bucket policy with `Principal: "*"`.',
    validateResource: (args, reportViolation) => {
        const props = inputsOf(args);
        if (args.type === MINIO.bucket) {
            const acl = str(at(props, "acl"));
            if (acl !== undefined && acl !== "private") {
                reportViolation(`acl: expected "private", found "${acl}".`);
            }
        }
        if (args.type !== MINIO.bucketPolicy) return;
        const text = str(at(props, "policy"));
        let document: unknown;
        try {
            document = text === undefined ? undefined : JSON.parse(text);
        } catch {
            return; // Not JSON: the provider rejects it before any access is granted.
        }
        const statements = at(document, "Statement");
        (Array.isArray(statements) ? statements : [statements]).forEach((statement, i) => {
            if (at(statement, "Effect") === "Allow" && isAnonymous(at(statement, "Principal"))) {
                reportViolation(
                    `policy.Statement[${i}].Principal: expected named IAM principals, found an anonymous ` +
                        `principal ("*") with Effect "Allow".`,
                );
            }
        });
    },
};
