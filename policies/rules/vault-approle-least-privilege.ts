import type { Rule } from "../lib/rule";
import { VAULT } from "../lib/types";
import { at, inputsOf, isUnknown, list, UNKNOWN } from "../lib/inputs";

/** AppRoles for CI get scoped policies and need a secret ID to log in. */
export const vaultApproleLeastPrivilege: Rule = {
    name: "vault-approle-least-privilege",
    description:
        "Vault AppRole roles never carry the `root` policy and keep `bindSecretId` on, so a leaked role ID alone " +
        "cannot log in and a login never yields a root token.",
    severity: "critical",
    category: "least-privilege",
    remediationSteps:
        "List only the consumer's own policies in `tokenPolicies`; leave `bindSecretId` unset (true) and deliver " +
        "the secret ID to CI as a Pulumi secret.",
    validateResource: (args, reportViolation) => {
        if (args.type !== VAULT.approleRole) return;
        const props = inputsOf(args);
        const policies = list(at(props, "tokenPolicies"));
        if (policies !== UNKNOWN && policies.some((p) => !isUnknown(p) && p === "root")) {
            reportViolation(`tokenPolicies: expected the consumer's own policies, found "root" in ${JSON.stringify(policies)}.`);
        }
        if (at(props, "bindSecretId") === false) {
            reportViolation("bindSecretId: expected true or absent, found false (the role ID alone would log in).");
        }
    },
};
