import { describe, expect, it } from "vitest";
import { renderSparkDefaults, SPARK_PACKAGE_EXCLUDES, SPARK_PACKAGES } from "../components/queryEngine";

/* Spark's rendered spark-defaults.conf (a pure function): the Iceberg catalog, Delta in the session catalog, S3A. */

describe("QueryEngine (spark): spark-defaults.conf", () => {
    const sparkConf = async (metastoreUri?: string) => {
        const conf = renderSparkDefaults(
            {
                kind: "jdbc",
                name: "lake",
                location: "s3://lake",
                jdbcUrl: "jdbc:postgresql://postgres:5432/iceberg_catalog",
                user: "iceberg_catalog_spark",
                password: "pw",
            },
            { lake: "s3a://lake", endpoint: "http://seaweedfs:8333", region: "us-east-1", accessKeyId: "spark", secretAccessKey: "sk" },
            1228,
            { kind: "local" },
            metastoreUri,
        );
        return Object.fromEntries(
            conf
                .trim()
                .split("\n")
                .map((l) => l.split(/ (.*)/s).slice(0, 2)),
        ) as Record<string, string>;
    };

    it("renders Spark's config with the catalog and S3 key, as a secret file, and redacts them in Spark's UI", async () => {
        const entries = await sparkConf();
        expect(entries).toMatchObject({
            "spark.jars.packages": SPARK_PACKAGES.join(","),
            "spark.sql.defaultCatalog": "lake",
            "spark.sql.catalog.lake": "org.apache.iceberg.spark.SparkCatalog",
            "spark.sql.catalog.lake.type": "jdbc",
            "spark.sql.catalog.lake.uri": "jdbc:postgresql://postgres:5432/iceberg_catalog",
            "spark.sql.catalog.lake.jdbc.password": "pw",
            "spark.sql.catalog.lake.jdbc.schema-version": "V1",
            "spark.sql.catalog.lake.io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
            "spark.sql.catalog.lake.s3.path-style-access": "true",
            "spark.sql.catalog.lake.s3.secret-access-key": "sk",
            "spark.driver.memory": "1228m",
        });
        // Java's inline (?i) flag, as JavaScript spells it.
        const redaction = new RegExp((entries["spark.redaction.regex"] ?? "").replace("(?i)", ""), "i");
        for (const key of [
            "spark.sql.catalog.lake.s3.secret-access-key",
            "spark.sql.catalog.lake.jdbc.password",
            "spark.hadoop.fs.s3a.secret.key",
            "spark.hadoop.fs.s3a.access.key",
        ])
            expect(redaction.test(key)).toBe(true);
    });

    it("puts Delta in Spark's session catalog, on S3A with Spark's own key, in memory without a metastore", async () => {
        const entries = await sparkConf();
        expect(entries).toMatchObject({
            "spark.sql.extensions":
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
            "spark.sql.catalogImplementation": "in-memory",
            "spark.sql.warehouse.dir": "s3a://lake/warehouse",
            "spark.hadoop.fs.s3a.endpoint": "http://seaweedfs:8333",
            "spark.hadoop.fs.s3a.path.style.access": "true",
            "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
            "spark.hadoop.fs.s3a.access.key": "spark",
            "spark.hadoop.fs.s3a.secret.key": "sk",
            // Trino writes s3:// locations into the metastore.
            "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
        });
        expect(entries["spark.hadoop.hive.metastore.uris"]).toBeUndefined();
        // hadoop-aws matches the Hadoop of Spark 4.1.2's jars; the SDK's 640 MB bundle is never fetched.
        expect(SPARK_PACKAGES).toContain("org.apache.hadoop:hadoop-aws:3.4.2");
        expect(entries["spark.jars.excludes"]?.split(",")).toEqual([...SPARK_PACKAGE_EXCLUDES]);
        expect(SPARK_PACKAGE_EXCLUDES).toContain("software.amazon.awssdk:bundle");
    });

    it("keeps Spark's session catalog on the Hive metastore when one runs", async () => {
        const entries = await sparkConf("thrift://metastore:9083");
        expect(entries).toMatchObject({
            "spark.sql.catalogImplementation": "hive",
            "spark.hadoop.hive.metastore.uris": "thrift://metastore:9083",
            "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        });
    });
});
