import { expect } from "vitest";
import { appRoleLogin, vault } from "./clients";
import { waitFor } from "./stack";

/* The secrets server as the end-to-end tiers check it. */

/** An AppRole's login, as the stack's `ciAppRole` output gives it. */
export interface AppRole {
    roleId: string;
    secretId: string;
}

/** Waits until Vault is unsealed by the unsealer: it reports healthy while sealed, and its clients need the unsealer's view. */
export async function vaultUnsealed(address: string, seconds: number): Promise<void> {
    await waitFor("vault unsealed by the unsealer", seconds, async () => {
        const status = await vault(address, "GET", "sys/seal-status").catch(() => undefined);
        return status?.body["sealed"] === false;
    });
}

/** Logs in with the AppRole and expects it to read client-env (HTTP 200) as exactly `env`; returns its token. */
export async function expectClientEnvReadable(address: string, appRole: AppRole, env: Record<string, string>): Promise<string> {
    const token = await appRoleLogin(address, appRole.roleId, appRole.secretId);
    const read = await vault(address, "GET", "lakeforge/data/client-env", token);
    expect(read.status).toBe(200);
    expect((read.body["data"] as { data: Record<string, string> }).data).toEqual(env);
    return token;
}
