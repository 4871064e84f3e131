import { IMAGES } from "../../src/images";

/** Defaults of the Metastore capability; each is mirrored by an `@default` on its arg. */
export const METASTORE_DEFAULTS = {
    engine: "hive",
    image: IMAGES.hive,
    resources: { memoryMb: 1024, cpus: 1 },
    /** Its database (and login role) in the platform's PostgreSQL, and its object-store key's name. */
    database: "metastore",
    consumer: "metastore",
    /** Under the lake bucket: managed tables, and external ones (which must not sit inside the managed root). */
    warehouse: "warehouse",
    externalWarehouse: "external",
    /**
     * The PostgreSQL JDBC driver the image lacks, fetched at start from Maven Central and checked
     * against its SHA-256 (repo1.maven.org/maven2/org/postgresql/postgresql/42.7.14/).
     */
    jdbcDriver: {
        url: "https://repo1.maven.org/maven2/org/postgresql/postgresql/42.7.14/postgresql-42.7.14.jar",
        sha256: "73914527305a40cce504b0d3d90b23caf565136912d607ae8ae7c5895512332c",
    },
} as const;
