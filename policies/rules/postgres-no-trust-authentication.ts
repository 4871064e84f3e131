import type { Rule } from "../lib/rule";
import { inputsOf } from "../lib/inputs";
import { processesOf } from "../lib/processes";
import { configFilesOf, trustHbaLines } from "../lib/config-files";

/** initdb flags that set trust auth: `--auth=trust`, `--auth-host=trust`, `--auth-local=trust`, `-A trust`. */
const INITDB_TRUST = /(--auth(-host|-local)?[= ]|-A\s*)trust\b/;

/** PostgreSQL never accepts connections without a password. */
export const postgresNoTrustAuthentication: Rule = {
    name: "postgres-no-trust-authentication",
    description:
        "PostgreSQL is never configured with `trust` authentication: no `POSTGRES_HOST_AUTH_METHOD=trust`, no " +
        "initdb `--auth*=trust`, no pg_hba.conf record ending in `trust` in a ConfigMap or uploaded file.",
    severity: "critical",
    category: "credentials",
    remediationSteps:
        "Set `POSTGRES_HOST_AUTH_METHOD=scram-sha-256` (or leave it unset with a generated POSTGRES_PASSWORD) " +
        "and use `scram-sha-256` in every pg_hba.conf record.",
    validateResource: (args, reportViolation) => {
        const props = inputsOf(args);
        for (const { field, name, value } of processesOf(args.type, props).flatMap((p) => p.env)) {
            if (value === undefined) continue;
            if (name === "POSTGRES_HOST_AUTH_METHOD" && value.trim().toLowerCase() === "trust") {
                reportViolation(`${field}: expected POSTGRES_HOST_AUTH_METHOD "scram-sha-256", found "trust".`);
            }
            if (name === "POSTGRES_INITDB_ARGS" && INITDB_TRUST.test(value)) {
                reportViolation(`${field}: expected POSTGRES_INITDB_ARGS without trust authentication, found "${value}".`);
            }
        }
        for (const { field, text } of configFilesOf(args.type, props)) {
            for (const line of trustHbaLines(text)) {
                reportViolation(`${field} line ${line}: expected a pg_hba.conf record using scram-sha-256, found "trust".`);
            }
        }
    },
};
