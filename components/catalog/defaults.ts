import { IMAGES } from "../../src/images";

/** The catalog engines lakeforge runs. */
export type CatalogEngine = "jdbc" | "polaris" | "lakekeeper" | "unity-catalog";

/** Defaults of the Catalog capability; each is mirrored by an `@default` on its arg. */
export const CATALOG_DEFAULTS = {
    engine: "jdbc" as CatalogEngine,
    /** The Iceberg catalog's name, which query engines use too: `lake.bronze.orders`. */
    name: "lake",
    /** The database (and owner role) each engine keeps its metadata in. */
    databases: { jdbc: "iceberg_catalog", polaris: "polaris", lakekeeper: "lakekeeper", "unity-catalog": "unity_catalog" },
    images: { polaris: IMAGES.polaris, lakekeeper: IMAGES.lakekeeper, "unity-catalog": IMAGES.unityCatalog },
    resources: { memoryMb: 1024, cpus: 1 },
    /** Lakekeeper is one Rust process; it needs far less than the JVM servers. */
    lakekeeperResources: { memoryMb: 512, cpus: 1 },
    /** The schema Unity Catalog's bootstrap creates in the catalog, as its own `dev` setup does. */
    unitySchema: "default",
};

/** Catalog engines that write table metadata to the lake bucket themselves, with an object-store key of their own. */
export function ownsLakeKey(engine: CatalogEngine): engine is "polaris" | "lakekeeper" {
    return engine === "polaris" || engine === "lakekeeper";
}
