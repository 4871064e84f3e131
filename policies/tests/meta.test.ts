import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { rules } from "../rules";
import { CATEGORIES, toPolicy, type Category } from "../lib/rule";
import { levelOf, loadStackConfig, STACKS, type Stack } from "../evaluate";
import { DOCKER, K8S, LAKEFORGE_PROXMOX, MINIO, POSTGRESQL, PROXMOX_LXC_TYPES, VAULT } from "../lib/types";
import { specs } from "./specs";

const PACK = path.resolve(__dirname, "..");
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SEVERITIES = ["low", "medium", "high", "critical"];

/** Categories that stay mandatory on workstation and local-cluster stacks. */
const MANDATORY_EVERYWHERE: readonly Category[] = ["exposure", "credentials", "least-privilege", "supply-chain"];

describe("rule metadata", () => {
    it("ships at least 20 rules", () => {
        expect(rules.length).toBeGreaterThanOrEqual(20);
    });

    it("has unique kebab-case names", () => {
        const names = rules.map((r) => r.name);
        expect(new Set(names).size).toBe(names.length);
        for (const name of names) expect(name).toMatch(KEBAB);
    });

    it("keeps one rule per file, named after the rule, all listed in rules/index.ts", async () => {
        const files = fs.readdirSync(path.join(PACK, "rules")).filter((f) => f !== "index.ts" && f.endsWith(".ts"));
        expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual(rules.map((r) => r.name).sort());
        for (const file of files) {
            const module = (await import(path.join(PACK, "rules", file))) as Record<string, { name?: string }>;
            const exported = Object.values(module);
            expect(exported).toHaveLength(1);
            expect(exported[0]?.name).toBe(file.replace(/\.ts$/, ""));
        }
    });

    it.each(rules.map((r) => [r.name, r] as const))("%s: description, severity, category, remediation", (_name, rule) => {
        expect(rule.description.length).toBeGreaterThan(40);
        expect(rule.description).toMatch(/\.$/);
        expect(SEVERITIES).toContain(rule.severity);
        expect(CATEGORIES).toContain(rule.category);
        expect(rule.remediationSteps.length).toBeGreaterThan(20);
        expect(Object.keys(rule.configSchema?.properties ?? {})).not.toContain("enforcementLevel");
    });

    it("hands PolicyPack policies with every descriptive field and a secure default level", () => {
        for (const rule of rules) {
            const policy = toPolicy(rule);
            expect(policy).toMatchObject({
                name: rule.name,
                description: rule.description,
                severity: rule.severity,
                remediationSteps: rule.remediationSteps,
                enforcementLevel: "mandatory",
                tags: [rule.category],
            });
            expect(policy).not.toHaveProperty("category");
        }
    });

    it("has a test spec for every rule, with passing fixtures and violation branches", () => {
        expect(specs.map((s) => s.rule.name).sort()).toEqual(rules.map((r) => r.name).sort());
        for (const spec of specs) {
            expect(spec.passing.length, spec.rule.name).toBeGreaterThan(0);
            expect(spec.violations.length, spec.rule.name).toBeGreaterThan(0);
        }
    });

    it("covers every target and bootstrap resource family named in the issue", () => {
        const tested = new Set(specs.flatMap((s) => s.passing.map((f) => f.type)));
        const families = [
            DOCKER.container,
            K8S.statefulSet,
            K8S.deployment,
            K8S.service,
            K8S.configMap,
            K8S.namespace,
            POSTGRESQL.role,
            VAULT.policy,
            MINIO.bucket,
            ...PROXMOX_LXC_TYPES,
            ...Object.values(LAKEFORGE_PROXMOX),
        ];
        for (const type of families) expect(tested, type).toContain(type);
    });
});

describe("stack configs", () => {
    it.each(STACKS.map((s) => [s] as const))("%s.json names only existing rules, every rule, with valid settings", (stack) => {
        const config = loadStackConfig(stack);
        const byName = new Map(rules.map((r) => [r.name, r]));
        expect(Object.keys(config).filter((k) => k !== "all" && !byName.has(k))).toEqual([]);
        expect(rules.filter((r) => config[r.name] === undefined).map((r) => r.name)).toEqual([]);
        for (const [name, settings] of Object.entries(config)) {
            const level = typeof settings === "string" ? settings : settings.enforcementLevel;
            expect(["advisory", "mandatory", "disabled"], name).toContain(level);
            if (typeof settings === "object") {
                const allowed = Object.keys(byName.get(name)?.configSchema?.properties ?? {});
                const own = Object.keys(settings).filter((k) => k !== "enforcementLevel");
                expect(
                    own.filter((k) => !allowed.includes(k)),
                    name,
                ).toEqual([]);
            }
        }
    });

    const expected = (stack: Stack, category: Category): string =>
        stack === "prod" || MANDATORY_EVERYWHERE.includes(category) ? "mandatory" : "advisory";

    it.each(STACKS.map((s) => [s] as const))("%s.json sets each rule's level from its category", (stack) => {
        const config = loadStackConfig(stack);
        for (const rule of rules) {
            expect(`${rule.name}: ${levelOf(rule, config)}`).toBe(`${rule.name}: ${expected(stack, rule.category)}`);
        }
    });

    it("allows NodePort Services on dev, e2e (the dev policy), kind and homelab (the dev policy; no Services there) only", () => {
        const setting = (stack: Stack): unknown => {
            const entry = loadStackConfig(stack)["kubernetes-service-internal-only"];
            return typeof entry === "object" ? entry["allowNodePort"] : undefined;
        };
        expect(STACKS.map((s) => [s, setting(s)])).toEqual([
            ["dev", true],
            ["e2e", true],
            ["prod", false],
            ["kind", true],
            ["homelab", true],
        ]);
    });
});

describe("pack files", () => {
    const read = (file: string): string => fs.readFileSync(path.join(PACK, file), "utf8");

    it("declares a nodejs policy pack whose main is the build output", () => {
        expect(read("PulumiPolicy.yaml")).toMatch(/^runtime: nodejs$/m);
        const pkg = JSON.parse(read("package.json")) as {
            name: string;
            main: string;
            version: string;
            dependencies: Record<string, string>;
        };
        expect(pkg.name).toBe("lakeforge-policies");
        expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(pkg.dependencies).toEqual({ "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.248.0" });
        const build = JSON.parse(read("tsconfig.build.json")) as { compilerOptions: { outDir: string } };
        expect(pkg.main).toBe(`${build.compilerOptions.outDir}/index.js`);
    });

    it("resolves the pinned SDK versions from the pack directory", () => {
        const version = (pkg: string): string =>
            (
                JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [PACK] }), "utf8")) as { version: string }
            ).version.replace(/^v/, "");
        expect(version("@pulumi/policy")).toBe("1.21.0");
        expect(version("@pulumi/pulumi")).toBe("3.248.0");
    });
});
