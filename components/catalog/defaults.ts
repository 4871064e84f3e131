/** Defaults of the Catalog capability; each is mirrored by an `@default` on its arg. */
export const CATALOG_DEFAULTS = {
    engine: "jdbc",
    /** The Iceberg catalog's name, which query engines use too: `lake.bronze.orders`. */
    name: "lake",
    /** The database (and owner role) the JDBC catalog keeps its entries in. */
    database: "iceberg_catalog",
} as const;
