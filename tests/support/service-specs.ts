import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";

/* Service specs the runtime tests deploy: every feature of the seam, and a stateless one. */

/** A service with every feature of the seam: secret env, both kinds of file, two ports, a volume. */
export function fullSpec(name: string, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
    return {
        name,
        image: "example/svc:1.2.3",
        command: ["serve", "--port", "8080"],
        env: { MODE: "test", A_FIRST: "1" },
        secretEnv: { TOKEN: pulumi.secret("s3cr3t-token") },
        files: [
            { path: "/etc/svc/config.yml", content: "x: 1\n", secret: false },
            { path: "/run/secrets/password", content: pulumi.secret("s3cr3t-file"), secret: true },
        ],
        ports: [
            { name: "api", port: 8080, scheme: "http", publishAs: "registry" },
            { name: "metrics", port: 9090, scheme: "http" },
        ],
        volumes: [{ name: "data", path: "/var/lib/svc" }],
        healthCheck: { command: ["true"], intervalSeconds: 7, timeoutSeconds: 3, retries: 4, startPeriodSeconds: 11 },
        resources: { memoryMb: 300, cpus: 0.5 },
        user: "1000:2000",
        capabilities: ["NET_BIND_SERVICE"],
        readOnlyRootFilesystem: true,
        ...overrides,
    };
}

/** A stateless service that names no user (the image would start as root). */
export function statelessSpec(name: string): ServiceSpec {
    return fullSpec(name, { secretEnv: {}, files: [], volumes: [], user: undefined, capabilities: [], readOnlyRootFilesystem: false });
}
