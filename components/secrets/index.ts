import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { formatAddress } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Endpoint, Resources, VaultAccess } from "../../src/types";
import { VaultInit, VaultUnseal } from "./bootstrap";
import { SECRETS_DEFAULTS } from "./defaults";
import { readPolicy, secretsSpec, slug, type SecretData, type SecretsEngine } from "./server";
import { unsealerSpec, unsealKeyFile } from "./unsealer";

export { SECRETS_DEFAULTS } from "./defaults";
export { readPolicy, renderServerConfig, secretsSpec, type SecretsEngine } from "./server";
export { renderUnsealerScript, unsealerSpec } from "./unsealer";

/** Inputs of the Secrets capability. */
export interface SecretsArgs {
    readonly runtime: Runtime;
    /** @default "vault" */
    readonly engine?: SecretsEngine;
    /** @default IMAGES.vault or IMAGES.openbao, by engine */
    readonly image?: string;
    /** @default { memoryMb: 512, cpus: 0.5 } */
    readonly resources?: Resources;
    /** Path of the KV v2 mount credentials are written under. @default "lakeforge" */
    readonly kvMount?: string;
    /** Unseal key shares generated at initialization. @default 1 */
    readonly keyShares?: number;
    /** Shares needed to unseal. @default 1 */
    readonly keyThreshold?: number;
    /** Protect the data-holding resources from deletion and replacement (production). @default false */
    readonly protectData?: boolean;
    /**
     * Run the unsealer beside the server, so it is unsealed again after any restart without a
     * human; it holds `keyThreshold` unseal keys as secret files. @default true
     */
    readonly autoUnseal?: boolean;
}

/** What `store` created for one consumer. */
export interface StoredSecret {
    /** KV path of the secret, e.g. `lakeforge/database/lakehouse`. */
    readonly path: string;
    /** Name of the policy that can read it. */
    readonly policyName: string;
}

/** CI login through AppRole; the secret ID is a secret. */
export interface AppRoleLogin {
    readonly roleId: pulumi.Output<string>;
    readonly secretId: pulumi.Output<string>;
}

/**
 * Vault (or OpenBao) in server mode with persistent storage, initialized and kept unsealed by the
 * stack, with a KV v2 mount where `store` writes one path per consumer plus a read policy for it,
 * and AppRole logins for CI.
 */
export class Secrets extends pulumi.ComponentResource {
    public readonly endpoint: Endpoint;
    /** Admin access (root token, secret) for bootstrap of other projects' Vault resources. */
    public readonly access: VaultAccess;
    /** Unseal keys (secret); they exist only in Pulumi state. */
    public readonly unsealKeys: pulumi.Output<string[]>;

    private readonly baseName: string;
    private readonly kvMount: vault.Mount;
    private readonly approle: vault.AuthBackend;
    private readonly opts: pulumi.CustomResourceOptions;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:secrets:Secrets", name, {}, opts);
        this.baseName = name;
        const engine = args.engine ?? SECRETS_DEFAULTS.engine;
        const image = args.image ?? SECRETS_DEFAULTS.images[engine];
        const spec = secretsSpec(name, engine, image, args.resources ?? SECRETS_DEFAULTS.resources);
        const service = args.runtime.deploy(spec, this);
        this.endpoint = service.endpoint("api");
        const address = this.endpoint.apply((e) => formatAddress(e, "external"));

        const init = new VaultInit(
            `${name}-init`,
            {
                address,
                keyShares: args.keyShares ?? SECRETS_DEFAULTS.keyShares,
                keyThreshold: args.keyThreshold ?? SECRETS_DEFAULTS.keyThreshold,
            },
            // Losing this resource loses the keys to the data: refuse to delete it by accident.
            { parent: this, dependsOn: service.ready, protect: args.protectData ?? false },
        );
        this.unsealKeys = pulumi.secret(init.keys);
        const unsealed: pulumi.Resource[] = [
            new VaultUnseal(`${name}-unseal`, { address, keys: init.keys }, { parent: this, dependsOn: [init] }),
        ];
        if (args.autoUnseal ?? SECRETS_DEFAULTS.autoUnseal) {
            const threshold = args.keyThreshold ?? SECRETS_DEFAULTS.keyThreshold;
            const keyFiles = Array.from({ length: threshold }, (_, i) =>
                pulumi.secret(init.keys.apply((keys) => unsealKeyFile(keys?.[i] ?? ""))),
            );
            const apiPort = spec.ports[0]?.port ?? 8200;
            const unsealer = args.runtime.deploy(unsealerSpec(`${name}-unsealer`, { name, port: apiPort }, engine, image, keyFiles), this);
            unsealed.push(...unsealer.ready);
        }
        const token = pulumi.secret(init.rootToken);

        const provider = new vault.Provider(
            `${name}-admin`,
            { address, token, skipChildToken: true, skipGetVaultVersion: true },
            { parent: this, dependsOn: unsealed },
        );
        this.opts = { parent: this, provider };
        const mountPath = args.kvMount ?? SECRETS_DEFAULTS.kvMount;
        this.kvMount = new vault.Mount(
            `${name}-kv`,
            { path: mountPath, type: "kv", options: { version: "2" }, description: "Credentials generated by lakeforge" },
            { ...this.opts, protect: args.protectData ?? false },
        );
        this.approle = new vault.AuthBackend(`${name}-approle`, { type: "approle", path: "approle", description: "CI logins" }, this.opts);
        this.access = { endpoint: this.endpoint, token, kvMount: mountPath };
        this.registerOutputs({ endpoint: this.endpoint, access: this.access, unsealKeys: this.unsealKeys });
    }

    /** Writes a consumer's credentials at `<kvMount>/<consumerPath>` and a policy that can read only them. */
    public store(consumerPath: string, data: SecretData): StoredSecret {
        const name = `${this.baseName}-${slug(consumerPath)}`;
        new vault.kv.SecretV2(
            name,
            { mount: this.kvMount.path, name: consumerPath, dataJson: pulumi.secret(pulumi.output(data).apply((d) => JSON.stringify(d))) },
            this.opts,
        );
        const policyName = `lakeforge-${slug(consumerPath)}-read`;
        new vault.Policy(
            `${name}-read`,
            { name: policyName, policy: this.kvMount.path.apply((m) => readPolicy(m, consumerPath)) },
            this.opts,
        );
        return { path: `${this.access.kvMount}/${consumerPath}`, policyName };
    }

    /** An AppRole whose tokens carry the given read policies, with one generated secret ID. */
    public appRole(roleName: string, stored: readonly StoredSecret[]): AppRoleLogin {
        const role = new vault.approle.AuthBackendRole(
            `${this.baseName}-approle-${roleName}`,
            {
                backend: this.approle.path,
                roleName,
                tokenPolicies: stored.map((s) => s.policyName),
                tokenTtl: 3600,
                tokenMaxTtl: 14400,
                secretIdTtl: 0,
            },
            { ...this.opts, dependsOn: [this.kvMount] },
        );
        const secretId = new vault.approle.AuthBackendRoleSecretId(
            `${this.baseName}-approle-${roleName}-secret-id`,
            { backend: this.approle.path, roleName: role.roleName },
            this.opts,
        );
        return { roleId: role.roleId, secretId: pulumi.secret(secretId.secretId) };
    }
}
