import { beforeAll, describe, expect, it } from "vitest";
import type { PlatformOutputs } from "../src/outputs";
import { deployShipped, K8S } from "./support/deploy";
import { at, isSecretInput, one, ofType, plain, podOf, resolve, sentOptions, type Recorded } from "./support/mocks";

const T = K8S;

let recorded: Recorded[];
let outputs: PlatformOutputs;
const sent = sentOptions;

beforeAll(async () => {
    ({ recorded, outputs } = await deployShipped("prod"));
});

describe("the prod stack: durability", () => {
    it("keeps the namespace and every StatefulSet in the cluster on delete, without protect (destroy must not fail)", () => {
        expect(sent.get(`${T.namespace}::namespace`)).toEqual({ protect: false, retainOnDelete: true });
        for (const name of ["postgres", "minio", "openbao"])
            expect(sent.get(`${T.statefulSet}::${name}`), name).toEqual({ protect: false, retainOnDelete: true });
        expect(
            ofType(recorded, T.statefulSet)
                .map((r) => r.name)
                .sort(),
        ).toEqual(["minio", "openbao", "postgres"]);
    });

    it("protects the data the bootstrap creates: databases, buckets, the KV mount and the server's initialization", () => {
        const data: [string, string][] = [
            ["postgresql:index/database:Database", "postgres-lakehouse"],
            ["minio:index/s3Bucket:S3Bucket", "minio-lake"],
            ["minio:index/s3Bucket:S3Bucket", "minio-registry"],
            ["vault:index/mount:Mount", "openbao-kv"],
            ["pulumi-nodejs:dynamic/lakeforge:VaultInit", "openbao-init"],
        ];
        for (const [type, name] of data) expect(sent.get(`${type}::${name}`)?.protect, name).toBe(true);
    });

    it("leaves stateless objects unprotected so they can be replaced", () => {
        expect(sent.get(`${T.deployment}::registry`)).toEqual({ protect: false, retainOnDelete: undefined });
        expect(sent.get(`${T.service}::postgres`)).toEqual({ protect: false, retainOnDelete: undefined });
    });

    it("keeps the volume claims when a StatefulSet is deleted or scaled down, at the production sizes", () => {
        const sizes: Record<string, string> = { postgres: "200Gi", minio: "2Ti", openbao: "10Gi" };
        for (const sts of ofType(recorded, T.statefulSet)) {
            const spec = at(sts.inputs["spec"]);
            expect(at(spec, "persistentVolumeClaimRetentionPolicy")).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
            expect(at(spec, "volumeClaimTemplates", 0, "spec")).toEqual({
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: sizes[sts.name] } },
            });
        }
    });
});

describe("the prod stack: sizing and shape", () => {
    it("requests the production resources of each component", () => {
        const want: Record<string, object> = {
            postgres: { requests: { cpu: "4000m", memory: "4096Mi" }, limits: { memory: "8192Mi" } },
            minio: { requests: { cpu: "4000m", memory: "4096Mi" }, limits: { memory: "8192Mi" } },
            openbao: { requests: { cpu: "1000m", memory: "512Mi" }, limits: { memory: "1024Mi" } },
            "openbao-unsealer": { requests: { cpu: "100m", memory: "16Mi" }, limits: { memory: "32Mi" } },
            registry: { requests: { cpu: "1000m", memory: "512Mi" }, limits: { memory: "1024Mi" } },
        };
        for (const w of [...ofType(recorded, T.statefulSet), ...ofType(recorded, T.deployment)]) {
            expect(at(podOf(w), "containers", 0, "resources"), w.name).toEqual(want[w.name]);
        }
    });

    it("runs the registry on the object store as a Deployment with its S3 keys only in a Secret", () => {
        const registry = one(recorded, T.deployment, "registry");
        const env = at(podOf(registry), "containers", 0, "env") as { name: string; value?: string }[];
        expect(env.filter((e) => e.name.startsWith("REGISTRY_"))).toEqual([{ name: "REGISTRY_STORAGE_S3_FORCEPATHSTYLE", value: "true" }]);
        const secret = one(recorded, T.secret, "registry-files");
        expect(isSecretInput(secret.inputs["stringData"])).toBe(true);
        const config = plain<Record<string, string>>(secret.inputs["stringData"])["config.yml"] ?? "";
        expect(config).toContain("regionendpoint: http://minio.lakeforge.svc.cluster.local:9000");
        expect(config).toContain('secretkey: "generated-password-minio-registry-secret-key"');
        expect(ofType(recorded, T.configMap).map((c) => c.name)).not.toContain("registry-config");
    });

    it("opens no NodePort or LoadBalancer: admin traffic comes from the ci namespace to the ClusterIP Services", () => {
        const services = ofType(recorded, T.service).filter((s) => !s.name.endsWith("-pods"));
        expect(services.map((s) => plain<{ type: string }>(s.inputs["spec"]).type)).toEqual([
            "ClusterIP",
            "ClusterIP",
            "ClusterIP",
            "ClusterIP",
        ]);
        // The StatefulSets' governing Services are headless: no address, no node port.
        for (const s of ofType(recorded, T.service).filter((x) => x.name.endsWith("-pods"))) {
            expect(plain<{ clusterIP: string; type?: string }>(s.inputs["spec"])).toMatchObject({ clusterIP: "None" });
        }
        const secretsPolicy = at(one(recorded, T.policy, "openbao").inputs["spec"]);
        expect(at(secretsPolicy, "ingress", 1)).toEqual({
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ci" } } }],
            ports: [{ protocol: "TCP", port: 8200 }],
        });
    });

    it("uses the current kubeconfig context (or in-cluster credentials) and bootstraps through cluster DNS", async () => {
        expect(one(recorded, T.provider, "kubernetes").inputs["context"]).toBeUndefined();
        expect(one(recorded, "pulumi:providers:minio", "minio-admin").inputs["minioServer"]).toBe("minio.lakeforge.svc.cluster.local:9000");
        expect(one(recorded, "pulumi:providers:vault", "openbao-admin").inputs["address"]).toBe(
            "http://openbao.lakeforge.svc.cluster.local:8200",
        );
        expect((await resolve(outputs.endpoints.secrets!)).value).toEqual({
            internal: "http://openbao.lakeforge.svc.cluster.local:8200",
            external: "http://openbao.lakeforge.svc.cluster.local:8200",
        });
    });
});
