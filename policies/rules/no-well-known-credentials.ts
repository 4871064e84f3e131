import type { Rule } from "../lib/rule";
import { isProxmoxLxc, K8S, MINIO, POSTGRESQL } from "../lib/types";
import { at, fieldPath, inputsOf, isRecord, str, type Props } from "../lib/inputs";
import { processesOf } from "../lib/processes";
import { isSecretName, isWellKnownCredential } from "../lib/secrets";

/** Credential values a resource sets, with the field and the credential's name. */
function credentialsOf(type: string, props: Props): { field: string; name: string; value: string }[] {
    const found = processesOf(type, props).flatMap((p) =>
        p.env.flatMap((e) => (e.value !== undefined && isSecretName(e.name) ? [{ field: e.field, name: e.name, value: e.value }] : [])),
    );
    const direct = (field: string, name: string, ...path: string[]): void => {
        const value = str(at(props, ...path));
        if (value !== undefined) found.push({ field, name, value });
    };
    if (type === POSTGRESQL.role) direct("password", "role password", "password");
    if (type === MINIO.iamUser) direct("secret", "user secret key", "secret");
    if (isProxmoxLxc(type)) direct("initialization.userAccount.password", "root password", "initialization", "userAccount", "password");
    if (type === K8S.secret) {
        for (const [key, decode] of [
            ["stringData", false],
            ["data", true],
        ] as const) {
            const entries = at(props, key);
            if (!isRecord(entries)) continue;
            for (const [name, raw] of Object.entries(entries)) {
                const value = str(raw);
                if (value === undefined || !isSecretName(name)) continue;
                found.push({ field: fieldPath(key, name), name, value: decode ? Buffer.from(value, "base64").toString("utf8") : value });
            }
        }
    }
    return found;
}

/** No credential is a well-known default such as `minioadmin` or `postgres`. */
export const noWellKnownCredentials: Rule = {
    name: "no-well-known-credentials",
    description:
        "No password, secret key or token is a well-known default (minioadmin, postgres, admin, changeme, ...) " +
        "in container env, Kubernetes Secrets, PostgreSQL roles, MinIO users or LXC root accounts.",
    severity: "critical",
    category: "credentials",
    remediationSteps:
        "Generate the credential with `random.RandomPassword` and pass it as a Pulumi secret (lakeforge does " +
        "this for every component); never copy defaults from image docs or tutorials into config.",
    validateResource: (args, reportViolation) => {
        for (const { field, name, value } of credentialsOf(args.type, inputsOf(args))) {
            if (isWellKnownCredential(value)) {
                reportViolation(`${field}: expected a generated credential for ${name}, found the well-known default "${value.trim()}".`);
            }
        }
    },
};
