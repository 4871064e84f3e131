import { describe, expect, it } from "vitest";
import { mandatoryViolations, type ResourceUnderTest } from "../policies/evaluate";
import { rules } from "../policies/rules";
import { LAKEFORGE_PROXMOX } from "../policies/lib/types";
import { deployShipped } from "./support/deploy";
import { stackConfig } from "./support/stack";

/**
 * The rules that judge lakeforge's own proxmox resources, each made mandatory; not digest pinning,
 * as the shipped images are pinned by tag (policies/tests/specs/images.ts tests that rule on them).
 */
const PROXMOX_RULES = [
    "proxmox-lxc-unprivileged",
    "stateful-resources-protected",
    "image-tag-pinned",
    "no-literal-secret-env",
    "proxmox-lxc-resources-set",
    "proxmox-lxc-healthcheck-present",
];
const strict = Object.fromEntries(rules.map((r) => [r.name, PROXMOX_RULES.includes(r.name) ? "mandatory" : "disabled"] as const));

/** The inputs of lakeforge's container the breakages below change. */
type ContainerProps = {
    create: Record<string, unknown>;
    config: Record<string, unknown> & { description: string };
    env: Record<string, string>;
    image: string;
    healthCheck: string[];
};

/** A copy of `resource` with `mutate` applied to a deep copy of its inputs (or its protect flag). */
function broken(resource: ResourceUnderTest, mutate: (props: ContainerProps) => void, protect = resource.protect): ResourceUnderTest {
    const props = JSON.parse(JSON.stringify(resource.props)) as ContainerProps;
    mutate(props);
    return { ...resource, props, protect };
}

const found = (resources: ResourceUnderTest[]): string[] =>
    mandatoryViolations(resources, strict).map((v) => `${v.policy}: ${v.resourceName}: ${v.message.split(":")[0]}`);

describe("the policy pack on the homelab stack's own proxmox resources (dynamic resources, by their type token)", () => {
    it("sees one container per planned service and every data volume; as shipped they break none of its proxmox rules", async () => {
        const { recorded } = await deployShipped("homelab");
        const ofType = (type: string): ResourceUnderTest[] =>
            recorded.filter((r) => r.type === type).map((r) => ({ type: r.type, name: r.name, props: r.inputs, protect: r.protect }));
        const containers = ofType(LAKEFORGE_PROXMOX.container);
        const volumes = ofType(LAKEFORGE_PROXMOX.volume);
        const plan = JSON.parse(stackConfig("homelab")["lakeforge:proxmox"] ?? "{}") as {
            services: Record<string, { volumesGb?: object }>;
        };
        expect(containers.map((c) => c.name).sort()).toEqual(Object.keys(plan.services).sort());
        // Every volume the plan sizes (others take volumeGb, e.g. spark-work).
        expect(volumes.map((v) => v.name)).toEqual(
            expect.arrayContaining(
                Object.entries(plan.services)
                    .filter(([, s]) => s.volumesGb !== undefined)
                    .map(([name]) => `${name}-data`),
            ),
        );
        expect(found([...containers, ...volumes])).toEqual([]);

        const postgres = containers.find((c) => c.name === "postgres");
        if (postgres === undefined) throw new Error("no postgres container");
        const volume = volumes.find((v) => v.name === "postgres-data");
        if (volume === undefined) throw new Error("no data volume");
        expect(
            found([
                broken(postgres, (p) => (p.create.unprivileged = 0)),
                broken(postgres, () => undefined, false),
                broken(volume, () => undefined, false),
                broken(postgres, (p) => (p.image = "postgres:latest")),
                broken(postgres, (p) => (p.env.POSTGRES_PASSWORD = "q7Vd-Lx2pR9wTz4KmB8nYc3H")),
                broken(postgres, (p) => (p.config.description += " POSTGRES_PASSWORD=q7Vd-Lx2pR9wTz4KmB8nYc3H")),
                broken(postgres, (p) => delete p.config.memory),
                broken(postgres, (p) => (p.healthCheck = [])),
            ]).sort(),
        ).toEqual([
            "image-tag-pinned: postgres: image",
            "no-literal-secret-env: postgres: config.description",
            "no-literal-secret-env: postgres: env.POSTGRES_PASSWORD",
            "proxmox-lxc-healthcheck-present: postgres: healthCheck",
            "proxmox-lxc-resources-set: postgres: config.memory",
            "proxmox-lxc-unprivileged: postgres: create.unprivileged",
            "stateful-resources-protected: postgres-data: opts.protect",
            "stateful-resources-protected: postgres: opts.protect",
        ]);
    });
});
