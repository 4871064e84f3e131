import type { Rule } from "../lib/rule";
import { DOCKER } from "../lib/types";
import { inputsOf } from "../lib/inputs";
import { processesOf } from "../lib/processes";
import { isReference, isSecretName } from "../lib/secrets";

/** Credential env vars of Kubernetes containers and LXC guests come from a secret store, not a literal. */
export const noLiteralSecretEnv: Rule = {
    name: "no-literal-secret-env",
    description:
        "Kubernetes containers take credential-named env vars (…PASSWORD, …SECRET, …TOKEN, …SECRET_KEY) from " +
        "`valueFrom.secretKeyRef`, and Proxmox LXC guests do not carry them in `environmentVariables` (stored in " +
        "plain text in the guest config). Docker env is checked by no-well-known-credentials: policies see " +
        "docker secrets decrypted and cannot tell them from literals.",
    severity: "high",
    category: "credentials",
    remediationSteps:
        "Kubernetes: put the value in a Secret and use `env[].valueFrom.secretKeyRef`. Proxmox: deliver the " +
        "credential as a file (or from Vault via AppRole) instead of an environment variable.",
    validateResource: (args, reportViolation) => {
        if (args.type === DOCKER.container) return;
        for (const { field, name, value } of processesOf(args.type, inputsOf(args)).flatMap((p) => p.env)) {
            if (value === undefined || !isSecretName(name) || isReference(value)) continue;
            reportViolation(`${field}: expected ${name} from a secret reference (valueFrom.secretKeyRef), found a literal value.`);
        }
    },
};
