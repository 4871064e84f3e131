import * as pulumi from "@pulumi/pulumi";
import type { Endpoint, EndpointInfo } from "./types";

/** An endpoint as stack outputs show it: URLs for both sides. */
export interface EndpointUrls {
    /** What platform services use inside the platform network. */
    readonly internal: string;
    /** What workstation clients and the machine running Pulumi use. */
    readonly external: string;
}

/** Stack output `endpoints`: one entry per enabled capability. */
export interface PlatformEndpoints {
    database?: pulumi.Output<EndpointUrls>;
    objectStore?: pulumi.Output<EndpointUrls>;
    objectStoreConsole?: pulumi.Output<EndpointUrls>;
    secrets?: pulumi.Output<EndpointUrls>;
    registry?: pulumi.Output<EndpointUrls>;
    catalog?: pulumi.Output<EndpointUrls>;
    queryEngine?: pulumi.Output<EndpointUrls>;
    sparkConnect?: pulumi.Output<EndpointUrls>;
    modelRegistry?: pulumi.Output<EndpointUrls>;
    orchestrator?: pulumi.Output<EndpointUrls>;
    metastore?: pulumi.Output<EndpointUrls>;
    logging?: pulumi.Output<EndpointUrls>;
}

/** What every target's stack exports, with the same keys. */
export interface PlatformOutputs {
    readonly target: string;
    readonly endpoints: PlatformEndpoints;
    /** Secret map of environment variables a downstream project sets. */
    readonly clientEnv: pulumi.Output<Record<string, string>>;
    /** AppRole login for CI (secret), when the Secrets capability is enabled. */
    readonly ciAppRole?: pulumi.Output<{ roleId: string; secretId: string }>;
}

/** `scheme://host:port` for http(s), `host:port` otherwise. */
export function formatAddress(info: EndpointInfo, side: "internal" | "external"): string {
    const a = info[side];
    return info.scheme === "http" || info.scheme === "https" ? `${info.scheme}://${a.host}:${a.port}` : `${a.host}:${a.port}`;
}

/** An Endpoint as the pair of URLs the stack outputs show. */
export function endpointUrls(endpoint: Endpoint): pulumi.Output<EndpointUrls> {
    return endpoint.apply((info) => ({ internal: formatAddress(info, "internal"), external: formatAddress(info, "external") }));
}

/** Merges variable maps into one secret map; later maps win. */
export function mergeEnv(parts: readonly pulumi.Input<Record<string, pulumi.Input<string>>>[]): pulumi.Output<Record<string, string>> {
    return pulumi.secret(
        pulumi.all(parts.map((p) => pulumi.output(p))).apply((maps) => Object.assign({}, ...maps) as Record<string, string>),
    );
}
