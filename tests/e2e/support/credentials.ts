import { expect } from "vitest";
import type { S3Identity } from "./objectStore";
import type { AppRole } from "./secrets";
import type { E2eStack } from "./stack";

/* The check that no credential of a deployed stack shows in plaintext where users and operators look. */

/** A text a credential must not appear in, and what finding one there means. */
export interface Place {
    text: string;
    finding: string;
}

/**
 * The stack's credentials: clientEnv's passwords and S3 secret, the CI AppRole's secret id, every
 * object store secret key, and `extra`; only those of 16 characters or more (shorter ones could match by chance).
 */
export function stackCredentials(
    env: Record<string, string>,
    ciAppRole: AppRole,
    identities: readonly S3Identity[],
    extra: readonly (string | undefined)[],
): string[] {
    return [
        env["PGPASSWORD"],
        env["AWS_SECRET_ACCESS_KEY"],
        env["REGISTRY_PASSWORD"],
        env["ICEBERG_JDBC_PASSWORD"],
        ciAppRole.secretId,
        ...identities.flatMap((i) => i.credentials.map((c) => c.secretKey)),
        ...extra,
    ].filter((c): c is string => typeof c === "string" && c.length >= 16);
}

/** No credential in the state as a user exports it (encrypted), nor in any of `places`. */
export function expectCredentialsNowhere(e2e: E2eStack, credentials: readonly string[], places: readonly Place[]): void {
    const state = e2e.exportEncrypted();
    expect(state).toContain("ciphertext");
    for (const secret of credentials) {
        expect(state.includes(secret), "a credential in plaintext in the state").toBe(false);
        for (const place of places) expect(place.text.includes(secret), place.finding).toBe(false);
    }
}
