import { beforeAll, describe, expect, it } from "vitest";
import { K8S } from "./support/deploy";
import { deployKubernetesRuntimeFixture } from "./support/kubernetes-runtime";
import { at, isSecretInput, one, ofType, plain, podOf, sentOptions, type Recorded } from "./support/mocks";

/* KubernetesRuntime: the workloads it renders, and how they get their credentials and files. */

const T = K8S;
let recorded: Recorded[];
const options = sentOptions;

beforeAll(async () => {
    ({ recorded } = await deployKubernetesRuntimeFixture());
});

describe("KubernetesRuntime workloads", () => {
    it("runs a service with volumes as a StatefulSet with one claim per volume and one without as a Deployment", () => {
        const sts = at(one(recorded, T.statefulSet, "svc").inputs["spec"]);
        // Its governing Service is headless, so each pod has its own DNS name.
        expect(at(sts, "serviceName")).toBe("svc-pods");
        expect(plain(one(recorded, T.service, "svc-pods").inputs["spec"])).toMatchObject({
            clusterIP: "None",
            publishNotReadyAddresses: true,
        });
        expect(at(sts, "replicas")).toBe(1);
        expect(at(sts, "volumeClaimTemplates")).toEqual([
            {
                metadata: {
                    name: "data",
                    labels: {
                        "app.kubernetes.io/name": "svc",
                        "app.kubernetes.io/part-of": "lakeforge",
                        "app.kubernetes.io/managed-by": "pulumi",
                    },
                },
                spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "3Gi" } } },
            },
        ]);
        expect(at(sts, "persistentVolumeClaimRetentionPolicy")).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
        expect(
            ofType(recorded, T.statefulSet)
                .map((r) => r.name)
                .sort(),
        ).toEqual(["postgres", "svc"]);
        expect(
            ofType(recorded, T.deployment)
                .map((r) => r.name)
                .sort(),
        ).toEqual(["ext", "incluster", "lb", "plain"]);
    });

    it("takes a per-service volume size over the default and leaves the storage class to the cluster when unset", () => {
        expect(at(one(recorded, T.statefulSet, "postgres").inputs, "spec", "volumeClaimTemplates", 0, "spec")).toEqual({
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: "50Gi" } },
        });
    });

    it("retains StatefulSets on delete only when protect is on", () => {
        expect(options.get(`${T.statefulSet}::postgres`)).toEqual({ protect: false, retainOnDelete: true });
        expect(options.get(`${T.statefulSet}::svc`)).toEqual({ protect: false, retainOnDelete: false });
        // Config objects and Services are recreated from state at no cost: unprotected even under a protected parent.
        expect(options.get(`${T.service}::postgres`)).toEqual({ protect: false, retainOnDelete: undefined });
        expect(options.get(`${T.secret}::postgres-files`)).toEqual({ protect: false, retainOnDelete: undefined });
    });

    it("runs the pod non-root with the spec's uid:gid, no escalation, ALL dropped and RuntimeDefault seccomp", () => {
        const pod = podOf(one(recorded, T.statefulSet, "svc"));
        expect(at(pod, "securityContext")).toEqual({
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 2000,
            fsGroup: 2000,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(at(pod, "containers", 0, "securityContext")).toEqual({
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(at(pod, "automountServiceAccountToken")).toBe(false);
        expect(at(pod, "enableServiceLinks")).toBe(false);
    });

    it("gives images without a user the default non-root uid, fsGroup and a HOME", () => {
        const pod = podOf(one(recorded, T.deployment, "plain"));
        expect(at(pod, "securityContext")).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
        const container = at(pod, "containers", 0);
        expect(at(container, "env")).toEqual([
            { name: "A_FIRST", value: "1" },
            { name: "HOME", value: "/tmp" },
            { name: "MODE", value: "test" },
        ]);
        expect(at(container, "securityContext")).toMatchObject({ readOnlyRootFilesystem: false, capabilities: { drop: ["ALL"] } });
        expect(at(pod, "volumes")).toEqual([]);
    });

    it("uses the health command for readiness and a different, slower TCP check for liveness", () => {
        const container = at(podOf(one(recorded, T.statefulSet, "svc")), "containers", 0);
        expect(at(container, "readinessProbe")).toEqual({
            exec: { command: ["true"] },
            initialDelaySeconds: 11,
            periodSeconds: 7,
            timeoutSeconds: 3,
            failureThreshold: 3,
        });
        expect(at(container, "livenessProbe")).toEqual({
            tcpSocket: { port: 8080 },
            initialDelaySeconds: 39,
            periodSeconds: 28,
            timeoutSeconds: 3,
            failureThreshold: 6,
        });
        expect(at(container, "livenessProbe")).not.toEqual(at(container, "readinessProbe"));
    });

    it("requests the CPUs and half the memory, and limits memory only", () => {
        const container = at(podOf(one(recorded, T.statefulSet, "svc")), "containers", 0);
        expect(at(container, "resources")).toEqual({ requests: { cpu: "500m", memory: "150Mi" }, limits: { memory: "300Mi" } });
        expect(at(container, "args")).toEqual(["serve", "--port", "8080"]);
        expect(at(container, "command")).toBeUndefined();
    });
});

describe("KubernetesRuntime credentials and files", () => {
    it("puts secret env in a Secret and refers to it with secretKeyRef, never as a literal value", () => {
        const secret = one(recorded, T.secret, "svc-env");
        expect(isSecretInput(secret.inputs["stringData"])).toBe(true);
        expect(plain(secret.inputs["stringData"])).toEqual({ TOKEN: "s3cr3t-token" });
        const env = at(podOf(one(recorded, T.statefulSet, "svc")), "containers", 0, "env");
        expect(env).toEqual([
            { name: "A_FIRST", value: "1" },
            { name: "MODE", value: "test" },
            { name: "TOKEN", valueFrom: { secretKeyRef: { name: "svc-env", key: "TOKEN" } } },
        ]);
    });

    it("mounts secret files from a Secret and other files from a ConfigMap, each at its path", () => {
        const files = one(recorded, T.secret, "svc-files");
        expect(isSecretInput(files.inputs["stringData"])).toBe(true);
        expect(plain(files.inputs["stringData"])).toEqual({ password: "s3cr3t-file" });
        expect(one(recorded, T.configMap, "svc-config").inputs["data"]).toEqual({ "config.yml": "x: 1\n" });
        const pod = podOf(one(recorded, T.statefulSet, "svc"));
        expect(at(pod, "volumes")).toEqual([
            { name: "secret-files", secret: { secretName: "svc-files", defaultMode: 0o440 } },
            { name: "config-files", configMap: { name: "svc-config", defaultMode: 0o444 } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ]);
        expect(at(pod, "containers", 0, "volumeMounts")).toEqual([
            { name: "config-files", mountPath: "/etc/svc/config.yml", subPath: "config.yml", readOnly: true },
            { name: "secret-files", mountPath: "/run/secrets/password", subPath: "password", readOnly: true },
            { name: "data", mountPath: "/var/lib/svc" },
            { name: "tmp", mountPath: "/tmp" },
        ]);
    });

    it("creates no Secret or ConfigMap for a service without credentials or files", () => {
        const names = [...ofType(recorded, T.secret), ...ofType(recorded, T.configMap)].map((r) => r.name);
        expect(names.filter((n) => n.startsWith("plain"))).toEqual([]);
    });

    it("annotates the pod template with the digest of its files and credentials", () => {
        expect(
            at(one(recorded, T.statefulSet, "svc").inputs, "spec", "template", "metadata", "annotations", "lakeforge.dev/config-sha256"),
        ).toMatch(/^[0-9a-f]{64}$/);
    });
});
