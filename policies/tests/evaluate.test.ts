import * as path from "path";
import { describe, expect, it } from "vitest";
import { rules } from "../rules";
import { evaluate, levelOf, loadStackConfig, mandatoryViolations, settingsOf, stackConfigPath, type ResourceUnderTest } from "../evaluate";
import { DOCKER, K8S } from "../lib/types";
import { ALL_FIXTURES, dockerPostgres, k8sService } from "./fixtures";
import { withField } from "./util";

const asResources = (fixtures: typeof ALL_FIXTURES): ResourceUnderTest[] =>
    fixtures.map((f) => ({ type: f.type, name: f.label, props: f.props, protect: f.protect }));

const rule = (name: string) => {
    const found = rules.find((r) => r.name === name);
    if (found === undefined) throw new Error(`no rule ${name}`);
    return found;
};

/** A dev stack gone wrong: one exposure, one credential and one hardening mistake. */
const carelessDev: ResourceUnderTest[] = [
    {
        type: DOCKER.container,
        name: "minio",
        props: {
            ...dockerPostgres.props,
            image: "minio/minio:RELEASE.2024-10-13T13-34-11Z",
            ports: [{ internal: 9000, external: 9000 }],
            envs: ["MINIO_ROOT_USER=minioadmin", "MINIO_ROOT_PASSWORD=minioadmin"],
            user: undefined,
        },
    },
];

describe("evaluate", () => {
    it("passes every lakeforge-shaped fixture under every stack config", () => {
        for (const stack of ["dev", "prod", "kind"] as const) {
            expect(evaluate(asResources(ALL_FIXTURES), loadStackConfig(stack))).toEqual([]);
        }
    });

    it("reports exposure and credential mistakes as mandatory on dev, hardening as advisory", () => {
        const found = evaluate(carelessDev, loadStackConfig("dev")).map((v) => [v.policy, v.enforcementLevel, v.resourceName]);
        expect(found).toEqual([
            ["image-pinned-by-digest", "advisory", "minio"],
            ["docker-ports-bound-to-host-address", "mandatory", "minio"],
            ["no-well-known-credentials", "mandatory", "minio"],
            ["docker-container-non-root", "advisory", "minio"],
        ]);
        expect(mandatoryViolations(carelessDev, loadStackConfig("dev")).map((v) => v.message)).toEqual([
            'ports[0].ip: expected a loopback or specific host address (e.g. "127.0.0.1"), found absent, which publishes container port 9000 on all interfaces.',
            'envs[1]: expected a generated credential for MINIO_ROOT_PASSWORD, found the well-known default "minioadmin".',
        ]);
    });

    it("makes every violation mandatory on prod", () => {
        const levels = new Set(evaluate(carelessDev, loadStackConfig("prod")).map((v) => v.enforcementLevel));
        expect([...levels]).toEqual(["mandatory"]);
    });

    it("lets kind and dev use NodePort Services but not prod", () => {
        const nodePort = [{ type: K8S.service, name: "minio-console", props: withField(k8sService.props, ["spec", "type"], "NodePort") }];
        expect(mandatoryViolations(nodePort, loadStackConfig("kind"))).toEqual([]);
        expect(mandatoryViolations(nodePort, loadStackConfig("dev"))).toEqual([]);
        expect(mandatoryViolations(nodePort, loadStackConfig("prod")).map((v) => v.policy)).toEqual(["kubernetes-service-internal-only"]);
    });

    it("skips disabled rules and honours `all`", () => {
        expect(evaluate(carelessDev, { all: "disabled" })).toEqual([]);
        expect(evaluate(carelessDev, { all: "advisory" }).every((v) => v.enforcementLevel === "advisory")).toBe(true);
        expect(evaluate(carelessDev, { all: "disabled", "no-well-known-credentials": "mandatory" }).map((v) => v.policy)).toEqual([
            "no-well-known-credentials",
        ]);
    });
});

describe("levelOf and settingsOf", () => {
    const service = rule("kubernetes-service-internal-only");

    it("reads a rule's level from its entry, then `all`, then defaults to mandatory", () => {
        expect(levelOf(service, {})).toBe("mandatory");
        expect(levelOf(service, { all: "advisory" })).toBe("advisory");
        expect(levelOf(service, { all: "advisory", [service.name]: { enforcementLevel: "disabled" } })).toBe("disabled");
        expect(levelOf(service, { [service.name]: "advisory" })).toBe("advisory");
    });

    it("overlays a rule's settings on its schema defaults, without the level", () => {
        expect(settingsOf(service, {})).toEqual({ allowNodePort: false, allowLoadBalancer: false });
        expect(settingsOf(service, { [service.name]: { enforcementLevel: "mandatory", allowNodePort: true } })).toEqual({
            allowNodePort: true,
            allowLoadBalancer: false,
        });
    });
});

describe("stack config files", () => {
    it("live in policies/config, the path passed to --policy-pack-config", () => {
        expect(stackConfigPath("prod")).toBe(path.resolve(__dirname, "..", "config", "prod.json"));
    });
});
