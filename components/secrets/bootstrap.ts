import * as pulumi from "@pulumi/pulumi";

/*
 * Initialization and unsealing as resources with a diff, instead of a vault-init.sh script.
 * These providers run inside the Pulumi engine (dynamic providers), talk to the server's
 * external endpoint over its HTTP API, and never print key material.
 */

/** Inputs of VaultInit. */
export interface VaultInitInputs {
    readonly address: pulumi.Input<string>;
    readonly keyShares: number;
    readonly keyThreshold: number;
}

/** Calls the server's HTTP API, retrying while it is still starting (no answer, or a 5xx). */
async function call(address: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 30; attempt++) {
        try {
            const res = await fetch(`${address}${path}`, {
                method,
                headers: { "content-type": "application/json" },
                body: body === undefined ? undefined : JSON.stringify(body),
            });
            const text = await res.text();
            // A 4xx will not change on retry. (A marker property, not an Error subclass: this code is
            // serialized into the dynamic provider, and plain functions serialize most reliably.)
            if (res.status >= 400 && res.status < 500)
                throw Object.assign(new Error(`${method} ${address}${path}: HTTP ${res.status}`), { refused: true });
            if (!res.ok) throw new Error(`${method} ${address}${path}: HTTP ${res.status}`);
            return text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
        } catch (err) {
            if ((err as { refused?: boolean }).refused === true) throw err;
            lastError = err;
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
    }
    throw new Error(`secrets server at ${address} did not answer: ${String(lastError)}`);
}

/** Submits unseal keys until the server reports unsealed. */
async function unseal(address: string, keys: readonly string[]): Promise<void> {
    for (const key of keys) {
        const status = await call(address, "PUT", "/v1/sys/unseal", { key });
        if (status["sealed"] === false) return;
    }
    throw new Error(`secrets server at ${address} is still sealed after submitting ${keys.length} unseal key(s)`);
}

/** The provider behind VaultInit (exported for tests against a live HTTP API). */
export const initProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: { address: string; keyShares: number; keyThreshold: number }) {
        const status = await call(inputs.address, "GET", "/v1/sys/init");
        if (status["initialized"] === true) {
            throw new Error(
                `secrets server at ${inputs.address} is already initialized, but this stack holds no keys for it; ` +
                    `restore the stack state that initialized it, or remove its data volume to start over`,
            );
        }
        const result = await call(inputs.address, "PUT", "/v1/sys/init", {
            secret_shares: inputs.keyShares,
            secret_threshold: inputs.keyThreshold,
        });
        return {
            id: "initialized",
            outs: { ...inputs, keys: result["keys_base64"], rootToken: result["root_token"] },
        };
    },
    // Re-keying is an operator decision, not a side effect of editing config: nothing ever changes.
    async diff() {
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
    // A restarted server comes back sealed: the diff looks at the live server, so `preview` shows
    // the unseal and `up` performs it.
    async diff(_id: string, _olds: unknown, news: { address: string }) {
        if (!/^https?:\/\//.test(String(news.address))) return { changes: true };
        try {
            const status = await call(news.address, "GET", "/v1/sys/seal-status");
            return { changes: status["sealed"] !== false };
        } catch {
            return { changes: true };
        }
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

/** Keeps the secrets server unsealed: unseals on create and whenever the live server is sealed. */
export class VaultUnseal extends pulumi.dynamic.Resource {
    constructor(name: string, args: VaultUnsealInputs, opts?: pulumi.CustomResourceOptions) {
        super(unsealProvider, name, { address: args.address, keys: pulumi.secret(args.keys) }, opts, "lakeforge", "VaultUnseal");
    }
}
