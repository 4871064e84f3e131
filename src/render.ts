/*
 * `npm run render -- --stack <name> --format compose [--out <dir>]`: the stack's ServiceSpecs as a
 * docker compose project, for users who want a compose file and as the benchmark's baseline.
 * The program is evaluated offline (no engine, no Docker): Pulumi's mock monitor stands in for the
 * engine and generates each RandomPassword for real, so the export runs as is. It holds those
 * credentials in files under `secrets/` (directory mode 700); the bootstrap (databases, roles,
 * buckets, Vault init) is what `pulumi up` adds and an export does not have.
 */
import { randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import bcrypt from "bcryptjs";
import { parse, stringify } from "yaml";
import { composePlatform } from "../stacks/platform";
import { parseConfig } from "./config";
import { ComposeRuntime, renderCompose } from "./runtime/compose";

const ALPHABET = { lower: "abcdefghijklmnopqrstuvwxyz", upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", digits: "0123456789" };

/** A RandomPassword's result, from its inputs (length, upper, special), with a CSPRNG. */
function generate(inputs: Record<string, unknown>): string {
    const chars = ALPHABET.lower + ALPHABET.digits + (inputs["upper"] === false ? "" : ALPHABET.upper);
    return Array.from({ length: Number(inputs["length"] ?? 32) }, () => chars[randomInt(chars.length)]).join("");
}

function option(args: readonly string[], name: string): string | undefined {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main(args: readonly string[]): Promise<void> {
    const stack = option(args, "stack");
    const format = option(args, "format") ?? "compose";
    if (stack === undefined) throw new Error("usage: npm run render -- --stack <name> --format compose [--out <dir>]");
    if (format !== "compose") throw new Error(`--format: expected "compose", found "${format}"`);
    const home =
        process.env["LAKEFORGE_HOME"] ??
        path.join(process.env["XDG_STATE_HOME"] ?? path.join(process.env["HOME"] ?? ".", ".local", "state"), "lakeforge");
    const out = path.resolve(option(args, "out") ?? path.join(home, "render", stack));

    const doc = parse(fs.readFileSync(`Pulumi.${stack}.yaml`, "utf8")) as { config?: Record<string, unknown> };
    const all = Object.fromEntries(Object.entries(doc.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    const config = parseConfig(all, stack);
    if (config.target !== "docker") throw new Error(`lakeforge:target: the compose export needs "docker", found "${config.target}"`);

    await pulumi.runtime.setMocks(
        {
            newResource: (r) => {
                if (r.type !== "random:index/randomPassword:RandomPassword") return { id: `${r.name}-id`, state: r.inputs };
                const result = generate(r.inputs as Record<string, unknown>);
                return { id: "none", state: { ...r.inputs, result, bcryptHash: bcrypt.hashSync(result, 10) } };
            },
            call: (c) => {
                throw new Error(`render: unexpected provider call ${c.token}`);
            },
        },
        "lakeforge",
        stack,
    );
    const runtime = new ComposeRuntime(config.docker);
    composePlatform("docker", runtime, config.components);
    const { document, files } = renderCompose(await runtime.resolved(), config.docker);

    fs.mkdirSync(path.join(out, "secrets"), { recursive: true, mode: 0o700 });
    fs.chmodSync(out, 0o700);
    fs.mkdirSync(path.join(out, "configs"), { recursive: true });
    for (const f of files) {
        // Containers read these through bind mounts as their own (non-root) users: the files are
        // world-readable, and the 700 directories around them keep them private on the host.
        fs.rmSync(path.join(out, f.path), { force: true });
        fs.writeFileSync(path.join(out, f.path), f.content, { mode: 0o444 });
        fs.chmodSync(path.join(out, f.path), 0o444);
    }
    fs.writeFileSync(
        path.join(out, "compose.yaml"),
        `# Rendered by lakeforge from Pulumi.${stack}.yaml; credentials are in ./secrets.\n${stringify(document)}`,
    );
    console.log(
        `wrote ${path.join(out, "compose.yaml")} (${Object.keys(document["services"] as object).length} services; credentials in ${path.join(out, "secrets")})`,
    );
}

main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`render: error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
});
