import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
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

/** An S3 client for one key on the platform's endpoint, as the client environment describes it. */
export function s3(endpoint: string, accessKeyId: string, secretAccessKey: string, region = "us-east-1"): S3Client {
    return new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
}

/** "ok", or the S3 error name (AccessDenied, NoSuchKey, ...). */
export async function s3Outcome(work: Promise<unknown>): Promise<string> {
    try {
        await work;
        return "ok";
    } catch (err) {
        return (err as { name?: string }).name ?? String(err);
    }
}

/** Puts an object and reads it back; returns what came back. */
export async function s3RoundTrip(client: S3Client, bucket: string, key: string, body: string): Promise<string> {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return s3Read(client, bucket, key);
}

/** An object's content. */
export async function s3Read(client: S3Client, bucket: string, key: string): Promise<string> {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await got.Body?.transformToString()) ?? "";
}

/** The keys under a prefix. */
export async function s3List(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (listed.Contents ?? []).map((o) => o.Key as string).sort();
}
