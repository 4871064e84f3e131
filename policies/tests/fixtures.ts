/**
 * Passing resources shaped like what lakeforge deploys, with the inputs the provider SDKs take.
 * Every rule passes on every one of them (asserted in evaluate.test.ts); rule specs start from
 * them and change one field per violation.
 */
import { DOCKER, LAKEFORGE_PROXMOX, MINIO, POSTGRESQL, PROXMOX_LXC_TYPES, VAULT } from "../lib/types";
import { DIGEST, GENERATED } from "./fixture-values";
import { k8sPostgres, k8sTrino, k8sCronJob, k8sNamespace, k8sService, k8sConfigMap, k8sSecret } from "./fixtures-kubernetes";
import type { Fixture } from "./util";

export { DIGEST, GENERATED } from "./fixture-values";
export * from "./fixtures-kubernetes";

const hardenedDocker = {
    logDriver: "json-file",
    logOpts: { "max-size": "10m", "max-file": "3" },
    securityOpts: ["no-new-privileges:true"],
    networksAdvanced: [{ name: "lakeforge" }],
    restart: "unless-stopped",
};

/** The dev stack's postgres container. */
export const dockerPostgres: Fixture = {
    label: "docker postgres container",
    type: DOCKER.container,
    props: {
        name: "lakeforge-postgres",
        image: `postgres:16.4-alpine@${DIGEST}`,
        ports: [{ internal: 5432, external: 5432, ip: "127.0.0.1", protocol: "tcp" }],
        envs: ["POSTGRES_USER=lakeforge", `POSTGRES_PASSWORD=${GENERATED}`, "PGDATA=/var/lib/postgresql/data/pgdata"],
        healthcheck: { tests: ["CMD-SHELL", "pg_isready -U lakeforge"], interval: "10s", timeout: "5s", retries: 5 },
        memory: 1024,
        capabilities: { drops: ["ALL"], adds: ["CHOWN", "SETUID", "SETGID", "DAC_OVERRIDE", "FOWNER"] },
        user: "70:70",
        volumes: [{ volumeName: "lakeforge-postgres-data", containerPath: "/var/lib/postgresql/data" }],
        uploads: [
            {
                file: "/etc/postgresql/pg_hba.conf",
                content: "local all all scram-sha-256\nhost all all 0.0.0.0/0 scram-sha-256\n",
            },
        ],
        ...hardenedDocker,
    },
};

/** The dev stack's vault container, in server mode. */
export const dockerVault: Fixture = {
    label: "docker vault container",
    type: DOCKER.container,
    props: {
        name: "lakeforge-vault",
        image: `hashicorp/vault:1.17.5@${DIGEST}`,
        command: ["server", "-config=/vault/config/vault.hcl"],
        ports: [{ internal: 8200, external: 8200, ip: "127.0.0.1" }],
        envs: ["VAULT_ADDR=http://127.0.0.1:8200", "SKIP_SETCAP=true"],
        healthcheck: { tests: ["CMD", "vault", "status"], interval: "10s" },
        memory: 512,
        capabilities: { drops: ["ALL"], adds: ["IPC_LOCK"] },
        user: "100:1000",
        volumes: [{ volumeName: "lakeforge-vault-data", containerPath: "/vault/file" }],
        ...hardenedDocker,
    },
};

/** A pulled image. */
export const remoteImage: Fixture = {
    label: "docker remote image",
    type: DOCKER.remoteImage,
    props: { name: `minio/minio:RELEASE.2024-10-13T13-34-11Z@${DIGEST}`, keepLocally: true },
};

/** A named docker volume holding state. */
export const dockerVolume: Fixture = {
    label: "docker volume",
    type: DOCKER.volume,
    props: { name: "lakeforge-postgres-data" },
    protect: true,
};

/** An application role. */
export const pgRole: Fixture = {
    label: "postgresql application role",
    type: POSTGRESQL.role,
    props: { name: "unity_catalog", login: true, password: GENERATED, superuser: false, createRole: false, createDatabase: false },
};

/** An application database. */
export const pgDatabase: Fixture = {
    label: "postgresql database",
    type: POSTGRESQL.database,
    props: { name: "unity_catalog", owner: "unity_catalog" },
    protect: true,
};

/** A lake bucket. */
export const minioBucket: Fixture = {
    label: "minio bucket",
    type: MINIO.bucket,
    props: { bucket: "lake", acl: "private" },
    protect: true,
};

/** A bucket policy granting a named user. */
export const minioBucketPolicy: Fixture = {
    label: "minio bucket policy",
    type: MINIO.bucketPolicy,
    props: {
        bucket: "lake",
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { AWS: ["arn:aws:iam::minio:user/trino"] },
                    Action: ["s3:GetObject"],
                    Resource: ["arn:aws:s3:::lake/*"],
                },
            ],
        }),
    },
};

/** A consumer's MinIO user. */
export const minioUser: Fixture = {
    label: "minio iam user",
    type: MINIO.iamUser,
    props: { name: "trino", secret: GENERATED },
};

/** A consumer's Vault policy. */
export const vaultPolicy: Fixture = {
    label: "vault policy",
    type: VAULT.policy,
    props: {
        name: "trino",
        policy: 'path "kv/data/trino/*" {\n  capabilities = ["read", "list"]\n}\npath "kv/metadata/trino/*" {\n  capabilities = ["list"]\n}\n',
    },
};

/** The KV mount. */
export const vaultMount: Fixture = {
    label: "vault kv mount",
    type: VAULT.mount,
    props: { path: "kv", type: "kv", options: { version: "2" } },
    protect: true,
};

/** The CI AppRole. */
export const vaultAppRole: Fixture = {
    label: "vault approle role",
    type: VAULT.approleRole,
    props: { backend: "approle", roleName: "ci", tokenPolicies: ["default", "ci"], tokenTtl: 3600 },
};

/** A Proxmox LXC guest (8.x resource). */
export const proxmoxLxc: Fixture = {
    label: "proxmox lxc container",
    type: PROXMOX_LXC_TYPES[0] ?? "",
    props: {
        nodeName: "pve",
        unprivileged: true,
        features: { nesting: true },
        initialization: { hostname: "lakeforge-postgres", userAccount: { keys: ["ssh-ed25519 AAAA... lakeforge"] } },
        mountPoints: [{ volume: "/srv/lakeforge/postgres", path: "/var/lib/postgresql/data" }],
        environmentVariables: { PGDATA: "/var/lib/postgresql/data/pgdata" },
        operatingSystem: { templateFileId: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", type: "debian" },
    },
    protect: true,
};

/** lakeforge's own proxmox container (a dynamic resource), with the inputs the proxmox runtime gives it. */
export const lakeforgeContainer: Fixture = {
    label: "lakeforge proxmox container",
    type: LAKEFORGE_PROXMOX.container,
    props: {
        __provider: "exports.handler = { create: ... }",
        service: "postgres",
        vmid: 140,
        create: {
            vmid: 140,
            ostemplate: "local:vztmpl/lakeforge_postgres_16.15-alpine_0a1b2c3d4e5f.tar",
            unprivileged: 1,
            rootfs: "local-zfs:8",
            start: 0,
        },
        config: {
            hostname: "postgres",
            cores: 1,
            cpulimit: 1,
            memory: 1024,
            swap: 0,
            tags: "lakeforge;postgres",
            description: "lakeforge homelab: service postgres (managed by Pulumi; changes here are overwritten)",
            mp0: "local-zfs:subvol-199-lakeforge-postgres-data,mp=/var/lib/postgresql/data,backup=1",
        },
        env: { PGDATA: "/var/lib/postgresql/data/pgdata", POSTGRES_PASSWORD_FILE: "/run/secrets/postgres-password" },
        command: ["postgres"],
        image: `postgres:16.15-alpine@sha256:${"ab".repeat(32)}`,
        healthCheck: ["pg_isready", "-U", "postgres"],
    },
    protect: true,
};

/** lakeforge's own proxmox data volume (a dynamic resource). */
export const lakeforgeVolume: Fixture = {
    label: "lakeforge proxmox volume",
    type: LAKEFORGE_PROXMOX.volume,
    props: { storage: "local-zfs", owner: 199, name: "postgres-data", sizeGb: 20 },
    protect: true,
};

/** Every passing fixture, for the all-rules check. */
export const ALL_FIXTURES: readonly Fixture[] = [
    dockerPostgres,
    dockerVault,
    remoteImage,
    dockerVolume,
    k8sPostgres,
    k8sTrino,
    k8sCronJob,
    k8sNamespace,
    k8sService,
    k8sConfigMap,
    k8sSecret,
    pgRole,
    pgDatabase,
    minioBucket,
    minioBucketPolicy,
    minioUser,
    vaultPolicy,
    vaultMount,
    vaultAppRole,
    proxmoxLxc,
    lakeforgeContainer,
    lakeforgeVolume,
];
