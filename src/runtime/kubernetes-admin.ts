import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Address } from "../types";
import { ADMIN_PORT_KEYS, type AdminPortKey, type KubernetesSettings } from "./kubernetes-settings";
import type { ServicePort, ServiceSpec } from "./spec";

/* How the machine running Pulumi reaches a service's published ports, by `adminAccess`. */

/** Where the machine running Pulumi reaches a published port, by admin access mode. */
export function externalAddress(
    settings: KubernetesSettings,
    spec: ServiceSpec,
    port: ServicePort,
    internal: Address,
    admin: k8s.core.v1.Service | undefined,
): pulumi.Input<Address> {
    const key = adminKey(spec, port);
    switch (settings.adminAccess) {
        case "nodePort":
            return { host: settings.nodeAddress, port: settings.nodePorts[key] };
        case "inCluster":
            return internal;
        case "external": {
            const address = settings.adminEndpoints[key];
            if (address === undefined) throw new Error(`lakeforge:kubernetes.adminEndpoints.${key} is not set`);
            return address;
        }
        case "loadBalancer": {
            const host = settings.adminHosts[key];
            if (host !== undefined) return { host, port: port.port };
            return (admin as k8s.core.v1.Service).status.apply((status) => {
                const ingress = status?.loadBalancer?.ingress?.[0];
                const address = ingress?.ip ?? ingress?.hostname;
                if (!address)
                    throw new Error(
                        `service ${spec.name}-admin has no load balancer address yet; set lakeforge:kubernetes.adminHosts.${key}`,
                    );
                return { host: address, port: port.port };
            });
        }
    }
}

/** The settings key a published port is exposed under. */
export function adminKey(spec: ServiceSpec, port: ServicePort): AdminPortKey {
    const key = port.publishAs;
    if (!ADMIN_PORT_KEYS.includes(key as AdminPortKey)) {
        throw new Error(
            `service ${spec.name} port ${port.name} is published as "${String(key)}", which lakeforge:kubernetes has no settings for (expected one of ${ADMIN_PORT_KEYS.join(", ")})`,
        );
    }
    return key as AdminPortKey;
}
