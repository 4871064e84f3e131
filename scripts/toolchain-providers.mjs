#!/usr/bin/env node
// Lists the resource plugins the installed npm packages need, joined with their pins in
// toolchain/providers.json, one '|'-separated line per plugin for scripts/toolchain.sh:
//   name|version|module|moduleVersion|moduleSum|versionVar|upstreamModule|upstreamVersion|upstreamSum|problem
// A plugin without a manifest entry, or pinned at another version, gets a 'problem' so that
// adding or bumping a provider package cannot silently skip its plugin.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const repo = process.argv[2];
const manifest = JSON.parse(readFileSync(join(repo, "toolchain/providers.json"), "utf8")).providers;

// Same rule as the engine: every package under node_modules (nested too) whose package.json
// says {"pulumi": {"resource": true}} needs plugin <pulumi.name || name without @pulumi/>.
const needed = new Map();
function scan(nodeModules) {
    if (!existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules)) {
        if (entry.startsWith(".")) continue;
        const dirs = entry.startsWith("@")
            ? readdirSync(join(nodeModules, entry)).map((e) => join(nodeModules, entry, e))
            : [join(nodeModules, entry)];
        for (const dir of dirs) {
            const file = join(dir, "package.json");
            if (!existsSync(file)) continue;
            const pkg = JSON.parse(readFileSync(file, "utf8"));
            if (pkg.pulumi?.resource) {
                const name = pkg.pulumi.name || pkg.name.replace(/^@pulumi\//, "");
                const version = (pkg.pulumi.version || pkg.version).replace(/^v/, "");
                needed.set(`${name}@${version}`, { name, version, pkg: pkg.name });
            }
            scan(join(dir, "node_modules"));
        }
    }
}
scan(join(repo, "node_modules"));

for (const { name, version, pkg } of [...needed.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const pin = manifest[name];
    let problem = "";
    if (!pin) problem = `npm package ${pkg}@${version} needs plugin '${name}' but toolchain/providers.json has no entry for it`;
    else if (pin.version !== version) problem = `npm package ${pkg} is ${version} but toolchain/providers.json pins ${name} ${pin.version}`;
    else if (pin.blocked) problem = `cannot be built from Go module sources: ${pin.blocked}`;
    else if (!pin.module || !pin.moduleVersion || !pin.versionVar)
        problem = "toolchain/providers.json entry lacks module, moduleVersion or versionVar";
    const up = pin?.upstream?.version ? pin.upstream : {};
    const fields = [name, version, pin?.module, pin?.moduleVersion, pin?.moduleSum, pin?.versionVar];
    console.log([...fields, up.module, up.version, up.sum, problem].map((f) => f ?? "").join("|"));
}
