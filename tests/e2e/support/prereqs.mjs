// What the end-to-end tier needs on this machine, checked before it runs: a pulumi CLI at least as new
// as the SDK, a resource plugin for every provider package the stack uses (docker or kubernetes) (at the exact version
// its npm package asks for: the engine loads no other), a Docker Engine, and the stand-in images.
// Prints one line per missing piece and exits 1, so CI can say loudly why the tier did not run.
// Usage: node tests/e2e/support/prereqs.mjs [stack]   (default e2e)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const repo = path.resolve(import.meta.dirname, "..", "..", "..");
const require = createRequire(path.join(repo, "package.json"));
const stack = process.argv[2] ?? "e2e";
const missing = [];
const sh = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const sdk = require("@pulumi/pulumi/package.json").version;
let plugins = [];
try {
    const cli = sh("pulumi", ["version"]).trim().replace(/^v/, "");
    const older = cli.localeCompare(sdk, undefined, { numeric: true }) < 0;
    if (older) missing.push(`pulumi CLI ${cli} is older than the SDK ${sdk}`);
    plugins = JSON.parse(sh("pulumi", ["plugin", "ls", "--json"]));
} catch (err) {
    missing.push(`no working pulumi CLI on PATH (${String(err.message).split("\n")[0]})`);
}
const config = readFileSync(path.join(repo, `Pulumi.${stack}.yaml`), "utf8");
const kubernetes = /^\s*lakeforge:target:\s*kubernetes\s*$/m.test(config);
// The stack's providers: every provider package its program loads.
for (const pkg of [kubernetes ? "@pulumi/kubernetes" : "@pulumi/docker", "@pulumi/postgresql", "@pulumi/random", "@pulumi/vault"]) {
    const meta = require(`${pkg}/package.json`);
    const name = meta.pulumi?.name ?? pkg.split("/")[1];
    const found = plugins.some((p) => p.kind === "resource" && p.name === name && p.version === meta.version);
    if (!found) {
        missing.push(`resource plugin ${name} v${meta.version} is not installed (pulumi plugin install resource ${name} ${meta.version})`);
    }
}
try {
    sh("docker", ["info", "--format", "{{.ServerVersion}}"]);
    // `image:` of a capability and the per-engine `images:` of the query engines; on the kind stack
    // the stand-ins its overrides name (the tier loads them from the Docker Engine into the cluster).
    const images = kubernetes
        ? Object.values(JSON.parse(readFileSync(path.join(repo, "tests/e2e/kind/overrides.json"), "utf8")).config).filter((v) =>
              v.startsWith("lakeforge-e2e/"),
          )
        : [...config.matchAll(/^\s+(?:image|trino|spark):\s*(\S+\/\S+:\S+)\s*$/gm)].map((m) => m[1]);
    for (const image of images) {
        try {
            sh("docker", ["image", "inspect", image]);
        } catch {
            missing.push(`image ${image} is not on the Docker Engine (build the stand-ins: bash tests/e2e/images/build.sh)`);
        }
    }
} catch {
    missing.push("no Docker Engine answers (docker info failed)");
}

// The smoke test's Spark step runs the Spark Connect client (Python) the way users run it.
const python = process.env.LAKEFORGE_PYTHON ?? "python3";
try {
    sh(python, ["-c", "import pyspark.sql.connect.session, pyiceberg.catalog.sql, psycopg2, pyarrow"]);
} catch {
    missing.push(
        `${python} lacks the smoke test's clients (pip install 'pyspark-client==4.1.2' 'pyiceberg[sql-postgres,pyarrow]==0.12.0', then set LAKEFORGE_PYTHON to that python)`,
    );
}

if (missing.length > 0) {
    for (const m of missing) console.log(`  - ${m}`);
    process.exit(1);
}
console.log(
    `end-to-end prerequisites for stack ${stack}: all present (pulumi >= ${sdk}, plugins, Docker Engine, images, Spark Connect client)`,
);
