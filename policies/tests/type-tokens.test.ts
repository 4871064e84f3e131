import { describe, expect, it } from "vitest";
import { DOCKER, K8S, MINIO, POSTGRESQL, VAULT } from "../lib/types";

/** The `__pulumiType` a provider SDK class registers its resources with. */
const tokenOf = (cls: unknown): string => (cls as { __pulumiType: string }).__pulumiType;

describe("type tokens match the installed provider SDKs", () => {
    it("docker", async () => {
        const docker = await import("@pulumi/docker");
        expect(DOCKER).toEqual({
            container: tokenOf(docker.Container),
            remoteImage: tokenOf(docker.RemoteImage),
            volume: tokenOf(docker.Volume),
        });
    });

    it("kubernetes", async () => {
        const k8s = await import("@pulumi/kubernetes");
        expect(K8S).toEqual({
            namespace: tokenOf(k8s.core.v1.Namespace),
            service: tokenOf(k8s.core.v1.Service),
            configMap: tokenOf(k8s.core.v1.ConfigMap),
            secret: tokenOf(k8s.core.v1.Secret),
            pod: tokenOf(k8s.core.v1.Pod),
            persistentVolumeClaim: tokenOf(k8s.core.v1.PersistentVolumeClaim),
            deployment: tokenOf(k8s.apps.v1.Deployment),
            statefulSet: tokenOf(k8s.apps.v1.StatefulSet),
            daemonSet: tokenOf(k8s.apps.v1.DaemonSet),
            replicaSet: tokenOf(k8s.apps.v1.ReplicaSet),
            job: tokenOf(k8s.batch.v1.Job),
            cronJob: tokenOf(k8s.batch.v1.CronJob),
        });
    });

    it("postgresql, vault, minio", async () => {
        const [postgresql, vault, minio] = await Promise.all([
            import("@pulumi/postgresql"),
            import("@pulumi/vault"),
            import("@pulumi/minio"),
        ]);
        expect(POSTGRESQL).toEqual({ role: tokenOf(postgresql.Role), database: tokenOf(postgresql.Database) });
        expect(VAULT).toEqual({
            policy: tokenOf(vault.Policy),
            mount: tokenOf(vault.Mount),
            approleRole: tokenOf(vault.approle.AuthBackendRole),
        });
        expect(MINIO).toEqual({
            bucket: tokenOf(minio.S3Bucket),
            bucketPolicy: tokenOf(minio.S3BucketPolicy),
            iamUser: tokenOf(minio.IamUser),
        });
    });
});
