import { beforeAll, describe, expect, it } from "vitest";
import { deployConfig, K8S } from "./support/deploy";
import { at, one, ofType, plain, podOf, type Recorded } from "./support/mocks";
import { toAllConfig } from "./support/stack";

let recorded: Recorded[];

beforeAll(async () => {
    ({ recorded } = await deployConfig(
        "kind",
        toAllConfig({
            "lakeforge:target": "kubernetes",
            "lakeforge:kubernetes": { context: "kind-lakeforge" },
            "lakeforge:components": {
                objectStore: { engine: "seaweedfs", consumers: [{ name: "etl", bucket: "lake", prefix: "bronze" }] },
                registry: { storage: "objectStore" },
            },
        }),
    ));
});

describe("the seaweedfs object store on kubernetes", () => {
    it("runs as a StatefulSet with a claim for /data and scratch space for its sockets, read-only root", () => {
        const sts = one(recorded, K8S.statefulSet, "seaweedfs");
        const container = at(podOf(sts), "containers", 0) as Record<string, unknown>;
        expect(at(container, "securityContext", "readOnlyRootFilesystem")).toBe(true);
        const mounts = at(container, "volumeMounts") as { name: string; mountPath: string }[];
        expect(mounts.map((m) => m.mountPath)).toEqual(expect.arrayContaining(["/data", "/tmp", "/etc/seaweedfs/lakeforge-s3.json"]));
        expect(at(sts.inputs, "spec", "volumeClaimTemplates", 0, "metadata", "name")).toBe("data");
    });

    it("keeps the identities file in a Secret, never a ConfigMap, and publishes only the S3 port", () => {
        expect(ofType(recorded, K8S.configMap).map((c) => c.name)).not.toContain("seaweedfs-config");
        expect(Object.keys(plain<Record<string, string>>(one(recorded, K8S.secret, "seaweedfs-files").inputs["stringData"]))).toHaveLength(
            1,
        );
        const admin = plain<{ ports: { port: number }[] }>(one(recorded, K8S.service, "seaweedfs-admin").inputs["spec"]);
        expect(admin.ports.map((p) => p.port)).toEqual([8333]);
    });

    it("gives the registry its own key on the registry bucket through the same identities file", () => {
        const buckets = ofType(recorded, "pulumi-nodejs:dynamic/lakeforge:S3Bucket").map((b) => plain(b.inputs["bucket"]));
        expect(buckets.sort()).toEqual(["lake", "registry"]);
        const files = plain<Record<string, string>>(one(recorded, K8S.secret, "registry-files").inputs["stringData"]);
        expect(files["config.yml"]).toContain('accesskey: "registry"');
        expect(files["config.yml"]).toContain("regionendpoint: http://seaweedfs.lakeforge.svc.cluster.local:8333");
    });
});
