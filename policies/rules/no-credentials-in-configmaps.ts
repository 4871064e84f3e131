import type { Rule } from "../lib/rule";
import { K8S } from "../lib/types";
import { at, fieldPath, inputsOf, isRecord, str } from "../lib/inputs";
import { isReference, isSecretName } from "../lib/secrets";
import { configFilesOf, literalCredentials } from "../lib/config-files";

/** ConfigMaps hold no credentials, neither as keys nor inside rendered config files. */
export const noCredentialsInConfigmaps: Rule = {
    name: "no-credentials-in-configmaps",
    description:
        "Kubernetes ConfigMaps hold no credential: no password/secret/token/key entry with a literal value, and " +
        "no such assignment inside a rendered file (properties, env, YAML, Hadoop XML). ConfigMaps are readable " +
        "by anyone who can read the namespace and are stored unencrypted.",
    severity: "critical",
    category: "credentials",
    remediationSteps:
        "Move the value to a Kubernetes Secret and mount it or reference it with `valueFrom.secretKeyRef`; in " +
        "rendered files use an environment reference such as `${ENV:POSTGRES_PASSWORD}` (Trino) and fill the " +
        "variable from the Secret.",
    validateResource: (args, reportViolation) => {
        if (args.type !== K8S.configMap) return;
        const props = inputsOf(args);
        const data = at(props, "data");
        if (!isRecord(data)) return;
        for (const [key, value] of Object.entries(data)) {
            const text = str(value);
            if (text !== undefined && isSecretName(key) && !isReference(text)) {
                reportViolation(`${fieldPath("data", key)}: expected the credential in a Secret, found a literal value.`);
            }
        }
        for (const { field, text } of configFilesOf(args.type, props)) {
            for (const { line, key } of literalCredentials(text)) {
                reportViolation(`${field} line ${line}: expected "${key}" to reference a Secret, found a literal value.`);
            }
        }
    },
};
