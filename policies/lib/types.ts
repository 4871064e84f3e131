/**
 * Resource type tokens the rules match on. Each token is the `__pulumiType` of the class in the
 * installed provider SDK (asserted by tests/type-tokens.test.ts), so the pack never loads a provider.
 */
export const DOCKER = {
    container: "docker:index/container:Container",
    remoteImage: "docker:index/remoteImage:RemoteImage",
    volume: "docker:index/volume:Volume",
} as const;

/** Kubernetes core, apps and batch kinds the rules inspect. */
export const K8S = {
    namespace: "kubernetes:core/v1:Namespace",
    service: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    pod: "kubernetes:core/v1:Pod",
    persistentVolumeClaim: "kubernetes:core/v1:PersistentVolumeClaim",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
} as const;

/** PostgreSQL bootstrap resources (@pulumi/postgresql). */
export const POSTGRESQL = {
    role: "postgresql:index/role:Role",
    database: "postgresql:index/database:Database",
} as const;

/** Vault bootstrap resources (@pulumi/vault); `approleRole` is `vault.approle.AuthBackendRole`. */
export const VAULT = {
    policy: "vault:index/policy:Policy",
    mount: "vault:index/mount:Mount",
    approleRole: "vault:appRole/authBackendRole:AuthBackendRole",
} as const;

/** MinIO bootstrap resources (@pulumi/minio). */
export const MINIO = {
    bucket: "minio:index/s3Bucket:S3Bucket",
    bucketPolicy: "minio:index/s3BucketPolicy:S3BucketPolicy",
    iamUser: "minio:index/iamUser:IamUser",
} as const;

/**
 * Proxmox LXC containers from @muhlba91/pulumi-proxmoxve (not a dependency: tokens read from its
 * published typings). 8.x names the resource `ContainerLegacy`; 7.x and earlier `CT/container`.
 * Both take the same inputs (`unprivileged`, `mountPoints`, `environmentVariables`, ...).
 */
export const PROXMOX_LXC_TYPES: readonly string[] = ["proxmoxve:index/containerLegacy:ContainerLegacy", "proxmoxve:CT/container:Container"];

/** True when `type` is a Proxmox LXC container of any supported provider major. */
export function isProxmoxLxc(type: string): boolean {
    return PROXMOX_LXC_TYPES.includes(type);
}

/**
 * lakeforge's own proxmox resources (src/runtime/proxmox/resources.ts): dynamic resources, whose type
 * token Pulumi makes from the module and type name each passes (`pulumi-nodejs:dynamic/<module>:<type>`).
 */
export const LAKEFORGE_PROXMOX = {
    container: "pulumi-nodejs:dynamic/lakeforge:ProxmoxContainer",
    volume: "pulumi-nodejs:dynamic/lakeforge:ProxmoxVolume",
} as const;

/** True for lakeforge's own proxmox container. */
export function isLakeforgeContainer(type: string): boolean {
    return type === LAKEFORGE_PROXMOX.container;
}
