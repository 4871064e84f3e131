import { noCredentialsInConfigmaps } from "../../rules/no-credentials-in-configmaps";
import { noLiteralSecretEnv } from "../../rules/no-literal-secret-env";
import { noWellKnownCredentials } from "../../rules/no-well-known-credentials";
import { postgresNoTrustAuthentication } from "../../rules/postgres-no-trust-authentication";
import { vaultNoDevMode } from "../../rules/vault-no-dev-mode";
import type { RuleSpec } from "../util";
import {
    dockerPostgres,
    dockerVault,
    k8sConfigMap,
    k8sPostgres,
    k8sSecret,
    lakeforgeContainer,
    minioUser,
    pgRole,
    proxmoxLxc,
} from "../fixtures";

const CONTAINER = ["spec", "template", "spec", "containers", 0] as const;

/** A docker minio container configured with a generated root password. */
const dockerMinio = {
    ...dockerPostgres,
    label: "docker minio container",
    props: {
        ...dockerPostgres.props,
        image: "minio/minio:RELEASE.2024-10-13T13-34-11Z",
        command: ["server", "/data", "--console-address", ":9001"],
        envs: ["MINIO_ROOT_USER=lakeforge-admin", "MINIO_ROOT_PASSWORD=q7Vd-Lx2pR9wTz4KmB8nYc3H"],
    },
};

/** Rules about default, leaked or bypassed credentials. */
export const credentialSpecs: RuleSpec[] = [
    {
        rule: noWellKnownCredentials,
        passing: [dockerMinio, dockerPostgres, k8sPostgres, k8sSecret, pgRole, minioUser, proxmoxLxc],
        violations: [
            {
                branch: "minio default root password",
                from: "docker minio container",
                set: ["envs", 1],
                to: "MINIO_ROOT_PASSWORD=minioadmin",
                expect: /^envs\[1\]: .*MINIO_ROOT_PASSWORD.*"minioadmin"/,
            },
            { branch: "postgres default password", set: ["envs", 1], to: "POSTGRES_PASSWORD=postgres", expect: /^envs\[1\]: .*"postgres"/ },
            {
                branch: "kubernetes env literal default",
                from: "kubernetes postgres statefulset",
                set: [...CONTAINER, "env", 1],
                to: { name: "POSTGRES_PASSWORD", value: "changeme" },
                expect: /containers\[0\]\.env\[1\]: .*"changeme"/,
            },
            {
                branch: "secret stringData",
                from: "kubernetes secret",
                set: ["stringData", "password"],
                to: "admin",
                expect: /^stringData\.password: .*"admin"/,
            },
            {
                branch: "secret data (base64)",
                from: "kubernetes secret",
                set: ["data"],
                to: { password: Buffer.from("minioadmin").toString("base64") },
                expect: /^data\.password: .*"minioadmin"/,
            },
            {
                branch: "postgres role password",
                from: "postgresql application role",
                set: ["password"],
                to: "password",
                expect: /^password: .*"password"/,
            },
            { branch: "minio user secret", from: "minio iam user", set: ["secret"], to: "minio123", expect: /^secret: .*"minio123"/ },
            {
                branch: "lxc root password",
                from: "proxmox lxc container",
                set: ["initialization", "userAccount", "password"],
                to: "root",
                expect: /^initialization\.userAccount\.password: .*"root"/,
            },
        ],
    },
    {
        rule: postgresNoTrustAuthentication,
        passing: [dockerPostgres, k8sPostgres, k8sConfigMap],
        violations: [
            {
                branch: "host auth method trust",
                set: ["envs", 2],
                to: "POSTGRES_HOST_AUTH_METHOD=trust",
                expect: /^envs\[2\]: .*found "trust"/,
            },
            {
                branch: "initdb trust",
                set: ["envs", 2],
                to: "POSTGRES_INITDB_ARGS=--auth-host=trust",
                expect: /^envs\[2\]: .*POSTGRES_INITDB_ARGS/,
            },
            {
                branch: "pg_hba upload with trust",
                set: ["uploads", 0, "content"],
                to: "local all all scram-sha-256\nhost all all 0.0.0.0/0 trust\n",
                expect: /^uploads\[0\]\.content line 2: .*"trust"/,
            },
            {
                branch: "kubernetes env trust",
                from: "kubernetes postgres statefulset",
                set: [...CONTAINER, "env", 2],
                to: { name: "POSTGRES_HOST_AUTH_METHOD", value: "trust" },
                expect: /containers\[0\]\.env\[2\]: /,
            },
            {
                branch: "pg_hba in a configmap",
                from: "kubernetes trino catalog configmap",
                set: ["data", "pg_hba.conf"],
                to: "host all all all trust",
                expect: /^data\["pg_hba\.conf"\] line 1: /,
            },
        ],
    },
    {
        rule: vaultNoDevMode,
        passing: [dockerVault, dockerPostgres, k8sPostgres],
        violations: [
            { branch: "server -dev", set: ["command"], to: ["server", "-dev"], expect: /^command: .*"server -dev"/ },
            { branch: "dev flag with value", set: ["command"], to: ["server", "-dev-listen-address=0.0.0.0:8200"], expect: /^command: / },
            { branch: "shell form", set: ["command"], to: ["sh -c 'vault server -dev'"], expect: /^command: / },
            { branch: "image default command", set: ["command"], to: [], expect: /^command: .*default "server -dev"/ },
            {
                branch: "dev root token env",
                set: ["envs", 1],
                to: "VAULT_DEV_ROOT_TOKEN_ID=root",
                expect: /^envs\[1\]: .*VAULT_DEV_ROOT_TOKEN_ID set/,
            },
            { branch: "openbao dev env", set: ["envs", 1], to: "BAO_DEV_ROOT_TOKEN_ID=root", expect: /BAO_DEV_ROOT_TOKEN_ID/ },
            {
                branch: "kubernetes container args",
                from: "kubernetes postgres statefulset",
                set: [...CONTAINER, "args"],
                to: ["server", "-dev"],
                expect: /containers\[0\]\.args: .*"server -dev"/,
            },
        ],
    },
    {
        rule: noCredentialsInConfigmaps,
        passing: [k8sConfigMap],
        violations: [
            {
                branch: "credential key",
                set: ["data", "POSTGRES_PASSWORD"],
                to: "hunter2hunter2",
                expect: /^data\.POSTGRES_PASSWORD: expected the credential in a Secret/,
            },
            {
                branch: "properties file literal",
                set: ["data", "lake.properties"],
                to: "connector.name=delta_lake\ns3.aws-secret-key=wJalrXUtnFEMI",
                expect: /^data\["lake\.properties"\] line 2: expected "s3\.aws-secret-key"/,
            },
            {
                branch: "hibernate password",
                set: ["data", "hibernate.properties"],
                to: "hibernate.connection.url=jdbc:postgresql://postgres/uc\nhibernate.connection.password=s3cr3t",
                expect: /line 2: expected "hibernate\.connection\.password"/,
            },
            {
                branch: "hadoop xml password",
                set: ["data", "hive-site.xml"],
                to: "<property><name>javax.jdo.option.ConnectionPassword</name><value>s3cr3t</value></property>",
                expect: /^data\["hive-site\.xml"\] line 1: expected "javax\.jdo\.option\.ConnectionPassword"/,
            },
        ],
    },
    {
        rule: noLiteralSecretEnv,
        passing: [k8sPostgres, dockerPostgres, proxmoxLxc, lakeforgeContainer],
        violations: [
            {
                branch: "kubernetes literal password",
                set: [...CONTAINER, "env", 1],
                to: { name: "POSTGRES_PASSWORD", value: "q7Vd-Lx2pR9wTz4KmB8nYc3H" },
                expect: /containers\[0\]\.env\[1\]: expected POSTGRES_PASSWORD from a secret reference.*literal value\.$/,
            },
            {
                branch: "lxc env token",
                from: "proxmox lxc container",
                set: ["environmentVariables", "VAULT_TOKEN"],
                to: "hvs.CAESIJ",
                expect: /^environmentVariables\.VAULT_TOKEN: /,
            },
            {
                branch: "lakeforge container env password",
                from: "lakeforge proxmox container",
                set: ["env", "POSTGRES_PASSWORD"],
                to: "q7Vd-Lx2pR9wTz4KmB8nYc3H",
                expect: /^env\.POSTGRES_PASSWORD: expected POSTGRES_PASSWORD from a secret reference/,
            },
            {
                branch: "lakeforge container description with a password",
                from: "lakeforge proxmox container",
                set: ["config", "description"],
                to: "lakeforge homelab: service postgres, POSTGRES_PASSWORD=q7Vd-Lx2pR9wTz4KmB8nYc3H",
                expect: /^config\.description: expected no credential .*found POSTGRES_PASSWORD set in it/,
            },
            {
                branch: "lakeforge container tags with a token",
                from: "lakeforge proxmox container",
                set: ["config", "tags"],
                to: "lakeforge;token:hvs.CAESIJ",
                expect: /^config\.tags: .*found token set in it/,
            },
        ],
    },
];
