import type * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../src/runtime/spec";
import { ENGINE_LAYOUT, type SecretsEngine } from "./server";

/** Where the unsealer finds its key files: one JSON body `{"key": ...}` per unseal key. */
export const UNSEAL_KEY_DIR = "/run/secrets/lakeforge-unseal";
/** Seconds between two looks at the server's seal status. */
export const UNSEAL_POLL_SECONDS = 2;

/**
 * The unsealer's loop, for the image's POSIX shell and wget: whenever the server reports itself
 * sealed (a restart, a kill, a host reboot), submit the keys. Keys are read from files and posted
 * as files, so they never appear in process arguments or logs.
 */
export function renderUnsealerScript(serverUrl: string): string {
    return [
        `server='${serverUrl}'`,
        `echo "lakeforge unsealer: watching $server"`,
        `while :; do`,
        `  if wget -q -O - "$server/v1/sys/seal-status" 2>/dev/null | grep -q '"sealed":true'; then`,
        `    for key in ${UNSEAL_KEY_DIR}/key-*.json; do`,
        `      wget -q -O /dev/null --post-file="$key" "$server/v1/sys/unseal" 2>/dev/null || true`,
        `    done`,
        `    echo "lakeforge unsealer: submitted unseal keys"`,
        `  fi`,
        `  sleep ${UNSEAL_POLL_SECONDS}`,
        `done`,
    ].join("\n");
}

/** The body of one unseal key file. */
export function unsealKeyFile(key: string): string {
    return JSON.stringify({ key });
}

/**
 * A small service, on the server's own image, that keeps the server unsealed without a human.
 * It holds `threshold` keys as secret files: the trade of Vault's auto-unseal (a KMS or transit
 * seal holds the key elsewhere), made explicit by `components.secrets.autoUnseal`.
 * Healthy means the server is unsealed and active, which is what its clients need.
 */
export function unsealerSpec(
    name: string,
    server: { name: string; port: number },
    engine: SecretsEngine,
    image: string,
    keys: readonly pulumi.Input<string>[],
): ServiceSpec {
    const serverUrl = `http://${server.name}:${server.port}`;
    return {
        name,
        image,
        command: ["sh", "-c", renderUnsealerScript(serverUrl)],
        env: {},
        secretEnv: {},
        files: keys.map((content, i) => ({ path: `${UNSEAL_KEY_DIR}/key-${i}.json`, content, secret: true })),
        ports: [],
        volumes: [],
        healthCheck: {
            command: ["wget", "-q", "-O", "/dev/null", `${serverUrl}/v1/sys/health`],
            intervalSeconds: UNSEAL_POLL_SECONDS,
            timeoutSeconds: 5,
            // Two misses in a row: the status follows a sealed server within seconds.
            retries: 2,
            // A raft node elects itself a moment after unsealing; failures before count for nothing.
            startPeriodSeconds: 30,
        },
        resources: { memoryMb: 32, cpus: 0.1 },
        user: ENGINE_LAYOUT[engine].user,
        capabilities: [],
        readOnlyRootFilesystem: true,
        // The image declares its log and data directories volumes; the unsealer uses neither.
        scratchPaths: [ENGINE_LAYOUT[engine].logDir, ENGINE_LAYOUT[engine].dataDir],
        afterBootstrap: true,
    };
}
