import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";

/*
 * Just enough of OpenAPI 3.0/3.1 to hold a bootstrap's HTTP exchanges against a server's published
 * document: find the operation by method and path template, check the request body strictly (no
 * field the schema does not declare, every required one, types, enums, oneOf/allOf, $ref) and the
 * response against the schema documented for its status. The documents are the projects' own,
 * read from a cache outside the repository (tests/contract/README.md says how they get there).
 */

type Schema = Record<string, unknown>;
/** A parsed OpenAPI document. */
export type OpenApiDocument = { paths: Record<string, Record<string, Schema>>; components?: { schemas?: Record<string, Schema> } };

/** One request the bootstrap sent and the answer it parsed. */
export interface Exchange {
    readonly method: string;
    /** The path below the document's base (`/management/v1/info`, `/catalogs/lake`), no query. */
    readonly path: string;
    readonly body?: unknown;
    readonly status: number;
    readonly response?: unknown;
}

/** Where contract documents are cached: LAKEFORGE_CONTRACTS, else ~/.cache/lakeforge/contracts. */
export function contractsDir(): string {
    return (
        process.env["LAKEFORGE_CONTRACTS"] ??
        path.join(process.env["XDG_CACHE_HOME"] ?? path.join(os.homedir(), ".cache"), "lakeforge", "contracts")
    );
}

/** The cached document `file`, or undefined when this machine has none. */
export function loadContract(file: string): OpenApiDocument | undefined {
    const full = path.join(contractsDir(), file);
    return fs.existsSync(full) ? (parse(fs.readFileSync(full, "utf8")) as OpenApiDocument) : undefined;
}

function deref(doc: OpenApiDocument, s: Schema): Schema {
    let cur = s;
    for (let i = 0; i < 20 && typeof cur["$ref"] === "string"; i++) {
        const name = (cur["$ref"] as string).replace("#/components/schemas/", "");
        const next = doc.components?.schemas?.[name];
        if (next === undefined) throw new Error(`unresolved $ref ${String(cur["$ref"])}`);
        cur = next;
    }
    return cur;
}

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

/** Problems of `value` against `schema` (empty when it conforms); `strict` refuses undeclared fields. */
export function validate(doc: OpenApiDocument, schema: Schema, value: unknown, at: string, strict: boolean): string[] {
    const s = deref(doc, schema);
    const errors: string[] = [];
    if (Array.isArray(s["allOf"])) {
        // Fields declared by any branch are declared for the whole; check each branch without strictness.
        const branches = (s["allOf"] as Schema[]).map((b) => deref(doc, b));
        branches.forEach((b) => errors.push(...validate(doc, b, value, at, false)));
        if (strict)
            errors.push(...undeclared(doc, { properties: Object.assign({}, ...branches.map((b) => declared(doc, b, value))) }, value, at));
        return errors;
    }
    for (const key of ["oneOf", "anyOf"] as const) {
        if (!Array.isArray(s[key])) continue;
        const passing = (s[key] as Schema[]).filter((b) => validate(doc, b, value, at, strict).length === 0).length;
        if (passing === 0 || (key === "oneOf" && passing > 1)) errors.push(`${at}: matches ${passing} of the ${key} branches`);
        return errors;
    }
    const types = s["type"] === undefined ? [] : ([] as string[]).concat(s["type"] as string | string[]);
    if (s["nullable"] === true) types.push("null");
    const actual = typeOf(value);
    if (types.length > 0 && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
        return [`${at}: expected ${types.join("|")}, found ${actual}`];
    }
    if (Array.isArray(s["enum"]) && !(s["enum"] as unknown[]).includes(value))
        errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s["enum"])}`);
    if (actual === "array" && s["items"] !== undefined) {
        (value as unknown[]).forEach((v, i) => errors.push(...validate(doc, s["items"] as Schema, v, `${at}[${i}]`, strict)));
    }
    if (actual === "object" && (s["properties"] !== undefined || s["required"] !== undefined)) {
        const obj = value as Record<string, unknown>;
        for (const r of (s["required"] as string[] | undefined) ?? []) if (!(r in obj)) errors.push(`${at}: missing required "${r}"`);
        const props = (s["properties"] as Record<string, Schema> | undefined) ?? {};
        for (const [k, v] of Object.entries(obj))
            if (props[k] !== undefined) errors.push(...validate(doc, props[k], v, `${at}.${k}`, strict));
        if (strict) errors.push(...undeclared(doc, s, value, at));
    }
    return errors;
}

/** Fields `s` declares for `value`: its own, its allOf parts', and those of the oneOf/anyOf branches `value` matches. */
function declared(doc: OpenApiDocument, s: Schema, value: unknown): Record<string, Schema> {
    const own = (s["properties"] as Record<string, Schema> | undefined) ?? {};
    const parts = Array.isArray(s["allOf"]) ? (s["allOf"] as Schema[]) : [];
    const branches = [...((s["oneOf"] as Schema[] | undefined) ?? []), ...((s["anyOf"] as Schema[] | undefined) ?? [])].filter(
        (b) => validate(doc, b, value, "", false).length === 0,
    );
    return Object.assign({}, own, ...[...parts, ...branches].map((b) => declared(doc, deref(doc, b), value)));
}

function undeclared(doc: OpenApiDocument, s: Schema, value: unknown, at: string): string[] {
    if (typeOf(value) !== "object" || (s["additionalProperties"] !== undefined && s["additionalProperties"] !== false)) return [];
    const props = declared(doc, s, value);
    return Object.keys(value as object)
        .filter((k) => props[k] === undefined)
        .map((k) => `${at}: "${k}" is not in the schema`);
}

/** The document's operation for a concrete path: `{name}` segments match any one segment. */
export function findOperation(doc: OpenApiDocument, method: string, concrete: string): { template: string; op: Schema } | undefined {
    for (const [template, item] of Object.entries(doc.paths)) {
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`);
        const op = item[method.toLowerCase()];
        if (op !== undefined && pattern.test(concrete)) return { template, op };
    }
    return undefined;
}

function jsonSchemaOf(part: Schema | undefined): Schema | undefined {
    return (part?.["content"] as Record<string, { schema?: Schema }> | undefined)?.["application/json"]?.schema;
}

/** Every way the exchange departs from the document (empty when it conforms). */
export function checkExchange(doc: OpenApiDocument, x: Exchange): string[] {
    const where = `${x.method} ${x.path}`;
    const found = findOperation(doc, x.method, x.path);
    if (found === undefined) return [`${where}: no such operation in the document`];
    const errors: string[] = [];
    const requestSchema = jsonSchemaOf(found.op["requestBody"] as Schema | undefined);
    if (x.body !== undefined) {
        if (requestSchema === undefined) errors.push(`${where}: sends a body the operation does not take`);
        else errors.push(...validate(doc, requestSchema, x.body, `${where} request`, true));
    } else if ((found.op["requestBody"] as Schema | undefined)?.["required"] === true)
        errors.push(`${where}: sends no body, one is required`);
    const responses = found.op["responses"] as Record<string, Schema>;
    const documented = responses[String(x.status)] ?? responses[`${String(x.status)[0]}XX`] ?? responses["default"];
    const anySuccess = Object.keys(responses).some((k) => k.startsWith("2"));
    if (documented === undefined) {
        // Some operations document no success status (Lakekeeper's bootstrap) or no error at all
        // (Unity Catalog's): an empty 2xx, or any 4xx, is all one can hold those to.
        const anyError = Object.keys(responses).some((k) => k.startsWith("4") || k === "default");
        const undocumentedOk = x.status < 300 ? !anySuccess && x.response === undefined : x.status < 500 && !anyError;
        if (!undocumentedOk) errors.push(`${where}: status ${x.status} is not documented`);
        return errors;
    }
    const responseSchema = jsonSchemaOf(documented);
    if (responseSchema !== undefined && x.response !== undefined)
        errors.push(...validate(doc, responseSchema, x.response, `${where} response ${x.status}`, false));
    return errors;
}
