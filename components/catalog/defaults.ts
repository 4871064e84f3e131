import { IMAGES } from "../../src/images";

/** The catalog engines lakeforge runs. */
export type CatalogEngine = "jdbc" | "polaris";

/** Defaults of the Catalog capability; each is mirrored by an `@default` on its arg. */
export const CATALOG_DEFAULTS = {
    engine: "jdbc" as CatalogEngine,
    /** The Iceberg catalog's name, which query engines use too: `lake.bronze.orders`. */
    name: "lake",
    /** The database (and owner role) each engine keeps its metadata in. */
    databases: { jdbc: "iceberg_catalog", polaris: "polaris" },
    images: { polaris: IMAGES.polaris },
    resources: { memoryMb: 1024, cpus: 1 },
};
