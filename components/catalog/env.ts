import * as pulumi from "@pulumi/pulumi";
import type { Endpoint, IcebergCatalogAccess } from "../../src/types";
import { UNITY_CATALOG_API_PATH } from "./unity-catalog";

/** Unity Catalog as its clients reach it (engine `unity-catalog`). */
export interface UnityCatalogAccess {
    readonly endpoint: Endpoint;
    /** The catalog and the schema the bootstrap made in it. */
    readonly name: string;
    readonly schema: string;
    /** Where the tables' data lives: the lake bucket's root (`s3://lake`). */
    readonly location: string;
    /** `http://127.0.0.1:8080` for workstation clients (the UC Spark connector's `uri`). */
    readonly serverUrl: pulumi.Output<string>;
    /** `http://unity-catalog:8080`, for services in the platform network. */
    readonly internalServerUrl: string;
}

/** Variables an Iceberg client (Spark, pyiceberg, Trino) sets to use the catalog. */
export function catalogEnv(access: IcebergCatalogAccess): Record<string, pulumi.Input<string>> {
    if (access.kind === "rest") {
        const common = {
            ICEBERG_CATALOG: access.name,
            ICEBERG_CATALOG_TYPE: "rest",
            // REST clients name the catalog as their warehouse.
            ICEBERG_WAREHOUSE: access.name,
            ICEBERG_LOCATION: access.location,
            ICEBERG_REST_URI: access.externalUri,
        };
        // Lakekeeper without an OpenID provider authenticates nobody: no credential to hand out.
        if (access.credential === undefined) return common;
        return {
            ...common,
            ICEBERG_REST_CREDENTIAL: access.credential,
            ICEBERG_REST_SCOPE: access.scope ?? "",
            ICEBERG_REST_OAUTH2_SERVER_URI: pulumi.interpolate`${access.externalUri}/v1/oauth/tokens`,
        };
    }
    const j = access.jdbc;
    return {
        ICEBERG_CATALOG: access.name,
        ICEBERG_CATALOG_TYPE: "jdbc",
        ICEBERG_WAREHOUSE: access.location,
        ICEBERG_LOCATION: access.location,
        ICEBERG_JDBC_URL: j.externalJdbcUrl,
        ICEBERG_JDBC_USER: j.user,
        ICEBERG_JDBC_PASSWORD: j.password,
    };
}

/**
 * Variables a Unity Catalog client sets (seed 000's names). No UC_TOKEN: lakeforge runs the server
 * without authorization, which needs an external OpenID provider; the data is read with the
 * client's own S3 key (S3_ENDPOINT, AWS_* from the object store's consumers).
 */
export function unityCatalogEnv(uc: UnityCatalogAccess): Record<string, pulumi.Input<string>> {
    return {
        UC_SERVER_URL: uc.serverUrl,
        UC_API_URL: pulumi.interpolate`${uc.serverUrl}${UNITY_CATALOG_API_PATH}`,
        UC_CATALOG: uc.name,
        UC_SCHEMA: uc.schema,
        UC_ENABLED: "true",
        UC_LOCATION: uc.location,
    };
}
