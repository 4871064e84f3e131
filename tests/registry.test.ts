import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { Registry as RegistryType } from "../components/registry";
import { installMocks, one, resolve, settle, type Recorded } from "./support/mocks";
import { RecordingRuntime } from "./support/runtime";

let recorded: Recorded[];
let runtime: RecordingRuntime;
let registry: RegistryType;

beforeAll(async () => {
    recorded = installMocks();
    const { Registry } = await import("../components/registry");
    const { ObjectStore } = await import("../components/objectStore");
    runtime = new RecordingRuntime();
    registry = new Registry("registry", { runtime });
    const store = new ObjectStore("minio", {
        runtime,
        engine: "minio",
        buckets: [{ name: "registry", prefixes: [] }],
        lakeBucket: "registry",
    });
    new Registry("registry-s3", { runtime, storage: { kind: "s3", access: store.consumer("registry", { bucket: "registry" }) } });
    await resolve(registry.password);
    await settle();
});

describe("Registry (distribution)", () => {
    it("defaults: pinned v3 image, user lakeforge, storage on a named volume", async () => {
        const { IMAGES } = await import("../src/images");
        const spec = runtime.spec("registry");
        expect(spec.image).toBe(IMAGES.distribution);
        expect(registry.username).toBe("lakeforge");
        expect(spec.volumes).toEqual([{ name: "data", path: "/var/lib/registry" }]);
    });

    it("authenticates with htpasswd built from the generated password's bcrypt hash, as a secret file", async () => {
        const spec = runtime.spec("registry");
        const htpasswd = spec.files.find((f) => f.path === "/etc/distribution/htpasswd");
        expect(htpasswd?.secret).toBe(true);
        const content = await resolve(pulumi.output(htpasswd?.content as pulumi.Input<string>));
        expect(content).toEqual({ value: "lakeforge:$2a$10$bcrypt-registry-password\n", secret: true });
        expect(one(recorded, "random:index/randomPassword:RandomPassword", "registry-password").inputs).toMatchObject({ length: 32 });
        expect(await resolve(registry.password)).toEqual({ value: "generated-password-registry-password", secret: true });
    });

    it("reports healthy when /v2/ demands authentication", () => {
        expect(runtime.spec("registry").healthCheck.command.join(" ")).toContain("http://127.0.0.1:5000/v2/");
        expect(runtime.spec("registry").healthCheck.command.join(" ")).toContain("401");
    });

    it("renders the config with its HTTP secret and S3 key, quoted, into a secret file", async () => {
        const { renderRegistryConfig } = await import("../components/registry");
        const { parse } = await import("yaml");
        const onVolume = parse(renderRegistryConfig("http-s3cr3t")) as Record<string, Record<string, unknown>>;
        expect(onVolume["http"]?.["secret"]).toBe("http-s3cr3t");
        expect(onVolume["storage"]?.["filesystem"]).toEqual({ rootdirectory: "/var/lib/registry" });
        const target = {
            region: "us-east-1",
            endpointUrl: "http://seaweedfs:8333",
            bucket: "registry",
            prefix: "",
            accessKey: "registry",
            secretKey: "a:b#c",
        };
        const onS3 = parse(renderRegistryConfig("h", target)) as Record<string, Record<string, unknown>>;
        expect(onS3["storage"]?.["s3"]).toEqual({
            region: "us-east-1",
            regionendpoint: "http://seaweedfs:8333",
            bucket: "registry",
            accesskey: "registry",
            secretkey: "a:b#c",
        });
        expect(runtime.spec("registry").files.map((f) => [f.path, f.secret])).toEqual([
            ["/etc/distribution/config.yml", true],
            ["/etc/distribution/htpasswd", true],
        ]);
    });

    it("on the ObjectStore: S3 driver in-network, its own key only in the secret config file, never in env", async () => {
        const spec = runtime.spec("registry-s3");
        expect(spec.volumes).toEqual([]);
        const config = await resolve(pulumi.output(spec.files[0]?.content as pulumi.Input<string>));
        expect(config.secret).toBe(true);
        expect(config.value).toContain("regionendpoint: http://minio:9000");
        expect(config.value).toContain("bucket: registry");
        expect(config.value).toContain('secretkey: "generated-password-minio-registry-secret-key"');
        expect(spec.secretEnv).toEqual({});
        expect(spec.env).toEqual({ OTEL_TRACES_EXPORTER: "none", REGISTRY_STORAGE_S3_FORCEPATHSTYLE: "true" });
        expect(one(recorded, "minio:index/iamPolicy:IamPolicy", "minio-registry").inputs["name"]).toBe("registry-rw");
    });

    it("gives the external host:port to push to", async () => {
        expect((await resolve(registry.host)).value).toBe("127.0.0.1:45000");
    });
});
