import type { PlatformOutputs } from "../../src/outputs";
import { installMocks, isSecretInput, plain, resolve, settle, type Recorded } from "./mocks";
import { stackConfig } from "./stack";

/** Kubernetes type tokens the tests look resources up by. */
export const K8S = {
    provider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    policy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
} as const;

/** Every value the mocks generate for a credential (see outputsFor in mocks.ts). */
export const GENERATED_CREDENTIAL =
    /generated-password-|generated-bytes-|generated-string-minio-root|root-token-|unseal-key-|secret-id-|\$2a\$10\$/;

/** Runs a shipped stack's program (Pulumi.<stack>.yaml) under fresh mocks and waits for every registration. */
export async function deployShipped(stack: string): Promise<{ recorded: Recorded[]; outputs: PlatformOutputs }> {
    return deployConfig(stack, stackConfig(stack));
}

/** Runs the program for a config (as `pulumi.runtime.allConfig()` hands it over) under fresh mocks. */
export async function deployConfig(
    stack: string,
    config: Record<string, string>,
): Promise<{ recorded: Recorded[]; outputs: PlatformOutputs }> {
    const recorded = installMocks(stack);
    const { parseConfig } = await import("../../src/config");
    const { deployPlatform } = await import("../../stacks");
    const outputs = deployPlatform(parseConfig(config, stack));
    await resolve(outputs.clientEnv);
    await settle();
    return { recorded, outputs };
}

/**
 * Paths under `where` at which a generated credential appears in plaintext. Secret-wrapped values
 * are skipped, unless `throughSecrets` (to check that a credential is nowhere at all, e.g. in a ConfigMap).
 */
export function credentialLeaks(value: unknown, where: string, throughSecrets = false): string[] {
    if (isSecretInput(value)) return throughSecrets ? credentialLeaks(plain(value), where, true) : [];
    if (typeof value === "string") return GENERATED_CREDENTIAL.test(value) ? [where] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => credentialLeaks(v, `${where}[${i}]`, throughSecrets));
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => (k === "__provider" ? [] : credentialLeaks(v, `${where}.${k}`, throughSecrets)));
    }
    return [];
}
