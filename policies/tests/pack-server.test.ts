/**
 * Builds the pack and serves it the way the Pulumi CLI does (`run-policy-pack` from the pack
 * directory, SDKs resolved from the root node_modules), then talks to it over the analyzer gRPC
 * API: metadata, stack config and a preview-time resource with unknown and secret inputs.
 */
import { execFileSync, spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import { loadStackConfig, type StackPolicyConfig } from "../evaluate";
import { rules } from "../rules";
import { UNKNOWN_SENTINELS } from "../lib/inputs";

const PACK = path.resolve(__dirname, "..");
const ROOT = path.resolve(PACK, "..");
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const LEVELS = {
    advisory: analyzer.EnforcementLevel.ADVISORY,
    mandatory: analyzer.EnforcementLevel.MANDATORY,
    disabled: analyzer.EnforcementLevel.DISABLED,
} as const;

let pack: ChildProcess | undefined;
let client: AnalyzerClient;

function unary<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));
}

function configure(config: StackPolicyConfig): Promise<unknown> {
    const request = new analyzer.ConfigureAnalyzerRequest();
    for (const [name, settings] of Object.entries(config)) {
        const { enforcementLevel = "mandatory", ...own } = typeof settings === "string" ? { enforcementLevel: settings } : settings;
        const entry = new analyzer.PolicyConfig();
        entry.setEnforcementlevel(LEVELS[enforcementLevel as keyof typeof LEVELS]);
        entry.setProperties(Struct.fromJavaScript(own as Record<string, JavaScriptValue>));
        request.getPolicyconfigMap().set(name, entry);
    }
    return unary(client.configure, request);
}

async function analyze(type: string, props: Record<string, JavaScriptValue>): Promise<string[]> {
    const request = new analyzer.AnalyzeRequest();
    request.setType(type);
    request.setName("svc");
    request.setUrn(`urn:pulumi:dev::lakeforge::${type}::svc`);
    request.setProperties(Struct.fromJavaScript(props));
    const options = new analyzer.AnalyzerResourceOptions();
    options.setCustomtimeouts(new analyzer.AnalyzerResourceOptions.CustomTimeouts());
    request.setOptions(options);
    const response = await unary<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze, request);
    return response
        .getDiagnosticsList()
        .map((d) => `${d.getPolicyname()} ${d.getEnforcementlevel() === LEVELS.mandatory ? "mandatory" : "advisory"}`);
}

describe("the built pack served by run-policy-pack", () => {
    beforeAll(async () => {
        const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
        execFileSync(process.execPath, [tsc, "-p", path.join(PACK, "tsconfig.build.json")], { stdio: "pipe" });
        expect(fs.existsSync(path.join(PACK, "bin", "index.js"))).toBe(true);
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK] });
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: PACK, stdio: ["ignore", "pipe", "pipe"] });
        pack = child;
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            let err = "";
            child.stdout?.on("data", (d: Buffer) => {
                out += d.toString();
                const match = /^(\d+)\s*$/m.exec(out);
                if (match?.[1] !== undefined) resolve(match[1]);
            });
            child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
            child.on("exit", (code) => reject(new Error(`pack exited with ${String(code)}: ${err}`)));
        });
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    }, 120_000);

    afterAll(() => {
        client?.close();
        if (pack?.pid !== undefined && pack.exitCode === null) process.kill(pack.pid);
    });

    it("announces every rule with its severity, remediation and category tag", async () => {
        const info = await unary<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
        expect(info.getName()).toBe("lakeforge");
        const policies = info.getPoliciesList();
        expect(policies.map((p) => p.getName())).toEqual(rules.map((r) => r.name));
        for (const policy of policies) {
            expect(policy.getRemediationSteps().length, policy.getName()).toBeGreaterThan(0);
            expect(policy.getTagsList()).toHaveLength(1);
        }
    });

    it("checks a preview-time container with unknown and secret inputs under the dev config", async () => {
        await configure(loadStackConfig("dev"));
        const unknown = UNKNOWN_SENTINELS.string;
        const careful = await analyze("docker:index/container:Container", {
            image: "postgres:16.4-alpine",
            envs: ["POSTGRES_USER=lakeforge", unknown],
            ports: [{ internal: 5432, ip: unknown }],
            volumes: [{ volumeName: unknown, containerPath: "/var/lib/postgresql/data" }],
            memory: 512,
            user: "70:70",
            healthcheck: { tests: ["CMD", "pg_isready"] },
            logOpts: { "max-size": "10m" },
            capabilities: { drops: ["ALL"] },
            securityOpts: [unknown],
        });
        expect(careful).toEqual(["image-pinned-by-digest advisory"]);
        const careless = await analyze("docker:index/container:Container", {
            image: "postgres:16.4-alpine",
            envs: [{ ...SECRET_SIG, value: "POSTGRES_PASSWORD=postgres" }],
            ports: [{ internal: 5432, ip: "0.0.0.0" }],
        });
        expect(careless.filter((d) => d.endsWith("mandatory"))).toEqual([
            "docker-ports-bound-to-host-address mandatory",
            "no-well-known-credentials mandatory",
        ]);
    });

    it("applies rule settings from the stack config", async () => {
        const nodePort = { spec: { type: "NodePort" } };
        await configure(loadStackConfig("kind"));
        expect(await analyze("kubernetes:core/v1:Service", nodePort)).toEqual([]);
        await configure(loadStackConfig("prod"));
        expect(await analyze("kubernetes:core/v1:Service", nodePort)).toEqual(["kubernetes-service-internal-only mandatory"]);
    });
});
