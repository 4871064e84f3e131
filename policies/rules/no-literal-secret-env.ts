import type { Rule } from "../lib/rule";
import { DOCKER, isLakeforgeContainer } from "../lib/types";
import { at, inputsOf, str } from "../lib/inputs";
import { processesOf } from "../lib/processes";
import { isReference, isSecretName, secretAssignments } from "../lib/secrets";

/** Credential env vars of Kubernetes containers and LXC guests come from a secret store, not a literal. */
export const noLiteralSecretEnv: Rule = {
    name: "no-literal-secret-env",
    description:
        "Kubernetes containers take credential-named env vars (…PASSWORD, …SECRET, …TOKEN, …SECRET_KEY) from " +
        "`valueFrom.secretKeyRef`, and Proxmox LXC guests do not carry them in `environmentVariables`, nor " +
        "lakeforge's proxmox containers in `env`, `description` or `tags` (all stored in plain text in the guest config). Docker env is checked by no-well-known-credentials: policies see " +
        "docker secrets decrypted and cannot tell them from literals.",
    severity: "high",
    category: "credentials",
    remediationSteps:
        "Kubernetes: put the value in a Secret and use `env[].valueFrom.secretKeyRef`. Proxmox: deliver the " +
        "credential as a file (or from Vault via AppRole) instead of an environment variable.",
    validateResource: (args, reportViolation) => {
        if (args.type === DOCKER.container) return;
        const props = inputsOf(args);
        for (const { field, name, value } of processesOf(args.type, props).flatMap((p) => p.env)) {
            if (value === undefined || !isSecretName(name) || isReference(value)) continue;
            reportViolation(`${field}: expected ${name} from a secret reference (valueFrom.secretKeyRef), found a literal value.`);
        }
        if (!isLakeforgeContainer(args.type)) return;
        for (const key of ["description", "tags"]) {
            const names = secretAssignments(str(at(props, "config", key)) ?? "");
            if (names.length === 0) continue;
            reportViolation(
                `config.${key}: expected no credential (PVE shows it to anyone who reads the guest), found ${names.join(", ")} set in it.`,
            );
        }
    },
};
