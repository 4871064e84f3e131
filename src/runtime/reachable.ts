import * as pulumi from "@pulumi/pulumi";

/*
 * A gate on a published port: ready once the machine running Pulumi can open a TCP connection to
 * it. On Kubernetes a workload is Ready before every node's proxy routes its Service (kube-proxy
 * programs NodePorts and ClusterIPs from EndpointSlices, seconds later under load); until then a
 * connection is refused, and the bootstrap providers that connect first would fail the `up`.
 * Runs in the engine as a dynamic provider; helpers stay plain functions so they serialize with it.
 */

/** How long `up` waits for a published port to accept connections. */
export const REACHABLE_TIMEOUT_SECONDS = 180;

/** Inputs of Reachable, as the provider sees them. */
export interface ReachableState {
    readonly host: string;
    readonly port: number;
    readonly timeoutSeconds: number;
}

/** Whether one TCP connection to host:port opens within 3 s. */
export function connects(host: string, port: number): Promise<boolean> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const net = require("node:net") as typeof import("node:net");
    return new Promise((resolve) => {
        const socket = net.connect({ host, port, timeout: 3000 });
        const done = (ok: boolean) => {
            socket.destroy();
            resolve(ok);
        };
        socket.once("connect", () => done(true));
        socket.once("timeout", () => done(false));
        socket.once("error", () => done(false));
    });
}

/** Polls until host:port accepts a connection; fails after `timeoutSeconds` naming the address. */
export async function waitReachable(state: ReachableState): Promise<void> {
    const deadline = Date.now() + state.timeoutSeconds * 1000;
    for (;;) {
        if (await connects(state.host, state.port)) return;
        if (Date.now() > deadline) {
            throw new Error(
                `${state.host}:${state.port} did not accept a TCP connection within ${state.timeoutSeconds} s: the service is ready, but this machine cannot reach it (check the route to the node or load balancer, and lakeforge:kubernetes.adminAccess)`,
            );
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
}

const reachableProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: ReachableState) {
        await waitReachable(inputs);
        return { id: `${inputs.host}:${inputs.port}`, outs: inputs };
    },
    async diff(id: string, olds: ReachableState, news: ReachableState) {
        const replaces = olds.host !== news.host || olds.port !== news.port ? ["host", "port"] : [];
        return { changes: replaces.length > 0 || olds.timeoutSeconds !== news.timeoutSeconds, replaces, deleteBeforeReplace: false };
    },
    async update(id: string, olds: ReachableState, news: ReachableState) {
        await waitReachable(news);
        return { outs: news };
    },
};

/** Inputs of Reachable. */
export interface ReachableArgs {
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    /** @default REACHABLE_TIMEOUT_SECONDS */
    readonly timeoutSeconds?: number;
}

/** Ready once this machine can connect to host:port; holds nothing, deletes nothing. */
export class Reachable extends pulumi.dynamic.Resource {
    constructor(name: string, args: ReachableArgs, opts?: pulumi.CustomResourceOptions) {
        super(reachableProvider, name, { timeoutSeconds: REACHABLE_TIMEOUT_SECONDS, ...args }, opts, "lakeforge", "Reachable");
    }
}
