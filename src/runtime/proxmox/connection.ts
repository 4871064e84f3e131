import type { PveNode } from "./node";
import { connectNode } from "./node-ssh";
import { PveApi } from "./pve-api";

/*
 * What every proxmox dynamic provider receives to reach the node. The credentials (API token, SSH
 * key) are separate inputs so the resources can mark exactly them secret in state.
 */

/** The PVE API without its token. */
export interface PveConnection {
    readonly endpoint: string;
    readonly node: string;
    readonly caCert?: string;
    readonly insecure: boolean;
}

/** Node SSH without its private key. */
export interface SshConnection {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly hostKey?: string;
    readonly insecureHostKey: boolean;
    readonly sudo: boolean;
}

/** Inputs every provider that calls the API takes. */
export interface ApiInputs {
    readonly pve: PveConnection;
    readonly apiToken: string;
}

/** Inputs every provider that runs `pct` over SSH takes. */
export interface SshInputs {
    readonly ssh: SshConnection;
    readonly sshKey: string;
}

/** Runs `fn` with an API client and closes it afterwards. */
export async function withApi<T>(inputs: ApiInputs, fn: (api: PveApi) => Promise<T>): Promise<T> {
    const api = new PveApi({ ...inputs.pve, apiToken: inputs.apiToken });
    try {
        return await fn(api);
    } finally {
        await api.close();
    }
}

/** Runs `fn` with an SSH session to the node and closes it afterwards. */
export async function withNode<T>(inputs: SshInputs, fn: (node: PveNode) => Promise<T>): Promise<T> {
    const node = await connectNode({ ...inputs.ssh, privateKey: inputs.sshKey });
    try {
        return await fn(node);
    } finally {
        node.close();
    }
}
