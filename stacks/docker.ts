import * as docker from "@pulumi/docker";
import type { ComponentsConfig } from "../src/components-schema";
import type { PlatformOutputs } from "../src/outputs";
import { DockerRuntime } from "../src/runtime/docker";
import type { DockerSettings } from "../src/runtime/docker-settings";
import { composePlatform } from "./platform";

/** The workstation stack: one Docker Engine, one user-defined network. */
export function dockerStack(settings: DockerSettings, components: ComponentsConfig): PlatformOutputs {
    const provider = new docker.Provider("docker", { host: settings.host });
    const network = new docker.Network(
        "network",
        { name: settings.network, driver: "bridge", labels: [{ label: "dev.lakeforge.network", value: settings.network }] },
        { provider },
    );
    const runtime = new DockerRuntime({ settings, provider, network, shipLogs: components.logging.enabled });
    const outputs = composePlatform("docker", runtime, components);
    runtime.finish();
    return outputs;
}
