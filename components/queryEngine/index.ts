import * as pulumi from "@pulumi/pulumi";
import type { Runtime } from "../../src/runtime/spec";
import type { Address, Endpoint, IcebergCatalogAccess, Resources, S3Access } from "../../src/types";
import { QUERY_ENGINE_DEFAULTS, type QueryEngineKind } from "./defaults";
import { sparkSpec, type SparkCluster } from "./spark";
import { SPARK_MASTER_PORT, sparkMasterSpec, sparkWorkerSpec, workerMemoryMb } from "./spark-cluster";
import { trinoSpec } from "./trino";

export { QUERY_ENGINE_DEFAULTS, type QueryEngineKind } from "./defaults";
export * from "./spark";
export * from "./spark-cluster";
export * from "./trino";

/** Inputs of the QueryEngine capability. */
export interface QueryEngineArgs {
    readonly runtime: Runtime;
    /** @default "trino" */
    readonly engine?: QueryEngineKind;
    /** @default IMAGES[engine] */
    readonly image?: string;
    /** Per process. @default QUERY_ENGINE_DEFAULTS.resources[engine] */
    readonly resources?: Resources;
    /** Trino worker processes beside the coordinator; 0 lets the coordinator run queries. @default 1 */
    readonly workers?: number;
    /** Spark standalone workers; 0 runs Spark inside the Connect server (local mode). @default 0 */
    readonly sparkWorkers?: number;
    /** The Iceberg catalog, as this engine's own login reaches it. */
    readonly catalog: IcebergCatalogAccess;
    /** The engine's own object-store key (the lake bucket). */
    readonly s3: S3Access;
    /** `thrift://host:port` of the Hive metastore, when one runs: Trino adds its `hive` and `delta` catalogs, Spark keeps its session catalog there. */
    readonly metastoreUri?: string;
}

/**
 * A query engine on the platform's Iceberg catalog, which it names like the catalog:
 * `trino` (a coordinator, the endpoint clients use, and `workers` workers) or `spark` (a Spark
 * Connect server running Spark in local mode).
 */
export class QueryEngine extends pulumi.ComponentResource {
    public readonly engine: QueryEngineKind;
    /** Where clients connect: Trino's HTTP endpoint, or the Spark Connect gRPC endpoint. */
    public readonly endpoint: Endpoint;
    /** Where platform services reach the engine (Trino's HTTP port, Spark Connect's gRPC port). */
    public readonly internal: Address;
    /** The engine's catalog that holds the lake's tables. */
    public readonly catalogName: string;

    constructor(name: string, args: QueryEngineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:queryEngine:QueryEngine", name, {}, opts);
        this.engine = args.engine ?? QUERY_ENGINE_DEFAULTS.engine;
        const image = args.image ?? QUERY_ENGINE_DEFAULTS.images[this.engine];
        const resources = args.resources ?? QUERY_ENGINE_DEFAULTS.resources[this.engine];
        this.catalogName = args.catalog.name;
        if (this.engine === "spark") {
            const workers = args.sparkWorkers ?? QUERY_ENGINE_DEFAULTS.sparkWorkers;
            let cluster: SparkCluster = { kind: "local" };
            if (workers > 0) {
                args.runtime.deploy(sparkMasterSpec(`${name}-master`, image, resources.cpus), this);
                const masterUrl = `spark://${name}-master:${SPARK_MASTER_PORT}`;
                for (let i = 1; i <= workers; i++)
                    args.runtime.deploy(sparkWorkerSpec(`${name}-worker-${i}`, image, resources, masterUrl), this);
                cluster = {
                    kind: "standalone",
                    masterUrl,
                    driverHost: name,
                    executorMemoryMb: Math.floor(workerMemoryMb(resources) * 0.8),
                };
            }
            const spec = sparkSpec({
                name,
                image,
                resources,
                catalog: args.catalog,
                s3: args.s3,
                cluster,
                metastoreUri: args.metastoreUri,
            });
            const deployed = args.runtime.deploy(spec, this);
            this.endpoint = deployed.endpoint("connect");
            this.internal = deployed.internal("connect");
        } else {
            const workers = args.workers ?? QUERY_ENGINE_DEFAULTS.workers;
            const common = {
                coordinatorHost: name,
                workers,
                image,
                resources,
                catalog: args.catalog,
                s3: args.s3,
                metastoreUri: args.metastoreUri,
            };
            const coordinator = args.runtime.deploy(trinoSpec({ ...common, name, role: "coordinator" }), this);
            this.endpoint = coordinator.endpoint("http");
            this.internal = coordinator.internal("http");
            for (let i = 1; i <= workers; i++)
                args.runtime.deploy(trinoSpec({ ...common, name: `${name}-worker-${i}`, role: "worker" }), this);
        }
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
