import { postgresRoleLeastPrivilege } from "../../rules/postgres-role-least-privilege";
import { vaultApproleLeastPrivilege } from "../../rules/vault-approle-least-privilege";
import { vaultPolicyNoWildcardSudo } from "../../rules/vault-policy-no-wildcard-sudo";
import type { RuleSpec } from "../util";
import { pgRole, vaultAppRole, vaultPolicy } from "../fixtures";

/** Least-privilege rules on bootstrap resources. */
export const privilegeSpecs: RuleSpec[] = [
    {
        rule: postgresRoleLeastPrivilege,
        passing: [pgRole, { ...pgRole, label: "role with harmless membership", props: { ...pgRole.props, roles: ["pg_read_all_stats"] } }],
        violations: [
            { branch: "superuser", set: ["superuser"], to: true, expect: /^superuser: expected false or absent/ },
            { branch: "createRole", set: ["createRole"], to: true, expect: /^createRole: / },
            { branch: "createDatabase", set: ["createDatabase"], to: true, expect: /^createDatabase: / },
            { branch: "replication", set: ["replication"], to: true, expect: /^replication: / },
            { branch: "bypassRowLevelSecurity", set: ["bypassRowLevelSecurity"], to: true, expect: /^bypassRowLevelSecurity: / },
            {
                branch: "server program membership",
                set: ["roles"],
                to: ["pg_execute_server_program"],
                expect: /^roles: .*"pg_execute_server_program"/,
            },
        ],
    },
    {
        rule: vaultPolicyNoWildcardSudo,
        passing: [
            vaultPolicy,
            {
                ...vaultPolicy,
                label: "json policy",
                props: { name: "trino", policy: JSON.stringify({ path: { "kv/data/trino/*": { capabilities: ["read"] } } }) },
            },
            { ...vaultPolicy, label: "deny everything else", props: { name: "trino", policy: 'path "*" { capabilities = ["deny"] }' } },
        ],
        violations: [
            {
                branch: "sudo on *",
                set: ["policy"],
                to: 'path "*" {\n  capabilities = ["sudo"]\n}',
                expect: /^policy: .*sudo on path "\*"/,
            },
            {
                branch: "sudo on sys/*",
                set: ["policy"],
                to: 'path "sys/*" { capabilities = ["read", "sudo"] }',
                expect: /sudo on path "sys\/\*"/,
            },
            { branch: "legacy sudo", set: ["policy"], to: 'path "auth/*" {\n  policy = "sudo"\n}', expect: /sudo on path "auth\/\*"/ },
            {
                branch: "json sudo",
                set: ["policy"],
                to: JSON.stringify({ path: { "*": { capabilities: ["sudo"] } } }),
                expect: /sudo on path "\*"/,
            },
            {
                branch: "everything on every path",
                set: ["policy"],
                to: 'path "*" { capabilities = ["create", "read", "update", "delete", "list"] }',
                expect: /^policy: expected only "deny" on path "\*"/,
            },
        ],
    },
    {
        rule: vaultApproleLeastPrivilege,
        passing: [vaultAppRole],
        violations: [
            { branch: "root policy", set: ["tokenPolicies", 1], to: "root", expect: /^tokenPolicies: .*"root"/ },
            { branch: "no secret id", set: ["bindSecretId"], to: false, expect: /^bindSecretId: expected true/ },
        ],
    },
];
