import { Logging, type LoggingStorage } from "../../components/logging";
import { LOGGING_DEFAULTS } from "../../components/logging/defaults";
import type { ObjectStore } from "../../components/objectStore";
import type { ComponentsConfig } from "../../src/components-schema";
import { endpointUrls, formatAddress } from "../../src/outputs";
import type { Runtime } from "../../src/runtime/spec";
import type { Contribution } from "./contribution";

/** Loki and its collector; with `storage: objectStore`, Loki's own bucket through its own key. */
export function composeLogging(runtime: Runtime, c: ComponentsConfig["logging"], store: ObjectStore | undefined): Contribution {
    const storage: LoggingStorage =
        c.storage === "objectStore" && store !== undefined
            ? { kind: "s3", access: store.consumer(LOGGING_DEFAULTS.consumer, { bucket: c.bucket }), bucket: c.bucket }
            : { kind: "volume" };
    const logging = new Logging("logging", {
        runtime,
        engine: c.engine,
        image: c.image,
        resources: c.resources,
        collector: c.collector,
        collectorImage: c.collectorImage,
        collectorResources: c.collectorResources,
        storage,
        retention: c.retention,
    });
    const env = { LOKI_URL: logging.endpoint.apply((e) => formatAddress(e, "external")) };
    return { endpoints: { logging: endpointUrls(logging.endpoint) }, env, credentials: [] };
}
