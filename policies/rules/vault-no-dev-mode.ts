import type { Rule } from "../lib/rule";
import { inputsOf, UNKNOWN } from "../lib/inputs";
import { imageName } from "../lib/images";
import { processesOf, type Process } from "../lib/processes";

/** Images whose default command is `server -dev` (in-memory, unsealed, root token known). */
const VAULT_IMAGES = ["vault", "openbao"];
const DEV_ENV = /^(VAULT|BAO)_DEV_(ROOT_TOKEN_ID|LISTEN_ADDRESS)$/;
const DEV_FLAG = /^--?dev(-[a-z-]+)?(=.*)?$/;

/** Strips shell quotes around a word: `'-dev'` -> `-dev`. */
function unquote(word: string): string {
    return word.replace(/^['"]+|['"]+$/g, "");
}

/** Why a process runs Vault in dev mode, or undefined when it does not. */
function devModeReason(p: Process): { field: string; found: string } | undefined {
    const dev = p.env.find((e) => DEV_ENV.test(e.name));
    if (dev !== undefined) return { field: dev.field, found: `${dev.name} set` };
    if (p.argv === UNKNOWN) return undefined;
    const words = p.argv.flatMap((a) => (typeof a === "string" ? a.split(/\s+/).map(unquote) : []));
    if (words.includes("server") && words.some((w) => DEV_FLAG.test(w))) {
        return { field: p.argvField, found: `"${words.join(" ")}"` };
    }
    const image = typeof p.image === "string" ? imageName(p.image) : "";
    if (p.argv.length === 0 && VAULT_IMAGES.includes(image)) {
        return { field: p.argvField, found: `absent, so the ${image} image runs its default "server -dev"` };
    }
    return undefined;
}

/** Vault/OpenBao runs in server mode with persistent storage, never dev mode. */
export const vaultNoDevMode: Rule = {
    name: "vault-no-dev-mode",
    description:
        "Vault and OpenBao never run in dev mode (`server -dev`, VAULT_DEV_ROOT_TOKEN_ID, or the image's default " +
        "command): dev mode keeps secrets in memory, starts unsealed and has a known root token.",
    severity: "critical",
    category: "credentials",
    remediationSteps:
        "Run `server -config=/vault/config/vault.hcl` with file or raft storage on a named volume/PVC, remove " +
        "every VAULT_DEV_*/BAO_DEV_* variable, and let the stack initialize and unseal Vault.",
    validateResource: (args, reportViolation) => {
        for (const p of processesOf(args.type, inputsOf(args))) {
            const reason = devModeReason(p);
            if (reason !== undefined) {
                reportViolation(`${reason.field}: expected Vault in server mode with a config file, found ${reason.found} (${p.label}).`);
            }
        }
    },
};
