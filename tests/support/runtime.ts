import * as pulumi from "@pulumi/pulumi";
import { portOf, type DeployedService, type LogDelivery, type Runtime, type ServiceSpec } from "../../src/runtime/spec";
import type { EndpointInfo } from "../../src/types";

/** A Runtime that records the specs it is given and answers with fixed endpoints; for capability tests. */
export class RecordingRuntime implements Runtime {
    readonly target = "docker" as const;
    readonly specs: ServiceSpec[] = [];

    constructor(readonly logDelivery: LogDelivery = { kind: "push", port: 12201 }) {}

    deploy(spec: ServiceSpec): DeployedService {
        this.specs.push(spec);
        return {
            ready: [],
            internal: (portName: string) => ({ host: spec.name, port: portOf(spec, portName).port }),
            endpoint: (portName: string) => {
                const port = spec.ports.find((p) => p.name === portName);
                if (!port) throw new Error(`no port ${portName}`);
                const info: EndpointInfo = {
                    scheme: port.scheme,
                    internal: { host: spec.name, port: port.port },
                    external: { host: "127.0.0.1", port: 40000 + port.port },
                };
                return pulumi.output(info);
            },
        };
    }

    /** The one spec deployed under this name. */
    spec(name: string): ServiceSpec {
        const found = this.specs.find((s) => s.name === name);
        if (!found) throw new Error(`no spec ${name}`);
        return found;
    }
}
