import { Client as PgClient } from "pg";

/*
 * How the smoke test asks the catalog itself where a table's metadata is, with the clients' own
 * catalog login from clientEnv: a row of the JDBC catalog, or a loadTable call to the REST catalog.
 */

type Env = Readonly<Record<string, string | undefined>>;

function need(env: Env, name: string): string {
    const value = env[name];
    if (value === undefined || value === "") throw new Error(`clientEnv has no ${name}`);
    return value;
}

/** The table's current metadata location as the catalog records it, or undefined when it has none. */
export async function catalogMetadataLocation(env: Env, namespace: string, table: string): Promise<string | undefined> {
    const type = need(env, "ICEBERG_CATALOG_TYPE");
    if (type === "jdbc") return jdbcLocation(env, namespace, table);
    if (type === "rest") return restLocation(env, namespace, table);
    throw new Error(`ICEBERG_CATALOG_TYPE ${type} is neither jdbc nor rest`);
}

async function jdbcLocation(env: Env, namespace: string, table: string): Promise<string | undefined> {
    const url = new URL(need(env, "ICEBERG_JDBC_URL").replace(/^jdbc:/, ""));
    const client = new PgClient({
        host: url.hostname,
        port: Number(url.port),
        database: url.pathname.slice(1),
        user: need(env, "ICEBERG_JDBC_USER"),
        password: need(env, "ICEBERG_JDBC_PASSWORD"),
    });
    await client.connect();
    try {
        const result = await client.query(
            "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = $1 AND table_namespace = $2 AND table_name = $3",
            [need(env, "ICEBERG_CATALOG"), namespace, table],
        );
        return (result.rows[0] as { metadata_location?: string } | undefined)?.metadata_location;
    } finally {
        await client.end();
    }
}

async function restLocation(env: Env, namespace: string, table: string): Promise<string | undefined> {
    const uri = need(env, "ICEBERG_REST_URI");
    const headers = await restHeaders(env);
    const config = await fetch(`${uri}/v1/config?warehouse=${encodeURIComponent(need(env, "ICEBERG_WAREHOUSE"))}`, { headers });
    const prefix = ((await config.json()) as { overrides?: { prefix?: string } }).overrides?.prefix;
    const base = prefix === undefined ? `${uri}/v1` : `${uri}/v1/${prefix}`;
    const loaded = await fetch(`${base}/namespaces/${encodeURIComponent(namespace)}/tables/${encodeURIComponent(table)}`, { headers });
    if (loaded.status === 404) return undefined;
    if (!loaded.ok) throw new Error(`loadTable ${namespace}.${table}: HTTP ${loaded.status}`);
    return ((await loaded.json()) as { "metadata-location"?: string })["metadata-location"];
}

/** A bearer token from the client credential, or no header where the catalog authenticates nobody (lakekeeper). */
async function restHeaders(env: Env): Promise<Record<string, string>> {
    const credential = env["ICEBERG_REST_CREDENTIAL"];
    if (credential === undefined || credential === "") return {};
    const [clientId, clientSecret] = credential.split(/:(.*)/s);
    const tokenRes = await fetch(need(env, "ICEBERG_REST_OAUTH2_SERVER_URI"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: clientId ?? "",
            client_secret: clientSecret ?? "",
            scope: need(env, "ICEBERG_REST_SCOPE"),
        }),
    });
    if (!tokenRes.ok) throw new Error(`the catalog refused the client credential: HTTP ${tokenRes.status}`);
    return { authorization: `Bearer ${((await tokenRes.json()) as { access_token: string }).access_token}` };
}
