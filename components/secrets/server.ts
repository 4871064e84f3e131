import type * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import type { Resources } from "../../src/types";

/** The two engines speak the same API; they differ in paths, binary and user. */
export type SecretsEngine = "vault" | "openbao";

/** Where each engine's image keeps config and (file storage) data. */
export const ENGINE_LAYOUT: Record<
    SecretsEngine,
    { configDir: string; dataDir: string; logDir: string; user: string; env: Record<string, string> }
> = {
    // SKIP_SETCAP/SKIP_CHOWN: the entrypoint would otherwise need root to setcap the binary for mlock.
    vault: {
        configDir: "/vault/config",
        dataDir: "/vault/file",
        logDir: "/vault/logs",
        user: "100:1000",
        env: { SKIP_SETCAP: "true", SKIP_CHOWN: "true", VAULT_ADDR: "http://127.0.0.1:8200" },
    },
    openbao: {
        configDir: "/openbao/config",
        dataDir: "/openbao/file",
        logDir: "/openbao/logs",
        user: "100:1000",
        env: { SKIP_CHOWN: "true", BAO_ADDR: "http://127.0.0.1:8200" },
    },
};

/**
 * The server config: server mode (never dev mode), single-node integrated (raft) storage on the
 * persistent volume, plain HTTP inside the platform network. Raft, not `file`: OpenBao 2.7
 * removed the file backend, and both engines run raft. mlock is disabled because the container
 * runs unprivileged.
 */
export function renderServerConfig(engine: SecretsEngine, serviceName: string): string {
    const layout = ENGINE_LAYOUT[engine];
    return [
        `ui = true`,
        // OpenBao removed mlock support; Vault needs IPC_LOCK for it, which lakeforge does not grant.
        ...(engine === "vault" ? [`disable_mlock = true`] : []),
        `api_addr = "http://${serviceName}:8200"`,
        `cluster_addr = "http://${serviceName}:8201"`,
        ``,
        `storage "raft" {`,
        `  path    = "${layout.dataDir}"`,
        `  node_id = "${serviceName}"`,
        `}`,
        ``,
        `listener "tcp" {`,
        `  address         = "0.0.0.0:8200"`,
        `  cluster_address = "0.0.0.0:8201"`,
        `  tls_disable     = true`,
        `}`,
        ``,
    ].join("\n");
}

/** The server's ServiceSpec; pure so it can be tested without a runtime. */
export function secretsSpec(name: string, engine: SecretsEngine, image: string, resources: Resources): ServiceSpec {
    const layout = ENGINE_LAYOUT[engine];
    return {
        name,
        image,
        // The images' entrypoint turns `server` into `<bin> server -config=<configDir>`.
        command: ["server"],
        env: layout.env,
        secretEnv: {},
        files: [{ path: `${layout.configDir}/lakeforge.hcl`, content: renderServerConfig(engine, name), secret: false }],
        ports: [{ name: "api", port: 8200, scheme: "http", publishAs: "secrets" }],
        volumes: [{ name: "data", path: layout.dataDir }],
        healthCheck: {
            // Healthy means "serving": a sealed or not yet initialized server still answers, and the
            // stack initializes and unseals it once it is up.
            command: ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8200/v1/sys/health?uninitcode=200&sealedcode=200&standbyok=true"],
            // Often: everything that needs secrets waits for this server, then for its unsealer.
            intervalSeconds: 2,
            timeoutSeconds: 5,
            retries: 30,
            startPeriodSeconds: 5,
        },
        resources,
        user: layout.user,
        capabilities: [],
        readOnlyRootFilesystem: true,
        // The image declares its log directory a volume; nothing is logged there (logs go to stdout).
        scratchPaths: [layout.logDir],
    };
}

/** Vault policy HCL that can read one consumer's secret and nothing else. */
export function readPolicy(kvMount: string, consumerPath: string): string {
    return [
        `path "${kvMount}/data/${consumerPath}" {`,
        `  capabilities = ["read"]`,
        `}`,
        `path "${kvMount}/metadata/${consumerPath}" {`,
        `  capabilities = ["read"]`,
        `}`,
        ``,
    ].join("\n");
}

/** `database/admin` → `database-admin`: a path as a resource/policy name. */
export function slug(consumerPath: string): string {
    // Vault stores policy names in lowercase; a mixed-case name would show a diff on every preview.
    return consumerPath.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
}

/** Input type of the secret values a consumer stores. */
export type SecretData = pulumi.Input<Record<string, pulumi.Input<string>>>;
