import { describe, expect, it } from "vitest";
import { DATABASE_DEFAULTS } from "../components/database/defaults";
import { OBJECT_STORE_DEFAULTS } from "../components/objectStore/defaults";
import { REGISTRY_DEFAULTS } from "../components/registry/defaults";
import { SECRETS_DEFAULTS } from "../components/secrets/defaults";
import { parseConfig } from "../src/config";
import { DOCKER_DEFAULTS } from "../src/runtime/docker-settings";
import { configProblems, stackConfig, toAllConfig } from "./support/stack";

describe("parseConfig defaults", () => {
    const config = parseConfig({ "lakeforge:target": "docker" }, "dev");

    it("enables the four foundation capabilities with their defaults", () => {
        expect(config.target).toBe("docker");
        const c = config.components;
        expect(c.database).toEqual({ enabled: true, engine: DATABASE_DEFAULTS.engine, databases: [...DATABASE_DEFAULTS.databases] });
        expect(c.objectStore.region).toBe(OBJECT_STORE_DEFAULTS.region);
        expect(c.objectStore.buckets).toEqual([{ name: "lake", prefixes: ["bronze", "silver", "gold"] }]);
        expect(c.objectStore.consumers).toEqual([{ name: "lakehouse", bucket: "lake", prefix: "" }]);
        expect(c.secrets).toMatchObject({
            enabled: true,
            engine: "vault",
            kvMount: SECRETS_DEFAULTS.kvMount,
            keyShares: 1,
            keyThreshold: 1,
            appRole: "ci",
        });
        expect(c.registry).toMatchObject({
            enabled: true,
            engine: "distribution",
            username: REGISTRY_DEFAULTS.username,
            storage: "volume",
        });
    });

    it("keeps the roadmap capabilities disabled", () => {
        for (const key of ["catalog", "metastore", "queryEngine", "orchestrator", "logging"] as const) {
            expect(config.components[key].enabled).toBe(false);
        }
    });

    it("binds published ports to loopback with the seeds' port numbers", () => {
        expect(config.target === "docker" && config.docker).toEqual({ ...DOCKER_DEFAULTS, ports: { ...DOCKER_DEFAULTS.ports } });
        expect(DOCKER_DEFAULTS.bindAddress).toBe("127.0.0.1");
    });

    it("accepts every shipped docker stack file", () => {
        expect(() => parseConfig(stackConfig("dev"), "dev")).not.toThrow();
    });
});

describe("parseConfig errors", () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
        ["missing target", {}, ['lakeforge:target: expected one of "docker", "kubernetes", "proxmox", found nothing']],
        [
            "misspelled target",
            { "lakeforge:target": "dokcer" },
            ['lakeforge:target: expected one of "docker", "kubernetes", "proxmox", found "dokcer"'],
        ],
        [
            "proxmox target without its settings",
            { "lakeforge:target": "proxmox" },
            [
                "lakeforge:proxmox.endpoint: expected a string, found nothing",
                "lakeforge:proxmox.node: expected a string, found nothing",
                "lakeforge:proxmox.apiToken: expected a string, found nothing",
                "lakeforge:proxmox.ssh: expected an object, found nothing",
                "lakeforge:proxmox.storage: expected an object, found nothing",
                "lakeforge:proxmox.network: expected an object, found nothing",
                "lakeforge:proxmox.services: expected an object, found nothing",
                "lakeforge:proxmox.volumeOwner: expected a number, found nothing",
            ],
        ],
        [
            "unknown top-level key",
            { "lakeforge:target": "docker", "lakeforge:componets": {} },
            [
                "lakeforge:componets: unknown key (expected one of: lakeforge:target, lakeforge:components, lakeforge:docker, lakeforge:kubernetes, lakeforge:proxmox), found {}",
            ],
        ],
        [
            "unknown engine",
            { "lakeforge:target": "docker", "lakeforge:components": { objectStore: { engine: "s3fs" } } },
            ['lakeforge:components.objectStore.engine: expected one of "seaweedfs", "minio", "garage", found "s3fs"'],
        ],
        [
            "typo in a capability key",
            { "lakeforge:target": "docker", "lakeforge:components": { objectstore: {} } },
            [
                "lakeforge:components.objectstore: unknown key (expected one of: database, objectStore, secrets, registry, catalog, metastore, queryEngine, orchestrator, logging, modelRegistry), found {}",
            ],
        ],
        [
            "typo in a setting",
            { "lakeforge:target": "docker", "lakeforge:components": { database: { databse: ["x"] } } },
            [
                'lakeforge:components.database.databse: unknown key (expected one of: enabled, engine, image, resources, databases), found ["x"]',
            ],
        ],
        [
            "enabled as a string",
            { "lakeforge:target": "docker", "lakeforge:components": { registry: { enabled: "yes" } } },
            ['lakeforge:components.registry.enabled: expected true or false, found "yes"'],
        ],
        [
            "negative workers",
            { "lakeforge:target": "docker", "lakeforge:components": { queryEngine: { workers: -1 } } },
            ["lakeforge:components.queryEngine.workers: expected a number >= 0, found -1"],
        ],
        [
            "metastore without its database",
            { "lakeforge:target": "docker", "lakeforge:components": { metastore: { enabled: true }, database: { enabled: false } } },
            [
                "lakeforge:components.metastore.enabled: expected false while database.enabled is false (metastore keeps its schema in the database and its tables in the lake bucket), found true",
            ],
        ],
        [
            "query engine without a catalog",
            { "lakeforge:target": "docker", "lakeforge:components": { queryEngine: { enabled: true } } },
            [
                "lakeforge:components.queryEngine.enabled: expected false while catalog.enabled is false (queryEngine reads and writes the catalog's tables), found true",
            ],
        ],
        [
            "catalog without a database or object store",
            {
                "lakeforge:target": "docker",
                "lakeforge:components": {
                    catalog: { enabled: true },
                    database: { enabled: false },
                    objectStore: { enabled: false },
                    registry: { storage: "volume" },
                },
            },
            [
                "lakeforge:components.catalog.enabled: expected false while database.enabled is false (catalog keeps its entries in the database and its tables in the lake bucket), found true",
                "lakeforge:components.catalog.enabled: expected false while objectStore.enabled is false (catalog keeps its entries in the database and its tables in the lake bucket), found true",
            ],
        ],
        [
            "consumer named like the query engine's own key",
            {
                "lakeforge:target": "docker",
                "lakeforge:components": {
                    catalog: { enabled: true },
                    queryEngine: { enabled: true },
                    objectStore: { consumers: [{ name: "trino", bucket: "lake" }] },
                },
            },
            [
                'lakeforge:components.objectStore.consumers[0].name: expected a consumer name other than "trino" while queryEngine is enabled (its own key), found "trino"',
            ],
        ],
        [
            "catalog name that is no identifier",
            { "lakeforge:target": "docker", "lakeforge:components": { catalog: { enabled: true, name: "my-lake" } } },
            [
                "lakeforge:components.catalog.name: expected a catalog name (lowercase letters, digits, '_', starting with a letter), found \"my-lake\"",
            ],
        ],
        [
            "unpinned image",
            { "lakeforge:target": "docker", "lakeforge:components": { database: { image: "postgres" } } },
            ['lakeforge:components.database.image: expected an image pinned by tag or digest (no tag means latest), found "postgres"'],
        ],
        [
            "latest image",
            { "lakeforge:target": "docker", "lakeforge:components": { database: { image: "postgres:latest" } } },
            ['lakeforge:components.database.image: expected an image pinned to a version, not latest, found "postgres:latest"'],
        ],
    ];

    it.each(cases)("%s", (_name, config, expected) => {
        expect(configProblems(config)).toEqual(expected);
    });

    it("reports every problem at once, not just the first", () => {
        const found = configProblems({
            "lakeforge:target": "docker",
            "lakeforge:components": { database: { engine: "mysql" }, registry: { enabled: "no" } },
            "lakeforge:docker": { network: "Bad_Name" },
        });
        expect(found).toHaveLength(3);
    });

    it("throws a ConfigError whose message lists each problem on its own line", () => {
        expect(() =>
            parseConfig(toAllConfig({ "lakeforge:target": "docker", "lakeforge:components": { objectStore: { engine: "s3fs" } } }), "dev"),
        ).toThrow(
            /invalid lakeforge config \(1 problem\):\n {2}- lakeforge:components\.objectStore\.engine: expected one of "seaweedfs", "minio", "garage", found "s3fs"/,
        );
    });
});
