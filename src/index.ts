/**
 * lakeforge as a library: the capabilities, the runtime seam and the typed wiring, for use in
 * other Pulumi programs (`import { ObjectStore, Database } from "lakeforge"`).
 */
export { Catalog, catalogEnv, type CatalogArgs } from "../components/catalog";
export { Database, type DatabaseArgs } from "../components/database";
export { ObjectStore, type ObjectStoreArgs, type BucketSpec, type ConsumerSpec, type ObjectStoreEngine } from "../components/objectStore";
export { ModelRegistry, type ModelRegistryArgs } from "../components/modelRegistry";
export { Orchestrator, type OrchestratorArgs } from "../components/orchestrator";
export { Metastore, type MetastoreArgs } from "../components/metastore";
export { Logging, type LoggingArgs, type LoggingStorage } from "../components/logging";
export { QueryEngine, type QueryEngineArgs } from "../components/queryEngine";
export { Registry, type RegistryArgs, type RegistryStorage } from "../components/registry";
export { Secrets, type SecretsArgs, type StoredSecret, type AppRoleLogin } from "../components/secrets";
export { DockerRuntime, type DockerRuntimeArgs } from "./runtime/docker";
export { dockerSettingsSchema, DOCKER_DEFAULTS, type DockerSettings } from "./runtime/docker-settings";
export { KubernetesRuntime, type KubernetesRuntimeArgs } from "./runtime/kubernetes";
export { kubernetesSettingsSchema, KUBERNETES_DEFAULTS, type KubernetesSettings } from "./runtime/kubernetes-settings";
export type { Runtime, ServiceSpec, DeployedService, ServicePort, ServiceFile, ServiceVolume, HealthCheck } from "./runtime/spec";
export type { LogDelivery } from "./runtime/spec";
export type {
    Address,
    DatabaseConnection,
    Endpoint,
    EndpointInfo,
    IcebergCatalogAccess,
    Resources,
    S3Access,
    S3Credentials,
    S3Location,
    Target,
    VaultAccess,
} from "./types";
export { parseConfig, ConfigError, type LakeforgeConfig } from "./config";
export { composePlatform } from "../stacks/platform";
export type { PlatformOutputs, PlatformEndpoints, EndpointUrls } from "./outputs";
export { IMAGES } from "./images";
