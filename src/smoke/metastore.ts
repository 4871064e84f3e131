import { DeleteObjectsCommand, type S3Client } from "@aws-sdk/client-s3";
import type { TrinoClient } from "./trino-client";

/*
 * The metastore's smoke step: through Trino's `hive` and `delta` catalogs on the Hive metastore, a
 * schema at a location under the client key's prefix, a table written and read back; where Spark
 * runs, Spark finds the same table in its session catalog, reads it and adds a row, which Trino then
 * reads. Then the table and schema are dropped and any files left under the location removed (the
 * metastore records Hive tables as external, so dropping one keeps its files).
 */

const ROWS = [
    { id: 1, layer: "bronze" },
    { id: 2, layer: "silver" },
];

/** Reads a table through Spark Connect and appends the row `(4, 'spark')`; returns the rows it read. */
export type SparkReadAndAppend = (table: string) => Promise<Record<string, unknown>[]>;

/** Writes and reads a table in `catalog` (`hive` or `delta`) under `location`; returns what it did. */
export async function metastoreRoundTrip(
    trino: TrinoClient,
    catalog: "hive" | "delta",
    schema: string,
    location: string,
    s3: S3Client,
    list: (location: string) => Promise<string[]>,
    spark?: SparkReadAndAppend,
): Promise<string> {
    const table = `${catalog}.${schema}.layers`;
    try {
        await trino.query(`CREATE SCHEMA ${catalog}.${schema} WITH (location = '${location}')`);
        await trino.query(`CREATE TABLE ${table} (id integer, layer varchar)`);
        await trino.query(`INSERT INTO ${table} VALUES ${ROWS.map((r) => `(${r.id}, '${r.layer}')`).join(", ")}`);
        const rows = await trino.query(`SELECT id, layer FROM ${table} ORDER BY id`);
        if (JSON.stringify(rows) !== JSON.stringify(ROWS)) throw new Error(`read ${JSON.stringify(rows)}, wrote ${JSON.stringify(ROWS)}`);
        const files = await list(location);
        if (files.length === 0) throw new Error(`no object under ${location}`);
        const done = `${rows.length} rows in ${table}, ${files.length} object(s) under ${location}`;
        if (spark === undefined) return done;
        const sparkRows = await spark(`spark_catalog.${schema}.layers`);
        if (JSON.stringify(sparkRows) !== JSON.stringify(ROWS))
            throw new Error(`Spark read ${JSON.stringify(sparkRows)}, Trino wrote ${JSON.stringify(ROWS)}`);
        const added = await trino.query(`SELECT id, layer FROM ${table} WHERE id = 4`);
        if (JSON.stringify(added) !== JSON.stringify([{ id: 4, layer: "spark" }]))
            throw new Error(`Trino read ${JSON.stringify(added)} for the row Spark added`);
        return `${done}; Spark read them and added a row, which Trino read`;
    } finally {
        await trino.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
        await trino.query(`DROP SCHEMA IF EXISTS ${catalog}.${schema}`).catch(() => undefined);
        const left = await list(location);
        if (left.length > 0) {
            const { bucket } = { bucket: new URL(location).host };
            const keys = left.map((uri) => ({ Key: uri.slice(`s3://${bucket}/`.length) }));
            await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
        }
    }
}
