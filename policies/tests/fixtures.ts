/**
 * Passing resources shaped like what lakeforge deploys, with the inputs the provider SDKs take.
 * Every rule passes on every one of them (asserted in evaluate.test.ts); rule specs start from
 * them and change one field per violation.
 */
import { DOCKER, K8S, MINIO, POSTGRESQL, PROXMOX_LXC_TYPES, VAULT } from "../lib/types";
import type { Fixture } from "./util";

/** A content digest for pinned images. */
export const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

/** A generated-looking password (what random.RandomPassword yields). */
export const GENERATED = "q7Vd-Lx2pR9wTz4KmB8nYc3H";

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

const podSecurity = { runAsNonRoot: true, runAsUser: 70, fsGroup: 70, seccompProfile: { type: "RuntimeDefault" } };
const containerSecurity = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } };

/** The prod stack's postgres StatefulSet. */
export const k8sPostgres: Fixture = {
    label: "kubernetes postgres statefulset",
    type: K8S.statefulSet,
    props: {
        metadata: { name: "postgres", namespace: "lakeforge" },
        spec: {
            serviceName: "postgres",
            replicas: 1,
            selector: { matchLabels: { app: "postgres" } },
            template: {
                metadata: { labels: { app: "postgres" } },
                spec: {
                    securityContext: podSecurity,
                    containers: [
                        {
                            name: "postgres",
                            image: `postgres:16.4-alpine@${DIGEST}`,
                            ports: [{ containerPort: 5432, name: "postgres" }],
                            env: [
                                { name: "POSTGRES_USER", value: "lakeforge" },
                                { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: "postgres", key: "password" } } },
                                { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                            ],
                            securityContext: containerSecurity,
                            resources,
                            readinessProbe: { exec: { command: ["pg_isready", "-U", "lakeforge"] } },
                            livenessProbe: { tcpSocket: { port: 5432 } },
                            volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
                        },
                    ],
                },
            },
            volumeClaimTemplates: [
                {
                    metadata: { name: "data" },
                    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
                },
            ],
        },
    },
};

/** The prod stack's trino coordinator: stateless, with an init container. */
export const k8sTrino: Fixture = {
    label: "kubernetes trino deployment",
    type: K8S.deployment,
    props: {
        metadata: { name: "trino-coordinator", namespace: "lakeforge" },
        spec: {
            replicas: 1,
            selector: { matchLabels: { app: "trino" } },
            template: {
                metadata: { labels: { app: "trino" } },
                spec: {
                    securityContext: { ...podSecurity, runAsUser: 1000, fsGroup: 1000 },
                    initContainers: [
                        {
                            name: "wait-for-metastore",
                            image: `busybox:1.36.1@${DIGEST}`,
                            command: ["sh", "-c", "until nc -z hive-metastore 9083; do sleep 2; done"],
                            securityContext: containerSecurity,
                            resources,
                        },
                    ],
                    containers: [
                        {
                            name: "trino",
                            image: `trinodb/trino:460@${DIGEST}`,
                            ports: [{ containerPort: 8080, name: "http" }],
                            env: [
                                { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "trino-s3", key: "accessKey" } } },
                                { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "trino-s3", key: "secretKey" } } },
                            ],
                            securityContext: containerSecurity,
                            resources,
                            readinessProbe: { httpGet: { path: "/v1/info", port: 8080 } },
                            livenessProbe: { httpGet: { path: "/v1/info", port: 8080 } },
                            volumeMounts: [{ name: "catalog", mountPath: "/etc/trino/catalog" }],
                        },
                    ],
                    volumes: [{ name: "catalog", configMap: { name: "trino-catalog" } }],
                },
            },
        },
    },
};

/** A nightly maintenance job: runs to completion, so no probes. */
export const k8sCronJob: Fixture = {
    label: "kubernetes maintenance cronjob",
    type: K8S.cronJob,
    props: {
        metadata: { name: "vacuum", namespace: "lakeforge" },
        spec: {
            schedule: "0 3 * * *",
            jobTemplate: {
                spec: {
                    template: {
                        spec: {
                            restartPolicy: "OnFailure",
                            securityContext: podSecurity,
                            containers: [
                                {
                                    name: "vacuum",
                                    image: `postgres:16.4-alpine@${DIGEST}`,
                                    command: ["vacuumdb", "--all"],
                                    env: [{ name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: "postgres", key: "password" } } }],
                                    securityContext: containerSecurity,
                                    resources,
                                },
                            ],
                        },
                    },
                },
            },
        },
    },
};

/** The platform namespace. */
export const k8sNamespace: Fixture = {
    label: "kubernetes namespace",
    type: K8S.namespace,
    props: {
        metadata: {
            name: "lakeforge",
            labels: { "pod-security.kubernetes.io/enforce": "restricted", "app.kubernetes.io/part-of": "lakeforge" },
        },
    },
};

/** A ClusterIP Service. */
export const k8sService: Fixture = {
    label: "kubernetes clusterip service",
    type: K8S.service,
    props: {
        metadata: { name: "postgres", namespace: "lakeforge" },
        spec: { type: "ClusterIP", selector: { app: "postgres" }, ports: [{ port: 5432, targetPort: 5432 }] },
    },
};

/** A rendered Trino catalog: credentials only as environment references. */
export const k8sConfigMap: Fixture = {
    label: "kubernetes trino catalog configmap",
    type: K8S.configMap,
    props: {
        metadata: { name: "trino-catalog", namespace: "lakeforge" },
        data: {
            "lake.properties": [
                "connector.name=delta_lake",
                "hive.metastore.uri=thrift://hive-metastore:9083",
                "fs.native-s3.enabled=true",
                "s3.endpoint=http://minio:9000",
                "s3.aws-access-key=${ENV:AWS_ACCESS_KEY_ID}",
                "s3.aws-secret-key=${ENV:AWS_SECRET_ACCESS_KEY}",
            ].join("\n"),
            "hive-site.xml":
                "<configuration><property><name>javax.jdo.option.ConnectionUserName</name><value>hive</value></property>" +
                "<property><name>javax.jdo.option.ConnectionPassword</name><value>${env.HIVE_DB_PASSWORD}</value></property></configuration>",
            LOG_LEVEL: "INFO",
        },
    },
};

/** A Secret holding a generated password. */
export const k8sSecret: Fixture = {
    label: "kubernetes secret",
    type: K8S.secret,
    props: {
        metadata: { name: "postgres", namespace: "lakeforge" },
        type: "Opaque",
        stringData: { username: "lakeforge", password: GENERATED },
    },
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
];
