import { beforeAll, describe, expect, it } from "vitest";
import { deployConfig, K8S } from "./support/deploy";
import { at, one, ofType, plain, podOf, resolve, type Recorded } from "./support/mocks";
import type { PlatformOutputs } from "../src/outputs";
import { toAllConfig } from "./support/stack";

let recorded: Recorded[];
let clientEnv: Record<string, string>;

beforeAll(async () => {
    let outputs: PlatformOutputs;
    ({ recorded, outputs } = await deployConfig(
        "kind",
        toAllConfig({
            "lakeforge:target": "kubernetes",
            "lakeforge:kubernetes": { context: "kind-lakeforge" },
            "lakeforge:components": { objectStore: { engine: "garage", region: "garage" } },
        }),
    ));
    clientEnv = (await resolve(outputs.clientEnv)).value;
});

describe("the garage object store on kubernetes", () => {
    it("runs as a non-root StatefulSet on a claim, read-only root, secrets from a Secret, config from a ConfigMap", () => {
        const container = at(podOf(one(recorded, K8S.statefulSet, "garage")), "containers", 0) as Record<string, unknown>;
        expect(at(container, "securityContext", "readOnlyRootFilesystem")).toBe(true);
        const mounts = at(container, "volumeMounts") as { name: string; mountPath: string }[];
        expect(mounts.filter((m) => m.name === "secret-files").map((m) => m.mountPath)).toEqual([
            "/run/secrets/garage-rpc-secret",
            "/run/secrets/garage-admin-token",
        ]);
        expect(mounts.filter((m) => m.name === "config-files").map((m) => m.mountPath)).toEqual(["/etc/garage.toml"]);
        expect(Object.keys(plain<Record<string, string>>(one(recorded, K8S.configMap, "garage-config").inputs["data"]))).toEqual([
            "garage.toml",
        ]);
    });

    it("publishes S3 and the admin API the bootstrap uses, and bootstraps through the node ports", () => {
        const admin = plain<{ ports: { port: number; nodePort: number }[] }>(one(recorded, K8S.service, "garage-admin").inputs["spec"]);
        expect(admin.ports.map((p) => [p.port, p.nodePort])).toEqual([
            [3900, 30900],
            [3903, 30901],
        ]);
        const layout = one(recorded, "pulumi-nodejs:dynamic/lakeforge:GarageLayout", "garage-layout");
        expect(plain(layout.inputs["address"])).toBe("http://127.0.0.1:30901");
        expect(
            ofType(recorded, "pulumi-nodejs:dynamic/lakeforge:GarageKey")
                .map((k) => k.name)
                .sort(),
        ).toEqual(["garage-lakehouse", "garage-root-key"]);
    });

    it("gives clients the same variables as the other engines, with a Garage key ID", () => {
        expect(clientEnv["AWS_ACCESS_KEY_ID"]).toMatch(/^GK[0-9a-f]{24}$/);
        expect(clientEnv["AWS_REGION"]).toBe("garage");
        expect(clientEnv["S3_ENDPOINT"]).toBe("http://127.0.0.1:30900");
        expect(clientEnv["LAKE_ROOT_S3A"]).toBe("s3a://lake");
    });
});
