import { dockerStatefulDataOnNamedVolume } from "../../rules/docker-stateful-data-on-named-volume";
import { kubernetesStatefulDataOnPvc } from "../../rules/kubernetes-stateful-data-on-pvc";
import { statefulResourcesProtected } from "../../rules/stateful-resources-protected";
import { ABSENT, withField, type RuleSpec } from "../util";
import {
    dockerPostgres,
    dockerVolume,
    k8sPostgres,
    k8sTrino,
    lakeforgeContainer,
    lakeforgeVolume,
    minioBucket,
    pgDatabase,
    proxmoxLxc,
    vaultMount,
} from "../fixtures";

/** Postgres as a Deployment with a claim volume instead of a StatefulSet template. */
const pgDeployment = {
    ...k8sPostgres,
    label: "postgres deployment with a claim",
    type: "kubernetes:apps/v1:Deployment",
    props: withField(
        withField(k8sPostgres.props, ["spec", "volumeClaimTemplates"], ABSENT),
        ["spec", "template", "spec", "volumes"],
        [{ name: "data", persistentVolumeClaim: { claimName: "postgres-data" } }],
    ),
};

/** A registry Deployment whose blobs live in the lake's object store. */
const s3Registry = {
    ...k8sTrino,
    label: "registry deployment on object storage",
    props: withField(
        withField(k8sTrino.props, ["spec", "template", "spec", "containers", 0, "image"], "registry:3.1.1"),
        ["spec", "template", "spec", "containers", 0, "env", 0],
        { name: "REGISTRY_STORAGE_S3_ACCESSKEY", valueFrom: { secretKeyRef: { name: "registry-env", key: "accessKey" } } },
    ),
};

/** Rules that keep data alive. */
export const durabilitySpecs: RuleSpec[] = [
    {
        rule: dockerStatefulDataOnNamedVolume,
        passing: [
            dockerPostgres,
            {
                ...dockerPostgres,
                label: "volume mount",
                props: {
                    ...dockerPostgres.props,
                    volumes: [],
                    mounts: [{ type: "volume", source: "pg", target: "/var/lib/postgresql/data" }],
                },
            },
            {
                ...dockerPostgres,
                label: "stateless image without volumes",
                props: { ...dockerPostgres.props, image: "trinodb/trino:460", volumes: [] },
            },
            {
                ...dockerPostgres,
                label: "registry on object storage",
                props: {
                    ...dockerPostgres.props,
                    image: "registry:3.1.1",
                    volumes: [],
                    envs: ["REGISTRY_STORAGE=s3"],
                },
            },
        ],
        violations: [
            {
                branch: "no volume",
                set: ["volumes"],
                to: ABSENT,
                expect: /^volumes: expected a named volume for postgres's data, found none/,
            },
            {
                branch: "anonymous volume",
                set: ["volumes", 0, "volumeName"],
                to: ABSENT,
                expect: /^volumes\[0\]\.volumeName: .*anonymous volume at \/var\/lib\/postgresql\/data/,
            },
            {
                branch: "registry on local storage",
                from: "registry on object storage",
                set: ["envs", 0],
                to: "REGISTRY_STORAGE=filesystem",
                expect: /for registry's data/,
            },
            {
                branch: "anonymous volume on a stateless image",
                from: "stateless image without volumes",
                set: ["volumes", 0],
                to: { containerPath: "/tmp/spill" },
                expect: /anonymous volume at \/tmp\/spill/,
            },
        ],
    },
    {
        rule: kubernetesStatefulDataOnPvc,
        passing: [k8sPostgres, pgDeployment, k8sTrino, s3Registry],
        violations: [
            {
                branch: "statefulset without claim templates",
                set: ["spec", "volumeClaimTemplates"],
                to: [],
                expect: /^spec\.volumeClaimTemplates: expected a PersistentVolumeClaim for postgres data/,
            },
            {
                branch: "deployment on emptyDir",
                from: "postgres deployment with a claim",
                set: ["spec", "template", "spec", "volumes", 0],
                to: { name: "data", emptyDir: {} },
                expect: /^volumes: expected a PersistentVolumeClaim/,
            },
            {
                branch: "registry on local storage",
                from: "registry deployment on object storage",
                set: ["spec", "template", "spec", "containers", 0, "env", 0, "name"],
                to: "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY",
                expect: /^volumes: expected a PersistentVolumeClaim for registry data/,
            },
        ],
    },
    {
        rule: statefulResourcesProtected,
        passing: [
            dockerVolume,
            pgDatabase,
            minioBucket,
            vaultMount,
            proxmoxLxc,
            lakeforgeContainer,
            lakeforgeVolume,
            k8sPostgres,
            k8sTrino,
        ],
        violations: [
            { branch: "database unprotected", from: "postgresql database", protect: false, expect: /^opts\.protect: expected true/ },
            { branch: "bucket unprotected", from: "minio bucket", protect: false, expect: /^opts\.protect: / },
            { branch: "vault mount unprotected", from: "vault kv mount", protect: false, expect: /^opts\.protect: / },
            { branch: "lxc unprotected", from: "proxmox lxc container", protect: false, expect: /^opts\.protect: / },
            { branch: "lakeforge container unprotected", from: "lakeforge proxmox container", protect: false, expect: /^opts\.protect: / },
            { branch: "lakeforge volume unprotected", from: "lakeforge proxmox volume", protect: false, expect: /^opts\.protect: / },
            { branch: "bucket forceDestroy", from: "minio bucket", set: ["forceDestroy"], to: true, expect: /^forceDestroy: / },
            {
                branch: "statefulset deletes its claims",
                from: "kubernetes postgres statefulset",
                set: ["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"],
                to: "Delete",
                expect: /whenDeleted: expected "Retain" or absent, found "Delete"/,
            },
        ],
    },
];
