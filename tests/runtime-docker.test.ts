import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { ServiceSpec } from "../src/runtime/spec";
import type { EndpointInfo } from "../src/types";
import { installMocks, isSecretInput, one, ofType, plain, resolve, sentOptions, settle, type Recorded } from "./support/mocks";
import { fullSpec } from "./support/service-specs";

let recorded: Recorded[];
let endpoint: EndpointInfo;
let internalOnly: EndpointInfo;

/** The full spec with one plain file only, and a token and user of its own. */
const spec: ServiceSpec = fullSpec("svc", {
    secretEnv: { TOKEN: pulumi.secret("s3cr3t") },
    files: [{ path: "/etc/svc/config.yml", content: "x: 1", secret: false }],
    user: "1000:1000",
});

beforeAll(async () => {
    recorded = installMocks();
    const docker = await import("@pulumi/docker");
    const { DockerRuntime } = await import("../src/runtime/docker");
    const { dockerSettingsSchema } = await import("../src/runtime/docker-settings");
    const settings = dockerSettingsSchema.parse({ namePrefix: "lf", network: "lfnet" });
    const provider = new docker.Provider("docker", {});
    const network = new docker.Network("network", { name: "lfnet" }, { provider });
    const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
    const service = new DockerRuntime({ settings, provider, network }).deploy(spec, parent);
    endpoint = (await resolve(service.endpoint("api"))).value;
    internalOnly = (await resolve(service.endpoint("metrics"))).value;
    await settle();
});

describe("DockerRuntime", () => {
    it("pulls the pinned image and keeps it on destroy (other stacks may share it)", () => {
        expect(one(recorded, "docker:index/remoteImage:RemoteImage", "svc-image").inputs).toMatchObject({
            name: "example/svc:1.2.3",
            keepLocally: true,
        });
    });

    it("keeps state on a named volume", () => {
        expect(one(recorded, "docker:index/volume:Volume", "svc-data").inputs["name"]).toBe("lf-svc-data");
        expect(one(recorded, "docker:index/container:Container", "svc").inputs["volumes"]).toEqual([
            { volumeName: "lf-svc-data", containerPath: "/var/lib/svc" },
        ]);
    });

    it("writes CPUs and swap the way the provider reads them back, so a second preview shows no change", async () => {
        const { dockerCpus } = await import("../src/runtime/docker");
        expect([1, 2, 0.5, 0.25, 0.1].map(dockerCpus)).toEqual(["1.0", "2.0", "0.5", "0.25", "0.1"]);
    });

    it("keeps every data volume on delete (destroy, rename) and no anonymous volume behind", () => {
        expect(sentOptions.get("docker:index/volume:Volume::svc-data")?.retainOnDelete).toBe(true);
    });

    it("runs the container hardened, limited, rotated and health-checked", () => {
        const c = one(recorded, "docker:index/container:Container", "svc").inputs;
        expect(c).toMatchObject({
            name: "lf-svc",
            image: `sha256:${"a".repeat(64)}`,
            command: ["serve", "--port", "8080"],
            restart: "unless-stopped",
            memory: 300,
            memorySwap: 300,
            cpus: "0.5",
            user: "1000:1000",
            capabilities: { drops: ["ALL"], adds: ["NET_BIND_SERVICE"] },
            securityOpts: ["no-new-privileges:true"],
            logDriver: "json-file",
            logOpts: { "max-size": "10m", "max-file": "3" },
            wait: true,
            waitTimeout: 180,
            healthcheck: { tests: ["CMD", "true"], interval: "7s", timeout: "3s", retries: 4, startPeriod: "11s" },
            networksAdvanced: [{ name: "lfnet", aliases: ["svc"] }],
        });
        // Files are copied in before start, which a read-only root filesystem would refuse.
        expect(c["readOnly"]).toBe(false);
    });

    it("publishes only ports with a publish key, on loopback by default", () => {
        const c = one(recorded, "docker:index/container:Container", "svc").inputs;
        expect(c["ports"]).toEqual([{ internal: 8080, external: 5000, ip: "127.0.0.1", protocol: "tcp" }]);
    });

    it("passes secret env as a secret, sorted with the plain env", () => {
        const envs = one(recorded, "docker:index/container:Container", "svc").inputs["envs"];
        expect(isSecretInput(envs)).toBe(true);
        expect(plain(envs)).toEqual(["A_FIRST=1", "MODE=test", "TOKEN=s3cr3t"]);
        expect(one(recorded, "docker:index/container:Container", "svc").inputs["uploads"]).toBeDefined();
    });

    it("answers in-network by service name and externally on the published port", () => {
        expect(endpoint).toEqual({ scheme: "http", internal: { host: "svc", port: 8080 }, external: { host: "127.0.0.1", port: 5000 } });
        expect(internalOnly.external).toEqual({ host: "svc", port: 9090 });
    });

    it("creates nothing else", () => {
        expect(ofType(recorded, "docker:index/container:Container")).toHaveLength(1);
        expect(recorded.map((r) => r.type).sort()).toEqual([
            "docker:index/container:Container",
            "docker:index/network:Network",
            "docker:index/remoteImage:RemoteImage",
            "docker:index/volume:Volume",
            "pulumi:providers:docker",
            "test:index:Parent",
        ]);
    });
});

describe("docker health check durations", () => {
    it("are spelled as Go prints them, which the provider reads back (else every preview shows a change)", async () => {
        const { goDuration, dockerHealthcheck } = await import("../src/runtime/docker");
        expect([5, 45, 60, 90, 120, 180, 3600, 3725].map(goDuration)).toEqual([
            "5s",
            "45s",
            "1m0s",
            "1m30s",
            "2m0s",
            "3m0s",
            "1h0m0s",
            "1h2m5s",
        ]);
        expect(
            dockerHealthcheck({ command: ["true"], intervalSeconds: 5, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 120 }),
        ).toEqual({
            tests: ["CMD", "true"],
            interval: "5s",
            timeout: "5s",
            retries: 3,
            startPeriod: "2m0s",
        });
    });
});
