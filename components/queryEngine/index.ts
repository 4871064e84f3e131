import * as pulumi from "@pulumi/pulumi";
import type { Runtime } from "../../src/runtime/spec";
import type { Endpoint, IcebergCatalogAccess, Resources, S3Access } from "../../src/types";
import { QUERY_ENGINE_DEFAULTS } from "./defaults";
import { trinoSpec } from "./trino";

export { QUERY_ENGINE_DEFAULTS } from "./defaults";
export * from "./trino";

/** Inputs of the QueryEngine capability. */
export interface QueryEngineArgs {
    readonly runtime: Runtime;
    /** @default "trino" */
    readonly engine?: "trino";
    /** @default IMAGES.trino */
    readonly image?: string;
    /** Per process. @default { memoryMb: 2048, cpus: 1 } */
    readonly resources?: Resources;
    /** Worker processes beside the coordinator; 0 lets the coordinator run queries. @default 1 */
    readonly workers?: number;
    /** The Iceberg catalog, as this engine's own login reaches it. */
    readonly catalog: IcebergCatalogAccess;
    /** The engine's own object-store key (the lake bucket). */
    readonly s3: S3Access;
}

/**
 * Trino: a coordinator (the endpoint clients use) and `workers` workers, with the platform's
 * Iceberg catalog as the catalog of the same name.
 */
export class QueryEngine extends pulumi.ComponentResource {
    /** The coordinator's HTTP endpoint (`TRINO_URL`). */
    public readonly endpoint: Endpoint;
    /** The Trino catalog that holds the lake's tables. */
    public readonly catalogName: string;

    constructor(name: string, args: QueryEngineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:queryEngine:QueryEngine", name, {}, opts);
        const workers = args.workers ?? QUERY_ENGINE_DEFAULTS.workers;
        const common = {
            coordinatorHost: name,
            workers,
            image: args.image ?? QUERY_ENGINE_DEFAULTS.images.trino,
            resources: args.resources ?? QUERY_ENGINE_DEFAULTS.resources,
            catalog: args.catalog,
            s3: args.s3,
        };
        const coordinator = args.runtime.deploy(trinoSpec({ ...common, name, role: "coordinator" }), this);
        for (let i = 1; i <= workers; i++) {
            args.runtime.deploy(trinoSpec({ ...common, name: `${name}-worker-${i}`, role: "worker" }), this);
        }
        this.endpoint = coordinator.endpoint("http");
        this.catalogName = args.catalog.name;
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
