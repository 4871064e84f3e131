import type * as pulumi from "@pulumi/pulumi";

/** The kinds of infrastructure lakeforge deploys to. */
export type Target = "docker" | "kubernetes" | "proxmox";

/** A dynamic resource's arguments: each field of its state as a value or an Output, and so may each value of a record field. */
export type DynamicInputs<T> = {
    readonly [K in keyof T]:
        pulumi.Input<T[K]> | (T[K] extends Readonly<Record<string, infer V>> ? Readonly<Record<string, pulumi.Input<V>>> : never);
};

/** A host and port pair. */
export interface Address {
    readonly host: string;
    readonly port: number;
}

/**
 * Where a service answers: `internal` is what other platform services use inside the platform
 * network (container DNS name, cluster DNS); `external` is reachable from the machine running
 * Pulumi and from workstation clients (a loopback-published port, a NodePort, a LoadBalancer).
 */
export interface EndpointInfo {
    readonly scheme: "http" | "https" | "postgresql" | "tcp";
    readonly internal: Address;
    readonly external: Address;
}

/** A service endpoint as a Pulumi output. */
export type Endpoint = pulumi.Output<EndpointInfo>;

/** A login to one PostgreSQL database; `password` and both URLs carrying it are secrets. */
export interface DatabaseConnection {
    /** In-network host of the server. */
    readonly host: pulumi.Output<string>;
    /** In-network port of the server. */
    readonly port: pulumi.Output<number>;
    readonly database: pulumi.Output<string>;
    readonly user: pulumi.Output<string>;
    readonly password: pulumi.Output<string>;
    /** `jdbc:postgresql://host:port/db` for in-network JVM services (no credentials in it). */
    readonly jdbcUrl: pulumi.Output<string>;
    /** The same through the external endpoint, for workstation JVM clients (no credentials in it). */
    readonly externalJdbcUrl: pulumi.Output<string>;
    /** libpq URL with credentials, for in-network services (secret). */
    readonly url: pulumi.Output<string>;
    /** libpq URL with credentials through the external endpoint, for workstation clients (secret). */
    readonly externalUrl: pulumi.Output<string>;
}

/** A place in the object store: a bucket and a key prefix, with its URIs. */
export interface S3Location {
    readonly bucket: string;
    /** Key prefix without leading or trailing slash; "" for the whole bucket. */
    readonly prefix: string;
    /** `s3://bucket[/prefix]` for DuckDB, boto3, Trino. */
    readonly s3Uri: string;
    /** `s3a://bucket[/prefix]` for Spark/Hadoop. */
    readonly s3aUri: string;
}

/** An S3 access key pair; the secret key is a Pulumi secret. */
export interface S3Credentials {
    readonly accessKeyId: pulumi.Output<string>;
    readonly secretAccessKey: pulumi.Output<string>;
}

/** What a client needs to talk to an S3 endpoint. */
export interface S3Access {
    readonly endpoint: Endpoint;
    /** `http://host:port` for services in the platform network; tied to no resource. */
    readonly internalUrl: string;
    readonly region: string;
    /** MinIO and most self-hosted S3 engines need path-style addressing. */
    readonly pathStyle: boolean;
    readonly credentials: S3Credentials;
    readonly location: S3Location;
}

/** Admin access to the Secrets capability: address and a token (secret). */
export interface VaultAccess {
    readonly endpoint: Endpoint;
    readonly token: pulumi.Output<string>;
    /** Path of the KV v2 mount lakeforge writes credentials under. */
    readonly kvMount: string;
}

/** CPU and memory for one service. */
export interface Resources {
    /** Memory limit in MiB (a request of half of it on Kubernetes). */
    readonly memoryMb: number;
    /** CPU limit in cores. */
    readonly cpus: number;
}

/** What every Iceberg client of the platform's catalog is told, whatever the engine. */
interface IcebergCatalogCommon {
    /** The Iceberg catalog name, also the name query engines give it (`lake.bronze.orders`). */
    readonly name: string;
    /** Where new namespaces and tables go: the lake bucket's root (`s3://lake`). */
    readonly location: string;
}

/** The Iceberg JDBC catalog (engine `jdbc`): a login to the catalog's database. */
export interface JdbcCatalogAccess extends IcebergCatalogCommon {
    readonly kind: "jdbc";
    /** Reads and changes entries, never the tables' shape. */
    readonly jdbc: DatabaseConnection;
}

/**
 * An Iceberg REST catalog: engine `polaris` with OAuth2 client credentials of one principal, or
 * `lakekeeper`, which authenticates nobody without an external OpenID provider (no credential).
 */
export interface RestCatalogAccess extends IcebergCatalogCommon {
    readonly kind: "rest";
    /** `http://polaris:8181/api/catalog`, for services in the platform network. */
    readonly uri: pulumi.Output<string>;
    /** The same for workstation clients. */
    readonly externalUri: pulumi.Output<string>;
    /** `clientId:clientSecret` (secret); unset where the catalog authenticates nobody (lakekeeper). */
    readonly credential?: pulumi.Output<string>;
    /** OAuth2 scope to ask for with the credential, e.g. `PRINCIPAL_ROLE:ALL`. */
    readonly scope?: string;
}

/** What an Iceberg client needs to use the platform's catalog with its own login. */
export type IcebergCatalogAccess = JdbcCatalogAccess | RestCatalogAccess;
