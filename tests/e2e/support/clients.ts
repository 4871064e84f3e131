import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";
import { attempt, run } from "./stack";

/** Runs one SQL statement as the login in `url` (a libpq URL); returns the rows. */
export async function sql(url: string, statement: string, database?: string): Promise<Record<string, unknown>[]> {
    const parsed = new URL(url);
    if (database !== undefined) parsed.pathname = `/${database}`;
    const client = new Client({ connectionString: parsed.toString(), connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
        return (await client.query(statement)).rows as Record<string, unknown>[];
    } finally {
        await client.end();
    }
}

/** The error message of a statement expected to fail, or "succeeded". */
export async function sqlRefusal(url: string, statement: string, database?: string): Promise<string> {
    try {
        await sql(url, statement, database);
        return "succeeded";
    } catch (err) {
        return (err as Error).message;
    }
}

/** One Vault HTTP call; returns the status and the JSON body. */
export async function vault(
    address: string,
    method: string,
    apiPath: string,
    token?: string,
    body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${address}/v1/${apiPath}`, {
        method,
        headers: { ...(token === undefined ? {} : { "x-vault-token": token }), "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Logs in with an AppRole and returns the client token. */
export async function appRoleLogin(address: string, roleId: string, secretId: string): Promise<string> {
    const login = await vault(address, "POST", "auth/approle/login", undefined, { role_id: roleId, secret_id: secretId });
    if (login.status !== 200) throw new Error(`AppRole login failed: HTTP ${login.status} ${JSON.stringify(login.body)}`);
    return (login.body["auth"] as { client_token: string }).client_token;
}

/** A docker CLI with its own config directory, so logins never touch the user's ~/.docker. */
export class DockerClient {
    private readonly config = fs.mkdtempSync(path.join(os.tmpdir(), "lakeforge-e2e-docker-"));

    private args(rest: readonly string[]): string[] {
        return ["--config", this.config, ...rest];
    }

    login(registry: string, username: string, password: string): { ok: boolean; output: string } {
        return attempt("docker", this.args(["login", registry, "--username", username, "--password-stdin"]), password);
    }

    logout(registry: string): void {
        attempt("docker", this.args(["logout", registry]));
    }

    /** Tags a local image into the registry and pushes it. */
    push(source: string, target: string): { ok: boolean; output: string } {
        run("docker", ["tag", source, target]);
        return attempt("docker", this.args(["push", target]));
    }

    /** Removes the local copy, then pulls it back from the registry. */
    pull(target: string): { ok: boolean; output: string } {
        attempt("docker", ["rmi", target]);
        return attempt("docker", this.args(["pull", target]));
    }

    cleanup(): void {
        fs.rmSync(this.config, { recursive: true, force: true });
    }
}
