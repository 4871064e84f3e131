import * as pulumi from "@pulumi/pulumi";
import { expectAnswer, jsonCall, untilAnswered, type RestAnswer } from "./rest-call";
import type { DynamicInputs } from "../../src/types";

/*
 * Unity Catalog's REST API as a resource with a diff: the catalog and its first schema. The dynamic
 * provider runs in the Pulumi engine and reaches the published API port. The server runs without
 * authorization, so the calls carry no token. Contract: unitycatalog/unitycatalog api/all.yaml at
 * v0.5.0 (tests/contract checks every call below against it).
 */

/** Inputs of UnityCatalogCatalog, as the provider sees them. */
export interface UnityCatalogState {
    /** The REST API's base, e.g. `http://127.0.0.1:8080/api/2.1/unity-catalog`. */
    readonly apiUrl: string;
    readonly name: string;
    /** The schema created in it, as Unity Catalog's own setup has `default`. */
    readonly schema: string;
    /** Said in the catalog's comment: where its tables' data lives (UC cannot reach it itself). */
    readonly location: string;
}

/** One REST call. */
export function unityCall(s: UnityCatalogState, method: string, path: string, body?: unknown): Promise<RestAnswer> {
    return jsonCall(`${s.apiUrl}${path}`, method, {}, body);
}

/** The catalog's create body: a name and a comment, no storage root (no managed storage on this store). */
export function unityCatalogBody(s: UnityCatalogState): Record<string, unknown> {
    return { name: s.name, comment: `lakeforge: tables under ${s.location}, read and written with each client's own key` };
}

/** Creates the catalog and its schema unless they exist; a 409 (created meanwhile) is fine. */
export async function ensureUnityCatalog(s: UnityCatalogState): Promise<void> {
    const catalog = await untilAnswered(`Unity Catalog at ${s.apiUrl}`, () =>
        unityCall(s, "GET", `/catalogs/${encodeURIComponent(s.name)}`),
    );
    expectAnswer("Unity Catalog", `get catalog ${s.name}`, catalog, [200, 404]);
    if (catalog.status === 404) {
        expectAnswer("Unity Catalog", `create catalog ${s.name}`, await unityCall(s, "POST", "/catalogs", unityCatalogBody(s)), [200, 409]);
    }
    const fullName = `${s.name}.${s.schema}`;
    const schema = await unityCall(s, "GET", `/schemas/${encodeURIComponent(fullName)}`);
    expectAnswer("Unity Catalog", `get schema ${fullName}`, schema, [200, 404]);
    if (schema.status === 404) {
        const body = { name: s.schema, catalog_name: s.name };
        expectAnswer("Unity Catalog", `create schema ${fullName}`, await unityCall(s, "POST", "/schemas", body), [200, 409]);
    }
}

/** The provider behind UnityCatalogCatalog. Destroy leaves catalog and schema: they index the lake's tables. */
export const unityCatalogProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: UnityCatalogState) {
        await ensureUnityCatalog(inputs);
        return { id: inputs.name, outs: inputs };
    },
    async diff(_id: string, olds: UnityCatalogState, news: UnityCatalogState) {
        const replaces = (["name"] as const).filter((k) => olds[k] !== news[k]);
        const changed = (["apiUrl", "schema", "location"] as const).some((k) => olds[k] !== news[k]);
        return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
    },
    async update(_id: string, _olds: UnityCatalogState, news: UnityCatalogState) {
        await ensureUnityCatalog(news);
        return { outs: news };
    },
    async delete() {},
};

/** The Unity Catalog catalog and its first schema, created once and kept on destroy. */
export class UnityCatalogCatalog extends pulumi.dynamic.Resource {
    constructor(name: string, args: DynamicInputs<UnityCatalogState>, opts?: pulumi.CustomResourceOptions) {
        super(unityCatalogProvider, name, args, opts, "lakeforge", "UnityCatalogCatalog");
    }
}
