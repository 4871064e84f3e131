import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { credentialLeaks, deployConfig } from "./support/deploy";
import { isSecretInput, plain, resolve, type Recorded } from "./support/mocks";

/* Logging (Loki + Alloy) on docker under mocks. Neither image can be pulled here: nothing runs them. */

const CONTAINER = "docker:index/container:Container";

const config = (logging: object, more: object = {}) => ({
    "lakeforge:target": "docker",
    "lakeforge:components": JSON.stringify({ logging: { enabled: true, ...logging }, ...more }),
});

const container = (recorded: Recorded[], name: string) => {
    const found = recorded.find((r) => r.type === CONTAINER && r.name === name);
    if (found === undefined) throw new Error(`no container ${name}`);
    return found;
};

const uploads = (r: Recorded) => plain<{ file: string; content: unknown }[]>(r.inputs["uploads"]);

describe("Logging (loki + alloy) on docker", () => {
    it("defaults: pinned images, Loki on its own bucket through its own key, LOKI_URL and endpoints.logging", async () => {
        const { recorded, outputs } = await deployConfig("dev", config({}));
        const { IMAGES } = await import("../src/images");
        const images = recorded.filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => r.inputs["name"]);
        expect(images).toEqual(expect.arrayContaining([IMAGES.loki, IMAGES.alloy]));
        expect(IMAGES.loki).toMatch(/^grafana\/loki:3\.\d+\.\d+$/);
        expect(IMAGES.alloy).toMatch(/^grafana\/alloy:v1\.\d+\.\d+$/);
        const { platformConsumers } = await import("../src/components-schema");
        const { parseConfig } = await import("../src/config");
        expect(platformConsumers(parseConfig(config({}), "dev").components)).toEqual([
            { name: "loki", bucket: "logs", prefix: "", owner: 'logging (storage "objectStore")' },
        ]);
        const env = (await resolve(outputs.clientEnv)).value as Record<string, string>;
        expect(env["LOKI_URL"]).toBe("http://127.0.0.1:3100");
        expect((await resolve(outputs.endpoints.logging as pulumi.Output<unknown>)).value).toEqual({
            internal: "http://loki:3100",
            external: "http://127.0.0.1:3100",
        });
        const loki = container(recorded, "loki");
        expect(loki.inputs["user"]).toBe("10001:10001");
        expect(loki.inputs["command"]).toEqual(["-config.file=/etc/loki/lakeforge.yaml"]);
        expect(at(loki, "healthcheck")).toMatchObject({ tests: ["CMD", "/usr/bin/loki", "-health"] });
        expect(plain<{ containerPath: string }[]>(loki.inputs["volumes"]).map((v) => v.containerPath)).toEqual(["/loki"]);
        expect(plain<{ ip: string; external: number; protocol: string }[]>(loki.inputs["ports"])).toEqual([
            { internal: 3100, external: 3100, ip: "127.0.0.1", protocol: "tcp" },
        ]);
    });

    it("keeps Loki's S3 key out of env and arguments: the whole config is a secret file", async () => {
        const { recorded } = await deployConfig("dev", config({}));
        const loki = container(recorded, "loki");
        const envs = (await resolve(pulumi.output(loki.inputs["envs"] as string[]))).value;
        expect(credentialLeaks([envs, loki.inputs["command"], loki.inputs["labels"]], "loki", true)).toEqual([]);
        // The engine receives the uploads as a secret (state keeps them encrypted).
        expect(isSecretInput(loki.inputs["uploads"])).toBe(true);
        const file = uploads(loki).find((u) => u.file === "/etc/loki/lakeforge.yaml");
        const text = plain<string>(file?.content);
        expect(text).toContain("secret_access_key: generated-password-");
        expect(text).toContain("endpoint: seaweedfs:8333");
        expect(text).toContain("bucketnames: logs");
    });

    it("runs Alloy as its own user with no socket, no host path and a GELF listener published on loopback UDP", async () => {
        const { recorded } = await deployConfig("dev", config({}));
        const alloy = container(recorded, "alloy");
        expect(alloy.inputs["user"]).toBe("473:473");
        const mounts = plain<{ hostPath?: string; volumeName?: unknown; containerPath: string }[]>(alloy.inputs["volumes"]);
        expect(mounts.map((m) => [m.hostPath, m.containerPath])).toEqual([[undefined, "/var/lib/alloy/data"]]);
        expect(alloy.inputs["mounts"]).toBeUndefined();
        expect(plain(alloy.inputs["ports"])).toEqual([{ internal: 12201, external: 12201, ip: "127.0.0.1", protocol: "udp" }]);
        expect(alloy.inputs["command"]).toEqual([
            "run",
            "/etc/alloy/lakeforge.alloy",
            "--storage.path=/var/lib/alloy/data",
            "--server.http.listen-addr=0.0.0.0:12345",
            "--disable-reporting",
        ]);
        expect(at(alloy, "healthcheck", "tests")).toEqual(["CMD", "bash", "-c", expect.stringContaining("/dev/tcp/127.0.0.1/12345")]);
        // Its own output stays on json-file: shipped to itself, its errors about Loki would feed back.
        expect(alloy.inputs["logDriver"]).toBe("json-file");
        const pipeline = plain<string>(uploads(alloy).find((u) => u.file === "/etc/alloy/lakeforge.alloy")?.content);
        expect(pipeline).toContain('listen_address = "0.0.0.0:12201"');
        expect(pipeline).toContain('url = "http://loki:3100/loki/api/v1/push"');
    });

    it("ships every other container's output to Alloy with the engine's gelf driver, tagged with the service's name", async () => {
        const { recorded } = await deployConfig("dev", config({}));
        const containers = recorded.filter((r) => r.type === CONTAINER && r.name !== "alloy");
        expect(containers.map((c) => c.name)).toEqual(expect.arrayContaining(["postgres", "seaweedfs", "vault", "registry", "loki"]));
        for (const c of containers) {
            expect(c.inputs["logDriver"], c.name).toBe("gelf");
            expect(plain(c.inputs["logOpts"]), c.name).toEqual({
                "gelf-address": "udp://127.0.0.1:12201",
                tag: c.name,
                "cache-max-size": "10m",
                "cache-max-file": "3",
            });
        }
    });

    it("creates every shipping container after the collector, so no start line is sent to nobody", async () => {
        const { recorded } = await deployConfig("dev", config({}));
        const order = recorded.filter((r) => r.type === CONTAINER).map((r) => r.name);
        expect(order[0]).toBe("alloy");
        expect(order.length).toBeGreaterThan(4);
    });

    it("without logging, containers keep rotated json-file logs and start without waiting", async () => {
        const { recorded } = await deployConfig("dev", { "lakeforge:target": "docker" });
        const containers = recorded.filter((r) => r.type === CONTAINER);
        expect(containers.map((c) => c.name)).not.toContain("alloy");
        for (const c of containers)
            expect([c.inputs["logDriver"], plain(c.inputs["logOpts"])]).toEqual(["json-file", { "max-size": "10m", "max-file": "3" }]);
    });

    it("storage volume: no bucket, no key, a plain config file on the filesystem store; retention and ports configurable", async () => {
        const { recorded } = await deployConfig("dev", {
            ...config({ storage: "volume", retention: "30d" }),
            "lakeforge:docker": JSON.stringify({ ports: { logging: 3200, logShipping: 12301 } }),
        });
        const { parseConfig } = await import("../src/config");
        const { platformConsumers } = await import("../src/components-schema");
        expect(platformConsumers(parseConfig(config({ storage: "volume" }), "dev").components)).toEqual([]);
        const loki = container(recorded, "loki");
        const file = uploads(loki).find((u) => u.file === "/etc/loki/lakeforge.yaml");
        expect(isSecretInput(loki.inputs["uploads"])).toBe(false);
        expect(plain<string>(file?.content)).toContain("retention_period: 720h");
        expect(plain<string>(file?.content)).toContain("object_store: filesystem");
        expect(plain(container(recorded, "postgres").inputs["logOpts"])).toMatchObject({ "gelf-address": "udp://127.0.0.1:12301" });
        expect(plain(container(recorded, "alloy").inputs["ports"])).toEqual([
            { internal: 12201, external: 12301, ip: "127.0.0.1", protocol: "udp" },
        ]);
        expect(plain<{ external: number }[]>(loki.inputs["ports"])[0]?.external).toBe(3200);
    });
});

function at(r: Recorded, ...path: string[]): unknown {
    let node: unknown = plain(r.inputs);
    for (const key of path) node = plain((node as Record<string, unknown>)[key]);
    return node;
}
