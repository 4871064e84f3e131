import type { Rule } from "../lib/rule";
import { POSTGRESQL } from "../lib/types";
import { at, inputsOf, isUnknown, list, UNKNOWN } from "../lib/inputs";

/** Role attributes an application role never needs. */
const ATTRIBUTES = ["superuser", "createRole", "createDatabase", "replication", "bypassRowLevelSecurity"] as const;

/** Built-in roles whose membership reaches the server's files or shell, and the bootstrap superuser. */
const POWERFUL_ROLES = ["postgres", "pg_execute_server_program", "pg_read_server_files", "pg_write_server_files"];

/** Application PostgreSQL roles get only what a consumer needs. */
export const postgresRoleLeastPrivilege: Rule = {
    name: "postgres-role-least-privilege",
    description:
        "PostgreSQL roles created for consumers are not superuser and have no CREATEROLE, CREATEDB, REPLICATION " +
        "or BYPASSRLS, and are not members of roles that reach the server's files or shell.",
    severity: "high",
    category: "least-privilege",
    remediationSteps:
        "Create the role with `login: true` only, make it the owner of its own database (postgresql.Database " +
        "`owner`) and grant further rights with postgresql.Grant; keep administration on the bootstrap superuser.",
    validateResource: (args, reportViolation) => {
        if (args.type !== POSTGRESQL.role) return;
        const props = inputsOf(args);
        for (const attribute of ATTRIBUTES) {
            if (at(props, attribute) === true) {
                reportViolation(`${attribute}: expected false or absent for an application role, found true.`);
            }
        }
        const roles = list(at(props, "roles"));
        if (roles === UNKNOWN) return;
        const powerful = roles.filter((r) => !isUnknown(r) && typeof r === "string" && POWERFUL_ROLES.includes(r));
        if (powerful.length > 0) {
            reportViolation(`roles: expected no membership in ${POWERFUL_ROLES.join(", ")}, found ${JSON.stringify(powerful)}.`);
        }
    },
};
