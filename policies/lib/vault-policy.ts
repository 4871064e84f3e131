/** One `path` block of a Vault policy. */
export interface VaultPathRule {
    readonly path: string;
    readonly capabilities: readonly string[];
}

/** Legacy `policy = "..."` values and the capabilities they stand for. */
const LEGACY: Readonly<Record<string, readonly string[]>> = {
    deny: ["deny"],
    read: ["read", "list"],
    write: ["create", "read", "update", "delete", "list"],
    sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

function quoted(text: string): string[] {
    return [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
}

function fromJson(text: string): VaultPathRule[] {
    const doc: unknown = JSON.parse(text);
    const paths = typeof doc === "object" && doc !== null ? (doc as { path?: unknown }).path : undefined;
    if (typeof paths !== "object" || paths === null) return [];
    return Object.entries(paths as Record<string, { capabilities?: unknown; policy?: unknown }>).map(([path, body]) => ({
        path,
        capabilities: Array.isArray(body?.capabilities)
            ? body.capabilities.filter((c): c is string => typeof c === "string")
            : (LEGACY[String(body?.policy)] ?? []),
    }));
}

/** Parses the `path` blocks of a Vault policy in HCL or JSON; unparseable text yields no blocks. */
export function parseVaultPolicy(text: string): VaultPathRule[] {
    if (text.trim().startsWith("{")) {
        try {
            return fromJson(text);
        } catch {
            return [];
        }
    }
    const hcl = text.replace(/^\s*(#|\/\/).*$/gm, "");
    return [...hcl.matchAll(/path\s+"([^"]*)"\s*\{([^}]*)\}/g)].map(([, path = "", body = ""]) => {
        const list = /capabilities\s*=\s*\[([^\]]*)\]/.exec(body);
        const legacy = /policy\s*=\s*"([a-z]+)"/.exec(body);
        return { path, capabilities: list ? quoted(list[1] ?? "") : (LEGACY[legacy?.[1] ?? ""] ?? []) };
    });
}
