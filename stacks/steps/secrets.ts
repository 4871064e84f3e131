import * as pulumi from "@pulumi/pulumi";
import { Secrets } from "../../components/secrets";
import type { ComponentsConfig } from "../../src/components-schema";
import { endpointUrls, formatAddress, mergeEnv, type PlatformEndpoints, type PlatformOutputs } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Contribution, PlatformOptions } from "./contribution";

export /** Vault with every credential stored, and the full client environment (VAULT_ADDR included) stored for CI. */
function composeSecrets(
    runtime: Runtime,
    c: ComponentsConfig["secrets"],
    o: PlatformOptions,
    parts: readonly Contribution[],
): { endpoints: PlatformEndpoints } & Pick<PlatformOutputs, "clientEnv" | "ciAppRole"> {
    const secrets = new Secrets(c.engine, {
        runtime,
        engine: c.engine,
        image: c.image,
        resources: c.resources,
        kvMount: c.kvMount,
        keyShares: c.keyShares,
        keyThreshold: c.keyThreshold,
        autoUnseal: c.autoUnseal,
        protectData: o.protectData,
    });
    const vaultAddr = secrets.endpoint.apply((e) => formatAddress(e, "external"));
    const clientEnv = mergeEnv([...parts.map((p) => p.env), { VAULT_ADDR: vaultAddr, VAULT_KV_MOUNT: c.kvMount }]);
    for (const [path, data] of parts.flatMap((p) => p.credentials)) secrets.store(path, data);
    // CI reads the client environment and nothing else.
    const login = secrets.appRole(c.appRole, [secrets.store("client-env", clientEnv)]);
    const ciAppRole = pulumi.secret(pulumi.all([login.roleId, login.secretId]).apply(([roleId, secretId]) => ({ roleId, secretId })));
    return { endpoints: { secrets: endpointUrls(secrets.endpoint) }, clientEnv, ciAppRole };
}
