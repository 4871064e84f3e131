/**
 * Pinned default images, one per engine. Override any of them with
 * `lakeforge:components.<capability>.image`. Where each comes from is in the README
 * ("Pinned images"); bump them here and nowhere else.
 */
export const IMAGES = {
    /** Docker Hub official image (docker-library/postgres, 16/alpine3.24); user postgres is uid 70. */
    postgres: "postgres:16.15-alpine@sha256:721873c34ceb9f8d8fc265984940dc982404c105f19ad51be9fdc5970a6080ea",
    /**
     * Silo, Pigsty's maintained fork of the MinIO server (github.com/pgsty/silo, AGPL-3.0), on
     * Docker Hub as pgsty/silo: same S3 API, `MINIO_*` settings and on-disk format as MinIO.
     */
    minio: "pgsty/silo:RELEASE.2026-09-16T00-00-00Z",
    /**
     * SeaweedFS (Apache-2.0), its maintainer's image on Docker Hub, at the release whose Go module
     * (github.com/seaweedfs/seaweedfs 4.53) lakeforge's end-to-end tier builds and runs.
     */
    seaweedfs: "chrislusf/seaweedfs:4.53",
    /** Garage (Deuxfleurs, AGPL-3.0), its maintainers' image on Docker Hub (FROM scratch: the static binary only). */
    garage: "dxflrs/garage:v2.3.0",
    /** HashiCorp's image on Docker Hub: the last Community Edition patch of the 1.15 line the seeds run. */
    vault: "hashicorp/vault:1.15.6",
    /** OpenBao (Linux Foundation fork of Vault, MPL-2.0, same API), mirrored on quay.io and Docker Hub. */
    openbao: "quay.io/openbao/openbao:2.7.1",
    /** CNCF Distribution, Docker Hub official `registry` image (distribution-library-image). */
    distribution: "registry:3.1.1@sha256:849b7d29920d060df8091770ede2279c07924ecd29e2a4c029ee0b5ea2ea542b",
    /**
     * Apache Polaris's image on Docker Hub (apache/polaris), the 1.7.0 release (2026-07-30), whose
     * management API lakeforge's bootstrap was written against. Not pulled or run here.
     */
    polaris: "apache/polaris:1.7.0",
    /**
     * Lakekeeper's own image on quay.io (quay.io/lakekeeper/catalog), v0.13.3 (2026-08-17), the
     * release whose management API lakeforge's bootstrap is checked against
     * (lakekeeper/lakekeeper docs/docs/api/management-open-api.yaml at v0.13.3). FROM scratch with
     * the distroless nonroot user's files; no shell. Not pulled or run here.
     */
    lakekeeper: "quay.io/lakekeeper/catalog:v0.13.3",
    /**
     * Unity Catalog OSS's image on Docker Hub (unitycatalog/unitycatalog), v0.5.0: the newest whose
     * image is confirmed published (unitycatalog/unitycatalog#1630, 2026-07-09); the v0.5.1 and
     * v0.6.0 git tags have no confirmed image. Alpine with Java 17, user `unitycatalog`. Not pulled or run here.
     */
    unityCatalog: "unitycatalog/unitycatalog:v0.5.0",
    /**
     * Trino's own image on Docker Hub (trinodb/trino). 476: the newest release whose server
     * tarball Maven Central serves here (io.trino:trino-server), so the one lakeforge proves.
     */
    trino: "trinodb/trino:476",
    /**
     * Apache Hive's standalone-metastore image on Docker Hub (apache/hive), 4.0.0: the last release
     * that still answers the Thrift `get_table` call Spark's built-in Hive client and Iceberg's
     * HiveCatalog use (4.0.1 removed it; apache/iceberg#12878). It has no PostgreSQL driver: see
     * components/metastore/hive.ts.
     */
    hive: "apache/hive:standalone-metastore-4.0.0",
    /**
     * MLflow's image on ghcr.io, the `-full` variant (the plain one lacks psycopg2 and boto3), at the
     * newest release this project's PyPI mirror serves whole (mlflow 3.18.0's mlflow-skinny is not),
     * so the release the end-to-end tier runs.
     */
    mlflow: "ghcr.io/mlflow/mlflow:v3.17.2-full",
    /**
     * Apache Spark's image on Docker Hub (apache/spark-docker), Spark 4.1.2 on Java 17 with Python:
     * the line Iceberg 1.12's Spark runtime (iceberg-spark-runtime-4.1_2.13) is built for.
     */
    spark: "apache/spark:4.1.2-scala2.13-java17-python3-ubuntu",
    /**
     * Dagster's own image on Docker Hub (dagster/dagster-celery-k8s, the one its Helm chart runs for
     * the webserver and daemon; amd64 only), at dagster 1.13.27 with dagster-postgres 0.29.27: the
     * newest release whose webserver, GraphQL and PostgreSQL packages PyPI serves here together.
     */
    dagster: "dagster/dagster-celery-k8s:1.13.27",
    /** Apache Airflow's image on Docker Hub (apache/airflow), 3.3.2, the newest apache-airflow on PyPI here. */
    airflow: "apache/airflow:3.3.2",
    /**
     * Grafana Loki's image on Docker Hub (grafana/loki), 3.7.6 (2026-08-05): the newest 3.x tag in
     * grafana/loki's history as read for lakeforge (Loki 4 drops the config this renders). Distroless,
     * uid 10001; its `-health` flag (grafana/loki#20313) is the health check. Not pulled or run here.
     */
    loki: "grafana/loki:3.7.6",
    /**
     * Grafana Alloy's image on Docker Hub (grafana/alloy), v1.18.1 (2026-08-06), the newest release
     * read for lakeforge (1.13.1's Docker discovery broke on Engine 29, grafana/alloy#5610). Ubuntu
     * noble with bash; run as its `alloy` user (uid 473). Not pulled or run here.
     */
    alloy: "grafana/alloy:v1.18.1",
} as const;
