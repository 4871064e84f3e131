/**
 * Passing Kubernetes resources shaped like what lakeforge's kubernetes runtime deploys (split out
 * of fixtures.ts, which re-exports them).
 */
import { K8S } from "../lib/types";
import { DIGEST, GENERATED } from "./fixture-values";
import type { Fixture } from "./util";

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
