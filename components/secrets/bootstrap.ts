import * as pulumi from "@pulumi/pulumi";

/*
 * Initialization and unsealing as resources with a diff, instead of a vault-init.sh script.
 * These providers run inside the Pulumi engine (dynamic providers), talk to the server's
 * external endpoint over its HTTP API, and never print key material. The engine serializes each
 * provider with the functions it closes over, so helpers stay plain functions.
 */

/** Inputs of VaultInit. */
export interface VaultInitInputs {
    readonly address: pulumi.Input<string>;
    readonly keyShares: number;
    readonly keyThreshold: number;
}

/**
 * Calls the server's HTTP API. Retries while it is still starting (no answer, or a 5xx) unless
 * `once`; a 4xx is final. Errors carry the server's own `errors[]` text.
 */
export async function vaultCall(
    address: string,
    method: string,
    path: string,
    options: { body?: unknown; once?: boolean; attempts?: number; timeoutMs?: number } = {},
): Promise<Record<string, unknown>> {
    const attempts = options.once === true ? 1 : (options.attempts ?? 30);
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
        let res: Response;
        try {
            res = await fetch(`${address}${path}`, {
                method,
                headers: { "content-type": "application/json" },
                body: options.body === undefined ? undefined : JSON.stringify(options.body),
                signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
            });
        } catch (err) {
            lastError = err;
            continue;
        }
        const text = await res.text();
        let parsed: Record<string, unknown> = {};
        try {
            parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
        } catch {
            parsed = { errors: [text.slice(0, 200)] };
        }
        if (res.ok) return parsed;
        const reason = Array.isArray(parsed["errors"]) && parsed["errors"].length > 0 ? `: ${parsed["errors"].join("; ")}` : "";
        const error = new Error(`${method} ${address}${path}: HTTP ${res.status}${reason}`);
        // A 4xx will not change on retry.
        if (res.status < 500) throw error;
        lastError = error;
    }
    throw new Error(`secrets server at ${address} did not answer ${method} ${path}: ${String(lastError)}`);
}

/** Waits until the server is unsealed and active (a single-node raft store elects itself after unseal). */
async function waitActive(address: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
        const res = await fetch(`${address}/v1/sys/health`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
        if (res?.status === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`secrets server at ${address} is unsealed but did not become active within 60 s`);
}

/** The error for a server that lost the data this stack initialized. */
export function dataLost(address: string): Error {
    return new Error(
        `secrets server at ${address} is not initialized, but this stack initialized it: its data volume was removed or ` +
            `replaced, and the secrets stored in it are gone. To start the secrets server over, remove the old ` +
            `initialization and everything stored through it from the stack, then run up again: ` +
            `pulumi state delete --target-dependents "$(pulumi stack --show-urns | grep -o 'urn:pulumi:[^ ]*VaultInit::[^ ]*')" ` +
            `(on docker, also remove the unsealer container it lists, e.g. docker rm -f <namePrefix>-<service>-unsealer)`,
    );
}

/** Submits unseal keys until the server reports unsealed, then waits until it serves. */
export async function unseal(address: string, keys: readonly string[]): Promise<void> {
    const status = await vaultCall(address, "GET", "/v1/sys/seal-status");
    if (status["initialized"] === false) throw dataLost(address);
    if (status["sealed"] !== false) {
        let sealed = true;
        for (const key of keys) {
            const next = await vaultCall(address, "PUT", "/v1/sys/unseal", { body: { key } });
            sealed = next["sealed"] !== false;
            if (!sealed) break;
        }
        if (sealed) throw new Error(`secrets server at ${address} is still sealed after submitting ${keys.length} unseal key(s)`);
    }
    await waitActive(address);
}

/** The provider behind VaultInit (exported for tests against a live HTTP API). */
export const initProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: { address: string; keyShares: number; keyThreshold: number }) {
        const status = await vaultCall(inputs.address, "GET", "/v1/sys/init");
        if (status["initialized"] === true) {
            throw new Error(
                `secrets server at ${inputs.address} is already initialized, but this stack holds no keys for it; ` +
                    `restore the stack state that initialized it, or remove its data volume to start over`,
            );
        }
        // Never retried: if a first attempt succeeded unseen, a retry would be refused and the keys lost.
        const result = await vaultCall(inputs.address, "PUT", "/v1/sys/init", {
            body: { secret_shares: inputs.keyShares, secret_threshold: inputs.keyThreshold },
            once: true,
            // Generous: on a busy machine raft's first write can take longer than a usual call, and a
            // client-side timeout here would leave the server initialized with its keys lost.
            timeoutMs: 120_000,
        });
        return { id: "initialized", outs: { ...inputs, keys: result["keys_base64"], rootToken: result["root_token"] } };
    },
    async diff(_id: string, olds: { address: string; keyShares: number; keyThreshold: number }, news: VaultInitInputs) {
        // Re-keying is an operator decision, not a side effect of editing config.
        if (olds.keyShares !== news.keyShares || olds.keyThreshold !== news.keyThreshold) {
            throw new Error(
                `components.secrets.keyShares/keyThreshold: the secrets server was initialized with ${olds.keyShares} share(s), ` +
                    `threshold ${olds.keyThreshold}; changing them needs a re-key (\`vault operator rekey\`), not a new initialization. ` +
                    `Set them back to ${olds.keyShares}/${olds.keyThreshold}.`,
            );
        }
        // A server that answers "not initialized" lost the data this resource initialized.
        if (/^https?:\/\//.test(String(news.address))) {
            const status = await vaultCall(String(news.address), "GET", "/v1/sys/init", { attempts: 3 }).catch(() => undefined);
            if (status?.["initialized"] === false) throw dataLost(String(news.address));
        }
        return { changes: false };
    },
    async delete() {
        // A server cannot be un-initialized; its data goes with its volume.
    },
};

/** Initializes the secrets server once; its unseal keys and root token are secret outputs. */
export class VaultInit extends pulumi.dynamic.Resource {
    // `declare`: the base constructor sets these; a class field would overwrite them with undefined.
    declare public readonly keys: pulumi.Output<string[]>;
    declare public readonly rootToken: pulumi.Output<string>;

    constructor(name: string, args: VaultInitInputs, opts?: pulumi.CustomResourceOptions) {
        super(
            initProvider,
            name,
            { ...args, keys: undefined, rootToken: undefined },
            { ...opts, additionalSecretOutputs: ["keys", "rootToken"] },
            "lakeforge",
            "VaultInit",
        );
    }
}

/** The provider behind VaultUnseal (exported for tests against a live HTTP API). */
export const unsealProvider: pulumi.dynamic.ResourceProvider = {
    // A restarted server comes back sealed until the unsealer gets to it: the diff looks at the
    // live server, so `preview` shows an unseal and `up` performs it.
    async diff(_id: string, _olds: unknown, news: { address: string }) {
        if (!/^https?:\/\//.test(String(news.address))) return { changes: true };
        const status = await vaultCall(news.address, "GET", "/v1/sys/seal-status", { attempts: 3 }).catch(() => undefined);
        return { changes: status?.["sealed"] !== false };
    },
    async create(inputs: { address: string; keys: string[] }) {
        await unseal(inputs.address, inputs.keys);
        return { id: "unsealed", outs: inputs };
    },
    async update(_id: string, _olds: unknown, news: { address: string; keys: string[] }) {
        await unseal(news.address, news.keys);
        return { outs: news };
    },
};

/** Inputs of VaultUnseal. */
export interface VaultUnsealInputs {
    readonly address: pulumi.Input<string>;
    readonly keys: pulumi.Input<string[]>;
}

/** Keeps the secrets server unsealed during `up`: unseals on create and whenever the live server is sealed. */
export class VaultUnseal extends pulumi.dynamic.Resource {
    constructor(name: string, args: VaultUnsealInputs, opts?: pulumi.CustomResourceOptions) {
        super(unsealProvider, name, { address: args.address, keys: pulumi.secret(args.keys) }, opts, "lakeforge", "VaultUnseal");
    }
}
