import { z } from "zod";
import { dnsLabel, port, strict } from "../schema";

/** Defaults of `lakeforge:docker`; each is mirrored in the README's config reference. */
export const DOCKER_DEFAULTS = {
    network: "lakeforge",
    namePrefix: "lakeforge",
    bindAddress: "127.0.0.1",
    ports: {
        database: 5432,
        objectStore: 9000,
        objectStoreConsole: 9001,
        secrets: 8200,
        registry: 5000,
        catalog: 8181,
        trino: 8080,
        sparkConnect: 15002,
        modelRegistry: 5050,
        orchestrator: 3000,
        logging: 3100,
        logShipping: 12201,
        metastore: 9083,
    },
} as const;

const ipv4 = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, {
    error: 'expected an IPv4 address such as "127.0.0.1"',
});

/** `lakeforge:docker`: where the Docker Engine is and how services are exposed on this host. */
export const dockerSettingsSchema = strict({
    /**
     * Docker Engine address; unset uses DOCKER_HOST or the local socket. Only an engine on this
     * machine: the bootstrap providers and clients reach services on ports published on
     * `bindAddress` here, which an engine on another host would publish there instead.
     */
    host: z
        .string()
        .regex(/^(unix:\/\/.+|npipe:\/\/.+|tcp:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?)$/, {
            error:
                "expected a Docker Engine on this machine (unix://<socket>, npipe://<pipe> or tcp://127.0.0.1:<port>); " +
                "a remote engine would publish ports on its host while bootstrap connects to this one",
        })
        .optional(),
    network: dnsLabel.default(DOCKER_DEFAULTS.network),
    namePrefix: dnsLabel.default(DOCKER_DEFAULTS.namePrefix),
    bindAddress: ipv4.default(DOCKER_DEFAULTS.bindAddress),
    ports: strict({
        database: port.default(DOCKER_DEFAULTS.ports.database),
        objectStore: port.default(DOCKER_DEFAULTS.ports.objectStore),
        objectStoreConsole: port.default(DOCKER_DEFAULTS.ports.objectStoreConsole),
        secrets: port.default(DOCKER_DEFAULTS.ports.secrets),
        registry: port.default(DOCKER_DEFAULTS.ports.registry),
        catalog: port.default(DOCKER_DEFAULTS.ports.catalog),
        trino: port.default(DOCKER_DEFAULTS.ports.trino),
        sparkConnect: port.default(DOCKER_DEFAULTS.ports.sparkConnect),
        modelRegistry: port.default(DOCKER_DEFAULTS.ports.modelRegistry),
        orchestrator: port.default(DOCKER_DEFAULTS.ports.orchestrator),
        /** Loki's HTTP API (`LOKI_URL`). */
        logging: port.default(DOCKER_DEFAULTS.ports.logging),
        /** UDP port the engine sends every container's output to (GELF) while logging is enabled. */
        logShipping: port.default(DOCKER_DEFAULTS.ports.logShipping),
        /** Hive metastore's Thrift port (`HIVE_METASTORE_URI`). */
        metastore: port.default(DOCKER_DEFAULTS.ports.metastore),
    }).prefault({}),
}).superRefine((settings, ctx) => {
    const seen = new Map<number, string>();
    for (const [key, value] of Object.entries(settings.ports)) {
        const other = seen.get(value);
        if (other !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["ports", key],
                input: value,
                message: `expected a host port not already used by ports.${other}`,
            });
        }
        seen.set(value, key);
    }
});

/** Validated `lakeforge:docker` settings. */
export type DockerSettings = z.infer<typeof dockerSettingsSchema>;
