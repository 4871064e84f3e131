import * as pulumi from "@pulumi/pulumi";
import { expectAnswer, jsonCall, type RestAnswer } from "./rest-call";
import type { DynamicInputs } from "../../src/types";

/*
 * Polaris's management API (v1) as resources with a diff: the catalog on the lake bucket, and one
 * principal per client with its own principal role, catalog role and grant. Dynamic providers run
 * in the Pulumi engine and reach Polaris's published API port; helpers stay plain functions so they
 * serialize with them. Contract: apache/polaris spec/polaris-management-service.yml (1.7.0).
 */

/** Where and as whom the bootstrap talks to Polaris. */
export interface PolarisConnection {
    /** e.g. `http://127.0.0.1:8181` */
    readonly address: string;
    readonly realm: string;
    readonly rootClientId: string;
    readonly rootClientSecret: string;
}

/** One call to Polaris with the root principal's token; returns the status and parsed body. */
export async function polarisCall(c: PolarisConnection, method: string, path: string, body?: unknown): Promise<RestAnswer> {
    const token = await polarisToken(c);
    return jsonCall(`${c.address}/api/management/v1${path}`, method, { authorization: `Bearer ${token}`, "polaris-realm": c.realm }, body);
}

/** A root token (client-credentials grant), retrying while the server starts. */
export async function polarisToken(c: PolarisConnection): Promise<string> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 60; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 2000));
        try {
            const res = await fetch(`${c.address}/api/catalog/v1/oauth/tokens`, {
                method: "POST",
                headers: {
                    authorization: `Basic ${Buffer.from(`${c.rootClientId}:${c.rootClientSecret}`).toString("base64")}`,
                    "content-type": "application/x-www-form-urlencoded",
                    "polaris-realm": c.realm,
                },
                body: "grant_type=client_credentials&scope=PRINCIPAL_ROLE%3AALL",
                signal: AbortSignal.timeout(10_000),
            });
            const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string };
            if (res.ok && body.access_token !== undefined) return body.access_token;
            // Wrong root credentials will not get better.
            if (res.status === 401 || res.status === 400)
                throw new Error(`Polaris refused the root credentials: HTTP ${res.status} ${body.error ?? ""}`);
            lastError = new Error(`HTTP ${res.status}`);
        } catch (err) {
            if (err instanceof Error && err.message.startsWith("Polaris refused")) throw err;
            lastError = err;
        }
    }
    throw new Error(`Polaris at ${c.address} did not issue a token: ${String(lastError)}`);
}

/** Fails with Polaris's own message unless the status is one of `ok`. */
export function expectStatus(what: string, res: RestAnswer, ok: number[]): void {
    expectAnswer("Polaris", what, res, ok);
}

/** The S3 catalog body: clients bring their own keys (`stsUnavailable`), path-style, one location. */
export function catalogBody(a: PolarisCatalogState): Record<string, unknown> {
    return {
        catalog: {
            name: a.name,
            type: "INTERNAL",
            properties: { "default-base-location": a.location },
            storageConfigInfo: {
                storageType: "S3",
                allowedLocations: [a.location],
                endpoint: a.endpoint,
                endpointInternal: a.endpointInternal,
                pathStyleAccess: true,
                region: a.region,
                stsUnavailable: true,
            },
        },
    };
}

/** Inputs of PolarisCatalog, as the provider sees them. */
export interface PolarisCatalogState extends PolarisConnection {
    readonly name: string;
    /** `s3://lake`: default base location and the one allowed location. */
    readonly location: string;
    /** The S3 endpoint clients are told; `endpointInternal` is the one Polaris uses. */
    readonly endpoint: string;
    readonly endpointInternal: string;
    readonly region: string;
}

/** Creates the catalog unless it exists (a 409 is fine: Polaris already has it, with its data). */
export async function ensureCatalog(s: PolarisCatalogState): Promise<void> {
    const existing = await polarisCall(s, "GET", `/catalogs/${encodeURIComponent(s.name)}`);
    if (existing.status === 200) return;
    expectStatus(`create catalog ${s.name}`, await polarisCall(s, "POST", "/catalogs", catalogBody(s)), [201, 409]);
}

/** The provider behind PolarisCatalog. Destroy leaves the catalog: it indexes the lake's tables. */
export const polarisCatalogProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: PolarisCatalogState) {
        await ensureCatalog(inputs);
        return { id: inputs.name, outs: inputs };
    },
    async diff(_id: string, olds: PolarisCatalogState, news: PolarisCatalogState) {
        const replaces = (["name", "location"] as const).filter((k) => olds[k] !== news[k]);
        const changed = (["address", "realm", "rootClientId", "rootClientSecret", "endpoint", "endpointInternal", "region"] as const).some(
            (k) => olds[k] !== news[k],
        );
        return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
    },
    async update(_id: string, _olds: PolarisCatalogState, news: PolarisCatalogState) {
        await ensureCatalog(news);
        return { outs: news };
    },
    async delete() {},
};

/** Inputs of PolarisPrincipal, as the provider sees them. */
export interface PolarisPrincipalState extends PolarisConnection {
    readonly catalog: string;
    /** Principal, principal role and catalog role all take this name. */
    readonly name: string;
    /** The secret lakeforge generated; set on the principal through `reset`. */
    readonly clientSecret: string;
    readonly privilege: string;
}

/**
 * Principal `name` with principal role `name`, which holds catalog role `name` on the catalog,
 * which holds the privilege. Returns the principal's client id. Each step first looks, so a
 * re-run (or a server before 1.6, where a repeated grant fails) changes nothing.
 */
export async function ensurePrincipal(s: PolarisPrincipalState): Promise<string> {
    const p = encodeURIComponent(s.name);
    const c = encodeURIComponent(s.catalog);
    const role = { properties: {}, name: s.name };
    if ((await polarisCall(s, "GET", `/principals/${p}`)).status === 404) {
        expectStatus(
            `create principal ${s.name}`,
            await polarisCall(s, "POST", "/principals", { principal: role, credentialRotationRequired: false }),
            [201, 409],
        );
    }
    // Polaris generates a secret at creation; reset sets lakeforge's, so state holds the one in use.
    const reset = await polarisCall(s, "POST", `/principals/${p}/reset`, { clientSecret: s.clientSecret });
    expectStatus(`reset the credentials of principal ${s.name}`, reset, [200]);
    const credentials = reset.body["credentials"] as { clientId?: string; clientSecret?: string } | undefined;
    const clientId = credentials?.clientId;
    if (clientId === undefined) throw new Error(`Polaris: reset of principal ${s.name} returned no clientId`);
    // A server that ignores the requested secret would leave clients with one that does not work.
    if (credentials?.clientSecret !== undefined && credentials.clientSecret !== s.clientSecret)
        throw new Error(
            `Polaris: reset of principal ${s.name} kept a secret of its own, not lakeforge's; the server must accept a caller-supplied secret (Polaris 1.7.0 does)`,
        );
    if ((await polarisCall(s, "GET", `/principal-roles/${p}`)).status === 404) {
        expectStatus(
            `create principal role ${s.name}`,
            await polarisCall(s, "POST", "/principal-roles", { principalRole: role }),
            [201, 409],
        );
    }
    const held = await polarisCall(s, "GET", `/principals/${p}/principal-roles`);
    if (!((held.body["roles"] as { name: string }[] | undefined) ?? []).some((r) => r.name === s.name)) {
        expectStatus(
            `assign principal role ${s.name}`,
            await polarisCall(s, "PUT", `/principals/${p}/principal-roles`, { principalRole: { name: s.name } }),
            [201],
        );
    }
    if ((await polarisCall(s, "GET", `/catalogs/${c}/catalog-roles/${p}`)).status === 404) {
        expectStatus(
            `create catalog role ${s.name}`,
            await polarisCall(s, "POST", `/catalogs/${c}/catalog-roles`, { catalogRole: role }),
            [201, 409],
        );
    }
    const grants = await polarisCall(s, "GET", `/catalogs/${c}/catalog-roles/${p}/grants`);
    const grant = { type: "catalog", privilege: s.privilege };
    if (
        !((grants.body["grants"] as { type: string; privilege: string }[] | undefined) ?? []).some(
            (g) => g.type === "catalog" && g.privilege === s.privilege,
        )
    ) {
        expectStatus(
            `grant ${s.privilege} to catalog role ${s.name}`,
            await polarisCall(s, "PUT", `/catalogs/${c}/catalog-roles/${p}/grants`, { grant }),
            [201],
        );
    }
    const linked = await polarisCall(s, "GET", `/principal-roles/${p}/catalog-roles/${c}`);
    if (!((linked.body["roles"] as { name: string }[] | undefined) ?? []).some((r) => r.name === s.name)) {
        expectStatus(
            `assign catalog role ${s.name}`,
            await polarisCall(s, "PUT", `/principal-roles/${p}/catalog-roles/${c}`, { catalogRole: { name: s.name } }),
            [201],
        );
    }
    return clientId;
}

/** Removes the principal, its principal role and its catalog role (a missing one is fine). */
export async function removePrincipal(s: PolarisPrincipalState): Promise<void> {
    const p = encodeURIComponent(s.name);
    const c = encodeURIComponent(s.catalog);
    for (const path of [`/principals/${p}`, `/principal-roles/${p}`, `/catalogs/${c}/catalog-roles/${p}`]) {
        expectStatus(`delete ${path}`, await polarisCall(s, "DELETE", path), [204, 404]);
    }
}

/** The provider behind PolarisPrincipal. */
export const polarisPrincipalProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: PolarisPrincipalState) {
        const clientId = await ensurePrincipal(inputs);
        return { id: `${inputs.catalog}/${inputs.name}`, outs: { ...inputs, clientId } };
    },
    async diff(_id: string, olds: PolarisPrincipalState, news: PolarisPrincipalState) {
        const replaces = (["name", "catalog"] as const).filter((k) => olds[k] !== news[k]);
        const changed = (["address", "realm", "rootClientId", "rootClientSecret", "clientSecret", "privilege"] as const).some(
            (k) => olds[k] !== news[k],
        );
        return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: true };
    },
    async update(_id: string, _olds: PolarisPrincipalState, news: PolarisPrincipalState) {
        return { outs: { ...news, clientId: await ensurePrincipal(news) } };
    },
    async delete(_id: string, state: PolarisPrincipalState) {
        await removePrincipal(state);
    },
};

/** The Polaris catalog on the lake bucket, created once and kept on destroy. */
export class PolarisCatalog extends pulumi.dynamic.Resource {
    constructor(name: string, args: DynamicInputs<PolarisCatalogState>, opts?: pulumi.CustomResourceOptions) {
        super(
            polarisCatalogProvider,
            name,
            { ...args, rootClientSecret: pulumi.secret(args.rootClientSecret) },
            opts,
            "lakeforge",
            "PolarisCatalog",
        );
    }
}

/** A client's principal on the catalog; `clientId` is what Polaris assigned. */
export class PolarisPrincipal extends pulumi.dynamic.Resource {
    declare public readonly clientId: pulumi.Output<string>;
    constructor(name: string, args: DynamicInputs<PolarisPrincipalState>, opts?: pulumi.CustomResourceOptions) {
        super(
            polarisPrincipalProvider,
            name,
            {
                ...args,
                rootClientSecret: pulumi.secret(args.rootClientSecret),
                clientSecret: pulumi.secret(args.clientSecret),
                clientId: undefined,
            },
            opts,
            "lakeforge",
            "PolarisPrincipal",
        );
    }
}
