/**
 * What a credential looks like: by its name (a key, env var or property) and by its value
 * (a well-known default, or a literal rather than a reference).
 */

/** Name endings that mark a value as a credential once separators are removed. */
const SECRET_ENDINGS = [
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "secretkey",
    "secretaccesskey",
    "privatekey",
    "apikey",
    "unsealkey",
    "masterkey",
    "encryptionkey",
];

/**
 * True for names like `POSTGRES_PASSWORD`, `fs.s3a.secret.key`, `ConnectionPassword`, `VAULT_TOKEN`;
 * false for `POSTGRES_PASSWORD_FILE`, `AWS_ACCESS_KEY_ID`, `token_ttl`.
 */
export function isSecretName(name: string): boolean {
    const flat = name.toLowerCase().replace(/[^a-z0-9]/g, "");
    return SECRET_ENDINGS.some((ending) => flat.endsWith(ending));
}

/** Credential-named `NAME=value` (or `NAME: value`) pairs in free text such as a description: the names. */
export function secretAssignments(text: string): string[] {
    return [...text.matchAll(/([A-Za-z][\w.-]*)\s*[=:]\s*\S/g)].map((m) => m[1] ?? "").filter(isSecretName);
}

/** Defaults shipped in images and tutorials; any of these as a credential is public knowledge. */
const WELL_KNOWN = new Set([
    "minioadmin",
    "minio123",
    "admin",
    "administrator",
    "password",
    "passw0rd",
    "password123",
    "changeme",
    "change-me",
    "changeit",
    "postgres",
    "root",
    "toor",
    "myroot",
    "secret",
    "default",
    "guest",
    "test",
    "123456",
    "12345678",
    "letmein",
    "qwerty",
]);

/** True for a well-known default credential value (case-insensitive). */
export function isWellKnownCredential(value: string): boolean {
    return WELL_KNOWN.has(value.trim().toLowerCase());
}

/** True for values that point elsewhere: `${ENV:X}`, `$(X)`, `{{ .X }}`, `$X`, or empty. */
export function isReference(value: string): boolean {
    const v = value.trim().replace(/^["']|["']$/g, "");
    return v === "" || /^\$\{[^}]+\}$|^\$\([^)]+\)$|^\{\{.*\}\}$|^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v);
}

/** Splits a docker `NAME=value` env entry; undefined when it has no `=`. */
export function splitEnv(entry: string): { name: string; value: string } | undefined {
    const eq = entry.indexOf("=");
    return eq < 0 ? undefined : { name: entry.slice(0, eq), value: entry.slice(eq + 1) };
}
