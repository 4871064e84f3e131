import { beforeAll, describe, expect, it } from "vitest";
import type { DeployedService } from "../src/runtime/spec";
import type { EndpointInfo } from "../src/types";
import { K8S } from "./support/deploy";
import { deployKubernetesRuntimeFixture, type DeployWith } from "./support/kubernetes-runtime";
import { at, one, ofType, plain, podOf, resolve, settle, type Recorded } from "./support/mocks";
import { fullSpec } from "./support/service-specs";

/* KubernetesRuntime: how services are reached (Services, endpoints, network policies) and what it refuses. */

const T = K8S;
let recorded: Recorded[];
let services: Record<string, DeployedService>;
let deployWith: DeployWith;

/** The resolved endpoint of one port. */
async function endpointOf(service: string, port: string): Promise<EndpointInfo> {
    return (await resolve((services[service] as DeployedService).endpoint(port))).value;
}

beforeAll(async () => {
    ({ recorded, services, deployWith } = await deployKubernetesRuntimeFixture());
});

describe("KubernetesRuntime services and endpoints", () => {
    it("exposes every port on a ClusterIP Service named after the service, reached through cluster DNS", async () => {
        expect(one(recorded, T.service, "svc").inputs["spec"]).toEqual({
            type: "ClusterIP",
            selector: { "app.kubernetes.io/name": "svc", "app.kubernetes.io/part-of": "lakeforge" },
            ports: [
                { name: "api", port: 8080, targetPort: 8080, protocol: "TCP" },
                { name: "metrics", port: 9090, targetPort: 9090, protocol: "TCP" },
            ],
        });
        expect(await endpointOf("svc", "metrics")).toEqual({
            scheme: "http",
            internal: { host: "svc.lf.svc.cluster.local", port: 9090 },
            external: { host: "svc.lf.svc.cluster.local", port: 9090 },
        });
        expect(() => (services["svc"] as DeployedService).endpoint("nope")).toThrow('service svc has no port named "nope"');
    });

    it("nodePort: a separate NodePort Service for published ports only, reached on the node address", async () => {
        expect(one(recorded, T.service, "svc-admin").inputs["spec"]).toEqual({
            type: "NodePort",
            selector: { "app.kubernetes.io/name": "svc", "app.kubernetes.io/part-of": "lakeforge" },
            ports: [{ name: "api", port: 8080, targetPort: 8080, protocol: "TCP", nodePort: 30500 }],
        });
        expect((await endpointOf("svc", "api")).external).toEqual({ host: "127.0.0.1", port: 30500 });
        expect((await endpointOf("sized", "pg")).external).toEqual({ host: "127.0.0.1", port: 30432 });
    });

    it("loadBalancer: a separate LoadBalancer Service with the configured annotations and host", async () => {
        const admin = one(recorded, T.service, "lb-admin");
        expect(admin.inputs["metadata"]).toMatchObject({ name: "lb-admin", annotations: { "networking.example.com/internal": "true" } });
        expect(admin.inputs["spec"]).toMatchObject({
            type: "LoadBalancer",
            ports: [{ name: "api", port: 8080, targetPort: 8080, protocol: "TCP" }],
        });
        expect((await endpointOf("lb", "api")).external).toEqual({ host: "registry.internal.example.com", port: 8080 });
    });

    it("inCluster and external: no admin Service; the ClusterIP address or the configured one", async () => {
        expect(
            ofType(recorded, T.service)
                .map((r) => r.name)
                .filter((n) => n.endsWith("-admin"))
                .sort(),
        ).toEqual(["lb-admin", "plain-admin", "postgres-admin", "svc-admin"]);
        expect((await endpointOf("incluster", "api")).external).toEqual({ host: "incluster.lf.svc.cluster.local", port: 8080 });
        expect((await endpointOf("ext", "api")).external).toEqual({ host: "registry.example.com", port: 443 });
    });

    it("waits for the workload, every Service and this machine reaching each published port before bootstrap", () => {
        expect((services["svc"] as DeployedService).ready).toHaveLength(4);
        expect((services["incluster"] as DeployedService).ready).toHaveLength(3);
        // One gate per published port, on the address the bootstrap providers connect to.
        const gate = (name: string) => plain(one(recorded, "pulumi-nodejs:dynamic/lakeforge:Reachable", `${name}-api-reachable`).inputs);
        expect(gate("svc")).toMatchObject({ host: "127.0.0.1", port: 30500 });
        expect(gate("incluster")).toMatchObject({ host: "incluster.lf.svc.cluster.local", port: 8080 });
        expect(gate("ext")).toMatchObject({ host: "registry.example.com", port: 443 });
        expect(recorded.filter((r) => r.name === "svc-metrics-reachable")).toEqual([]);
    });
});

describe("KubernetesRuntime network policies", () => {
    const fromPlatform = (ports: number[]) => ({ from: [{ podSelector: {} }], ports: ports.map((port) => ({ protocol: "TCP", port })) });

    it("admits platform pods to every port and anyone to the published ports when they go through a node or load balancer", () => {
        expect(one(recorded, T.policy, "svc").inputs["spec"]).toEqual({
            podSelector: { matchLabels: { "app.kubernetes.io/name": "svc" } },
            policyTypes: ["Ingress"],
            ingress: [fromPlatform([8080, 9090]), { ports: [{ protocol: "TCP", port: 8080 }] }],
        });
        expect(at(one(recorded, T.policy, "lb").inputs["spec"], "ingress", 1)).toEqual({ ports: [{ protocol: "TCP", port: 8080 }] });
    });

    it("admits only the listed namespaces to the published ports otherwise", () => {
        expect(at(one(recorded, T.policy, "incluster").inputs["spec"], "ingress")).toEqual([
            fromPlatform([8080, 9090]),
            {
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ci" } } }],
                ports: [{ protocol: "TCP", port: 8080 }],
            },
        ]);
        expect(at(one(recorded, T.policy, "ext").inputs["spec"], "ingress")).toEqual([fromPlatform([8080, 9090])]);
    });
});

describe("KubernetesRuntime refusals", () => {
    it("refuses capabilities the restricted level forbids, naming the setting that allows them", () => {
        expect(() => deployWith({}, fullSpec("caps", { capabilities: ["CHOWN"] }))).toThrow(
            'service caps needs capabilities CHOWN, which the restricted Pod Security level refuses; set lakeforge:kubernetes.podSecurity to "baseline" for this stack',
        );
        expect(() => deployWith({}, fullSpec("caps", { capabilities: ["SYS_ADMIN"] }))).toThrow(
            /^service caps needs capabilities SYS_ADMIN, which the restricted Pod Security level refuses$/,
        );
        expect(() => deployWith({ podSecurity: "baseline" }, fullSpec("caps", { capabilities: ["SYS_ADMIN"] }))).toThrow(
            /^service caps needs capabilities SYS_ADMIN, which the baseline Pod Security level refuses$/,
        );
        expect(ofType(recorded, T.statefulSet).map((r) => r.name)).not.toContain("caps");
    });

    it("lets the baseline level add the capabilities it allows", async () => {
        deployWith({ podSecurity: "baseline" }, fullSpec("chown", { capabilities: ["CHOWN"] }));
        await settle();
        expect(at(podOf(one(recorded, T.statefulSet, "chown")), "containers", 0, "securityContext", "capabilities")).toEqual({
            drop: ["ALL"],
            add: ["CHOWN"],
        });
        expect(ofType(recorded, T.statefulSet).map((r) => r.name)).toContain("chown");
    });
});
