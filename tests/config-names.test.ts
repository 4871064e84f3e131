import { describe, expect, it } from "vitest";
import { configProblems } from "./support/stack";

/* parseConfig's refusals of names (buckets, consumers, databases), sizes and runtime settings: one problem per case, worded for the user. */

describe("parseConfig errors: names, sizes and runtime settings", () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
        [
            "bad bucket name",
            { "lakeforge:target": "docker", "lakeforge:components": { objectStore: { buckets: [{ name: "Lake" }] } } },
            [
                "lakeforge:components.objectStore.buckets[0].name: expected an S3 bucket name (3-63 lowercase letters, digits, '.', '-'), found \"Lake\"",
            ],
        ],
        [
            "consumer on an unknown bucket",
            { "lakeforge:target": "docker", "lakeforge:components": { objectStore: { consumers: [{ name: "etl", bucket: "raw" }] } } },
            ['lakeforge:components.objectStore.consumers[0].bucket: expected one of the configured buckets (lake), found "raw"'],
        ],
        [
            "duplicate database",
            { "lakeforge:target": "docker", "lakeforge:components": { database: { databases: ["etl", "etl"] } } },
            ['lakeforge:components.database.databases[1]: expected a database name not already used by entry [0], found "etl"'],
        ],
        [
            "database named like the superuser",
            { "lakeforge:target": "docker", "lakeforge:components": { database: { databases: ["postgres"] } } },
            [
                'lakeforge:components.database.databases[0]: expected a database name other than "admin", "postgres", "template0", "template1", "iceberg_catalog", "polaris", "lakekeeper", "unity_catalog", "mlflow", "dagster", "airflow", "metastore" (used by the platform itself), found "postgres"',
            ],
        ],
        [
            "duplicate bucket and consumer",
            {
                "lakeforge:target": "docker",
                "lakeforge:components": {
                    objectStore: {
                        buckets: [{ name: "lake" }, { name: "lake" }],
                        consumers: [
                            { name: "etl", bucket: "lake" },
                            { name: "etl", bucket: "lake" },
                        ],
                    },
                },
            },
            [
                'lakeforge:components.objectStore.buckets[1].name: expected a bucket name not already used by entry [0], found "lake"',
                'lakeforge:components.objectStore.consumers[1].name: expected a consumer name not already used by entry [0], found "etl"',
            ],
        ],
        [
            "consumer named admin",
            { "lakeforge:target": "docker", "lakeforge:components": { objectStore: { consumers: [{ name: "admin", bucket: "lake" }] } } },
            [
                'lakeforge:components.objectStore.consumers[0].name: expected a consumer name other than "admin" (used by the platform itself), found "admin"',
            ],
        ],
        [
            "consumer name too short for an access key",
            { "lakeforge:target": "docker", "lakeforge:components": { objectStore: { consumers: [{ name: "ab", bucket: "lake" }] } } },
            [
                "lakeforge:components.objectStore.consumers[0].name: expected a consumer name (3-63 lowercase letters, digits, '-'), found \"ab\"",
            ],
        ],
        [
            "consumer named like the registry's own key",
            {
                "lakeforge:target": "docker",
                "lakeforge:components": {
                    objectStore: { consumers: [{ name: "registry", bucket: "lake" }] },
                    registry: { storage: "objectStore" },
                },
            },
            [
                'lakeforge:components.objectStore.consumers[0].name: expected a consumer name other than "registry" while registry (storage "objectStore") is enabled (its own key), found "registry"',
            ],
        ],
        [
            "lake bucket not configured",
            { "lakeforge:target": "docker", "lakeforge:components": { objectStore: { lakeBucket: "warehouse" } } },
            ['lakeforge:components.objectStore.lakeBucket: expected one of the configured buckets (lake), found "warehouse"'],
        ],
        [
            "threshold above shares",
            { "lakeforge:target": "docker", "lakeforge:components": { secrets: { keyShares: 3, keyThreshold: 4 } } },
            ["lakeforge:components.secrets.keyThreshold: expected a number <= keyShares (3), found 4"],
        ],
        [
            "registry on a disabled object store",
            {
                "lakeforge:target": "docker",
                "lakeforge:components": { objectStore: { enabled: false }, registry: { storage: "objectStore" } },
            },
            ['lakeforge:components.registry.storage: expected "volume" while objectStore.enabled is false, found "objectStore"'],
        ],
        [
            "memory too small",
            { "lakeforge:target": "docker", "lakeforge:components": { database: { resources: { memoryMb: 16, cpus: 1 } } } },
            ["lakeforge:components.database.resources.memoryMb: expected a number >= 64, found 16"],
        ],
        [
            "bind address not an IP",
            { "lakeforge:target": "docker", "lakeforge:docker": { bindAddress: "localhost" } },
            ['lakeforge:docker.bindAddress: expected an IPv4 address such as "127.0.0.1", found "localhost"'],
        ],
        [
            "remote Docker Engine",
            { "lakeforge:target": "docker", "lakeforge:docker": { host: "ssh://builder@ci-host" } },
            [
                'lakeforge:docker.host: expected a Docker Engine on this machine (unix://<socket>, npipe://<pipe> or tcp://127.0.0.1:<port>); a remote engine would publish ports on its host while bootstrap connects to this one, found "ssh://builder@ci-host"',
            ],
        ],
        [
            "port out of range",
            { "lakeforge:target": "docker", "lakeforge:docker": { ports: { registry: 70000 } } },
            ["lakeforge:docker.ports.registry: expected a number <= 65535, found 70000"],
        ],
        [
            "two services on one host port",
            { "lakeforge:target": "docker", "lakeforge:docker": { ports: { registry: 5432 } } },
            ["lakeforge:docker.ports.registry: expected a host port not already used by ports.database, found 5432"],
        ],
        [
            "settings for another target",
            { "lakeforge:target": "docker", "lakeforge:proxmox": { node: "pve" } },
            [
                'lakeforge:proxmox: expected no settings for a target the stack does not use (lakeforge:target is "docker"), found {"node":"pve"}',
            ],
        ],
    ];

    it.each(cases)("%s", (_name, config, expected) => {
        expect(configProblems(config)).toEqual(expected);
    });
});
