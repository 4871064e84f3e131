import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { expect } from "vitest";
import type { DockerClient } from "./clients";
import type { AppRole } from "./secrets";

/** The repository root. */
export const REPO = path.resolve(__dirname, "..", "..", "..");

/** A stack of the real program, on a throwaway local backend, driven through the Automation API. */
export interface E2eStack {
    readonly stack: Stack;
    readonly name: string;
    /** Flags every deployment passes, as `npm run up` does: the policy pack with the stack's config. */
    readonly policy: { policyPacks: string[]; policyPackConfigs: string[] };
    /** Runs the pulumi CLI in the workspace, as a user at a shell would. */
    pulumi(args: readonly string[]): string;
    /** `pulumi stack export` as a user would run it (secrets stay encrypted), as text. */
    exportEncrypted(): string;
    /** Removes the workspace and its backend (not the deployed resources). */
    cleanup(): void;
}

/**
 * Opens `Pulumi.<name>.yaml` of the repository as a new stack in a scratch workspace: the
 * project and stack files are copied there (stack creation writes a salt into the stack file, which
 * must not touch the committed one), the compiled program and node_modules are linked.
 */
export async function openStack(name: string): Promise<E2eStack> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `lakeforge-e2e-${name}-`));
    for (const file of ["Pulumi.yaml", `Pulumi.${name}.yaml`, "package.json"])
        fs.copyFileSync(path.join(REPO, file), path.join(work, file));
    for (const dir of ["bin", "node_modules"]) fs.symlinkSync(path.join(REPO, dir), path.join(work, dir));
    fs.mkdirSync(path.join(work, ".state"));
    const envVars = {
        PULUMI_BACKEND_URL: `file://${path.join(work, ".state")}`,
        PULUMI_CONFIG_PASSPHRASE: "lakeforge-e2e",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const stack = await LocalWorkspace.createStack({ stackName: name, workDir: work }, { envVars });
    const pulumiIn = (args: readonly string[]) =>
        execFileSync("pulumi", [...args], {
            cwd: work,
            env: { ...process.env, ...envVars },
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
        });
    return {
        stack,
        name,
        policy: { policyPacks: [path.join(REPO, "policies")], policyPackConfigs: [path.join(REPO, "policies", "config", `${name}.json`)] },
        pulumi: (args) => pulumiIn(args),
        // The Automation API's exportStack decrypts secrets (--show-secrets); users' exports do not.
        exportEncrypted: () => pulumiIn(["stack", "export", "--stack", name]),
        cleanup: () => fs.rmSync(work, { recursive: true, force: true }),
    };
}

/** Brings the stack up from nothing with the policy pack, logs how long it took, and returns the outputs users read (clientEnv, secret). */
export async function coldUp(e2e: E2eStack, tier: string): Promise<{ env: Record<string, string>; ciAppRole: AppRole }> {
    const started = Date.now();
    const up = await e2e.stack.up({ ...e2e.policy });
    console.log(`${tier}: cold up took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs["clientEnv"]?.secret).toBe(true);
    return { env: up.outputs["clientEnv"]?.value as Record<string, string>, ciAppRole: up.outputs["ciAppRole"]?.value as AppRole };
}

/** A preview with the policy pack proposes no change (its diff shown if it does). */
export async function expectCleanPreview(e2e: E2eStack): Promise<void> {
    const preview = await e2e.stack.preview({ ...e2e.policy, diff: true });
    expect(changesOf(preview.changeSummary), preview.stdout).toEqual({});
}

/** Unless LAKEFORGE_E2E_KEEP=1: destroys the stack, sweeps what the target leaves beside it, removes the docker config and the workspace. */
export async function tearDown(e2e: E2eStack | undefined, docker: DockerClient, sweep: () => void = () => undefined): Promise<void> {
    if (process.env["LAKEFORGE_E2E_KEEP"] === "1") return;
    await e2e?.stack.destroy().catch(() => undefined);
    sweep();
    docker.cleanup();
    e2e?.cleanup();
}

/** A file's content inside a running container. */
export function containerFile(container: string, file: string): string {
    return run("docker", ["exec", container, "cat", file]);
}

/** Runs a command (in `env`, else this process's environment) and returns its stdout; fails with its stderr. */
export function run(cmd: string, args: readonly string[], input?: string, env?: NodeJS.ProcessEnv): string {
    return execFileSync(cmd, args, { input, env, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

/** Runs a command and returns whether it succeeded, with its combined output. */
export function attempt(cmd: string, args: readonly string[], input?: string, env?: NodeJS.ProcessEnv): { ok: boolean; output: string } {
    try {
        return { ok: true, output: run(cmd, args, input, env) };
    } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

/** Polls `check` until it returns true or `seconds` pass. */
export async function waitFor(what: string, seconds: number, check: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        if (await check()) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 1000));
    }
}

/** A container's health status as Docker reports it. */
export function health(container: string): string {
    return attempt("docker", [
        "inspect",
        "-f",
        "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}",
        container,
    ]).output.trim();
}

/** Kills a container's main process with SIGKILL from the host, as a crash or the OOM killer would. */
export function killProcess(container: string): void {
    const pid = run("docker", ["inspect", "-f", "{{.State.Pid}}", container]).trim();
    process.kill(Number(pid), "SIGKILL");
}

/** Resource changes other than "same" in a preview or refresh summary. */
export function changesOf(summary: Record<string, number | undefined> | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(summary ?? {}).filter(([op, n]) => op !== "same" && (n ?? 0) > 0)) as Record<string, number>;
}
