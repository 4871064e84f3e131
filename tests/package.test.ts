import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/stack";

describe("the lakeforge package", () => {
    it("points main and types at the compiled library entry and the program at the compiled program", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main: string; types: string; name: string };
        expect(pkg.name).toBe("lakeforge");
        expect(pkg.main).toBe("bin/src/index.js");
        expect(pkg.types).toBe("bin/src/index.d.ts");
        const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")) as {
            compilerOptions: { outDir: string; rootDir: string };
        };
        expect(`${tsconfig.compilerOptions.outDir}/src/index.ts`.replace(/\.ts$/, ".js")).toBe(pkg.main);
        const project = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
        expect(project).toMatch(/^name: lakeforge$/m);
        expect(project).toMatch(/^main: bin\/src\/program\.js$/m);
        expect(fs.existsSync(path.join(ROOT, "src", "program.ts"))).toBe(true);
    });

    it("exports the capabilities, the runtime seam and the config parser for other programs", async () => {
        const lib = await import("../src/index");
        for (const name of [
            "Database",
            "ObjectStore",
            "Secrets",
            "Registry",
            "Catalog",
            "QueryEngine",
            "ModelRegistry",
            "Orchestrator",
            "Logging",
            "Metastore",
            "DockerRuntime",
            "parseConfig",
            "composePlatform",
            "dockerSettingsSchema",
        ] as const) {
            expect(typeof lib[name]).not.toBe("undefined");
        }
        expect(Object.keys(lib.IMAGES).sort()).toEqual([
            "airflow",
            "alloy",
            "dagster",
            "distribution",
            "garage",
            "hive",
            "lakekeeper",
            "loki",
            "minio",
            "mlflow",
            "openbao",
            "polaris",
            "postgres",
            "seaweedfs",
            "spark",
            "trino",
            "unityCatalog",
            "vault",
        ]);
    });
});
