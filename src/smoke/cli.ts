import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { runSmoke, SmokeFailure } from "./steps";

/*
 * npm run smoke -- --stack <name>   the stack's clientEnv, read with `npm run outputs`
 * npm run smoke                     the clientEnv variables already in this process's environment
 *                                   (e.g. exported from Vault's client-env in CI)
 * Prints one line per step; exits 1 naming the step that failed.
 */

function stackEnv(stack: string): Record<string, string> {
    const repo = path.resolve(__dirname, "..", "..", "..");
    const out = execFileSync(
        "bash",
        [path.join(repo, "scripts", "pulumi.sh"), "stack", "output", "clientEnv", "--json", "--show-secrets", "--stack", stack],
        {
            cwd: repo,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
        },
    );
    return JSON.parse(out) as Record<string, string>;
}

async function main(argv: readonly string[]): Promise<number> {
    const i = argv.findIndex((a) => a === "--stack" || a === "-s");
    const stack = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--stack="))?.slice("--stack=".length);
    const env = stack === undefined ? process.env : stackEnv(stack);
    console.log(`lakeforge smoke: ${stack === undefined ? "clientEnv from the environment" : `stack ${stack}`}`);
    try {
        await runSmoke(env, (r) => console.log(`${r.ok ? "ok  " : "FAIL"} ${r.step} (${r.seconds.toFixed(1)} s): ${r.detail}`));
    } catch (err) {
        console.error(`lakeforge smoke: ${err instanceof SmokeFailure ? err.message : String(err)}`);
        return 1;
    }
    console.log("lakeforge smoke: passed");
    return 0;
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
