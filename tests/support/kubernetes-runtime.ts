import * as pulumi from "@pulumi/pulumi";
import type { KubernetesSettings } from "../../src/runtime/kubernetes-settings";
import type { DeployedService, ServiceSpec } from "../../src/runtime/spec";
import { installMocks, resolve, settle, type Recorded } from "./mocks";
import { fullSpec, statelessSpec } from "./service-specs";

/* The services the KubernetesRuntime tests deploy, one per way of reaching them, on mocks. */

/** Deploys a spec with the given kubernetes settings (the namespace is `lf`) under a parent. */
export type DeployWith = (
    settings: Partial<KubernetesSettings> & Record<string, unknown>,
    spec: ServiceSpec,
    parent?: pulumi.Resource,
) => DeployedService;

/** What the tests read: the recorded resources, the deployed services by name, and a way to deploy more. */
export interface KubernetesRuntimeFixture {
    recorded: Recorded[];
    services: Record<string, DeployedService>;
    deployWith: DeployWith;
}

/** Installs the mocks, then deploys the fixture's services and waits for their resources to be registered. */
export async function deployKubernetesRuntimeFixture(): Promise<KubernetesRuntimeFixture> {
    const recorded = installMocks();
    const services: Record<string, DeployedService> = {};
    const k8s = await import("@pulumi/kubernetes");
    const { KubernetesRuntime } = await import("../../src/runtime/kubernetes");
    const { kubernetesSettingsSchema } = await import("../../src/runtime/kubernetes-settings");
    const provider = new k8s.Provider("kubernetes", {});
    const namespace = new k8s.core.v1.Namespace("namespace", { metadata: { name: "lf" } }, { provider });
    const plainParent = new pulumi.ComponentResource("test:index:Parent", "parent");
    // A caller may protect a whole component; only its data should stay protected.
    const protectedParent = new pulumi.ComponentResource("test:index:Parent", "protected", {}, { protect: true });
    const deployWith: DeployWith = (raw, spec, parent = plainParent) =>
        new KubernetesRuntime({ settings: kubernetesSettingsSchema.parse({ namespace: "lf", ...raw }), provider, namespace }).deploy(
            spec,
            parent,
        );

    services["svc"] = deployWith({ storageClass: "fast", volumeSize: "3Gi" }, fullSpec("svc"));
    services["plain"] = deployWith({}, statelessSpec("plain"));
    services["sized"] = deployWith(
        { volumeSizes: { postgres: "50Gi" }, protect: true },
        fullSpec("postgres", { ports: [{ name: "pg", port: 5432, scheme: "postgresql", publishAs: "database" }] }),
        protectedParent,
    );
    services["lb"] = deployWith(
        {
            adminAccess: "loadBalancer",
            adminHosts: { registry: "registry.internal.example.com" },
            adminServiceAnnotations: { "networking.example.com/internal": "true" },
        },
        statelessSpec("lb"),
    );
    services["incluster"] = deployWith({ adminAccess: "inCluster", adminNamespaces: ["ci"] }, statelessSpec("incluster"));
    services["ext"] = deployWith(
        { adminAccess: "external", adminEndpoints: { registry: { host: "registry.example.com", port: 443 } } },
        statelessSpec("ext"),
    );
    await resolve((services["svc"] as DeployedService).endpoint("api"));
    await settle();
    return { recorded, services, deployWith };
}
