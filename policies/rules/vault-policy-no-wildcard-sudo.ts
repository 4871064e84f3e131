import type { Rule } from "../lib/rule";
import { VAULT } from "../lib/types";
import { at, inputsOf, str } from "../lib/inputs";
import { parseVaultPolicy } from "../lib/vault-policy";

/** Vault policies grant neither sudo on a wildcard path nor anything on every path. */
export const vaultPolicyNoWildcardSudo: Rule = {
    name: "vault-policy-no-wildcard-sudo",
    description:
        'Vault policies do not grant `sudo` on a glob path (`"*"`, `"sys/*"`, `"+/..."`) and grant nothing but ' +
        '`deny` on `path "*"`: either makes the token root-equivalent.',
    severity: "critical",
    category: "least-privilege",
    remediationSteps:
        'Scope each policy to the consumer\'s own KV path, e.g. `path "kv/data/<project>/*" { capabilities = ' +
        '["read", "list"] }`; keep root-level administration on the root token held as a Pulumi secret.',
    validateResource: (args, reportViolation) => {
        if (args.type !== VAULT.policy) return;
        const text = str(at(inputsOf(args), "policy"));
        if (text === undefined) return;
        for (const { path, capabilities } of parseVaultPolicy(text)) {
            if (capabilities.includes("sudo") && /[*+]/.test(path)) {
                reportViolation(`policy: expected no "sudo" on a wildcard path, found sudo on path "${path}".`);
            } else if (path === "*" && capabilities.some((c) => c !== "deny")) {
                reportViolation(`policy: expected only "deny" on path "*", found ${JSON.stringify(capabilities)} on every path.`);
            }
        }
    },
};
