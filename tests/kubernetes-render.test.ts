import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { installMocks, one, ofType, settle, type Recorded } from "./support/mocks";
import { toAllConfig } from "./support/stack";

/** A stack that renders manifests: only the registry, whose setup needs no running server. */
const RENDER_CONFIG = {
    "lakeforge:target": "kubernetes",
    "lakeforge:kubernetes": { renderYamlTo: "rendered/lakeforge", namespace: "platform" },
    "lakeforge:components": { database: { enabled: false }, objectStore: { enabled: false }, secrets: { enabled: false } },
};

let recorded: Recorded[];
const warnings: string[] = [];

beforeAll(async () => {
    recorded = installMocks("render");
    vi.spyOn(pulumi.log, "warn").mockImplementation(async (message: string) => {
        warnings.push(message);
    });
    const { parseConfig } = await import("../src/config");
    const { deployPlatform } = await import("../stacks");
    deployPlatform(parseConfig(toAllConfig(RENDER_CONFIG), "render"));
    await settle();
});

describe("render-to-directory mode", () => {
    it("points the provider at the directory instead of a cluster", () => {
        const provider = one(recorded, "pulumi:providers:kubernetes", "kubernetes");
        expect(provider.inputs["renderYamlToDirectory"]).toBe("rendered/lakeforge");
        for (const r of recorded.filter((x) => x.type.startsWith("kubernetes:"))) expect(r.provider, r.name).toMatch(/::kubernetes::/);
    });

    it("renders the same objects it would apply", () => {
        expect(ofType(recorded, "kubernetes:core/v1:Namespace").map((r) => r.name)).toEqual(["namespace"]);
        expect(ofType(recorded, "kubernetes:apps/v1:StatefulSet").map((r) => r.name)).toEqual(["registry"]);
        expect(
            ofType(recorded, "kubernetes:core/v1:Secret")
                .map((r) => r.name)
                .sort(),
        ).toEqual(["registry-files"]);
        expect(ofType(recorded, "kubernetes:networking.k8s.io/v1:NetworkPolicy")).toHaveLength(4);
    });

    it("warns that rendered Secret manifests hold credentials in plain text", () => {
        expect(warnings).toEqual([
            "lakeforge:kubernetes.renderYamlTo: manifests are written to rendered/lakeforge instead of applied; Secret manifests in it hold credentials in plain text: encrypt them (SOPS, Sealed Secrets) before committing",
        ]);
    });

    it("refuses, before any resource exists, to render capabilities whose setup needs the running server", async () => {
        const { ConfigError, parseConfig } = await import("../src/config");
        const all = toAllConfig({ ...RENDER_CONFIG, "lakeforge:components": { objectStore: { enabled: false } } });
        expect(() => parseConfig(all, "render")).toThrow(ConfigError);
        expect(() => parseConfig(all, "render")).toThrow(
            /lakeforge:kubernetes\.renderYamlTo: expected no value while components\.database, components\.secrets are enabled/,
        );
    });
});
