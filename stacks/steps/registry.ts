import type { ObjectStore } from "../../components/objectStore";
import { Registry, type RegistryStorage } from "../../components/registry";
import { REGISTRY_CONSUMER } from "../../components/registry/defaults";
import type { ComponentsConfig } from "../../src/components-schema";
import { endpointUrls } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Contribution } from "./contribution";

export function composeRegistry(runtime: Runtime, c: ComponentsConfig["registry"], store: ObjectStore | undefined): Contribution {
    const storage: RegistryStorage =
        c.storage === "objectStore" && store !== undefined
            ? { kind: "s3", access: store.consumer(REGISTRY_CONSUMER, { bucket: c.bucket }) }
            : { kind: "volume" };
    const registry = new Registry("registry", {
        runtime,
        engine: c.engine,
        image: c.image,
        resources: c.resources,
        username: c.username,
        storage,
    });
    const env = { REGISTRY: registry.host, REGISTRY_USERNAME: registry.username, REGISTRY_PASSWORD: registry.password };
    return { endpoints: { registry: endpointUrls(registry.endpoint) }, env, credentials: [[`registry/${c.username}`, env]] };
}
