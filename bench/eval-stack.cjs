// Evaluates one shipped stack's program under Pulumi mocks (no engine, no Docker) and prints
// the milliseconds from process start to the last resource registered. Run from `npm run bench`.
const start = performance.now();
const fs = require("node:fs");
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const { parse } = require("yaml");

const stack = process.argv[2] ?? "dev";
const root = path.resolve(__dirname, "..");
let resources = 0;
void pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            resources++;
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => {
            throw new Error(`unexpected call ${args.token}`);
        },
    },
    "lakeforge",
    stack,
);
const doc = parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8"));
const all = Object.fromEntries(Object.entries(doc.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
const { parseConfig } = require(path.join(root, "bin/src/config.js"));
const { deployPlatform } = require(path.join(root, "bin/stacks/index.js"));
const outputs = deployPlatform(parseConfig(all, stack));
outputs.clientEnv.apply(async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    process.stdout.write(JSON.stringify({ stack, ms: Math.round(performance.now() - start), resources }) + "\n");
});
