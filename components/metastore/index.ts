import * as pulumi from "@pulumi/pulumi";
import type { Database } from "../database";
import type { Runtime } from "../../src/runtime/spec";
import type { Address, Endpoint, Resources, S3Access } from "../../src/types";
import { METASTORE_DEFAULTS } from "./defaults";
import { hiveSpec } from "./hive";

export { METASTORE_DEFAULTS } from "./defaults";
export * from "./hive";

/** Inputs of the Metastore capability. */
export interface MetastoreArgs {
    readonly runtime: Runtime;
    /** @default "hive" */
    readonly engine?: "hive";
    /** @default IMAGES.hive */
    readonly image?: string;
    /** @default { memoryMb: 1024, cpus: 1 } */
    readonly resources?: Resources;
    /** The platform's PostgreSQL: the metastore gets its own database and login. */
    readonly database: Database;
    /** The metastore's own key on the lake bucket (it creates database and table directories). */
    readonly s3: S3Access;
}

/** Hive's standalone metastore: `uri` is `HIVE_METASTORE_URI` (`thrift://host:9083`) inside the platform. */
export class Metastore extends pulumi.ComponentResource {
    /** Where engines reach it in-network. */
    public readonly address: Address;
    /** `thrift://host:port` in-network, for the platform's engines. */
    public readonly uri: string;
    /** Its Thrift endpoint, published for clients on the machine running Pulumi. */
    public readonly endpoint: Endpoint;

    constructor(name: string, args: MetastoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:metastore:Metastore", name, {}, opts);
        const spec = hiveSpec({
            name,
            image: args.image ?? METASTORE_DEFAULTS.image,
            resources: args.resources ?? METASTORE_DEFAULTS.resources,
            database: args.database.database(METASTORE_DEFAULTS.database),
            s3: args.s3,
        });
        const deployed = args.runtime.deploy(spec, this);
        this.address = deployed.internal("thrift");
        this.endpoint = deployed.endpoint("thrift");
        this.uri = `thrift://${this.address.host}:${this.address.port}`;
        this.registerOutputs({ uri: this.uri, endpoint: this.endpoint });
    }
}
