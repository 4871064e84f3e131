import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppRoleLogin, Secrets as SecretsType } from "../components/secrets";
import { installMocks, isSecretInput, one, ofType, plain, resolve, settle, type Recorded } from "./support/mocks";
import { RecordingRuntime } from "./support/runtime";

let recorded: Recorded[];
let runtime: RecordingRuntime;
let secrets: SecretsType;
let login: AppRoleLogin;

beforeAll(async () => {
    recorded = installMocks();
    const { Secrets } = await import("../components/secrets");
    runtime = new RecordingRuntime();
    secrets = new Secrets("vault", { runtime });
    const stored = secrets.store("database/app", { PGPASSWORD: pulumi.secret("pw") });
    login = secrets.appRole("ci", [stored]);
    new Secrets("openbao", { runtime, engine: "openbao", kvMount: "platform" });
    await resolve(login.secretId);
    await settle();
});

const INIT = "pulumi-nodejs:dynamic/lakeforge:VaultInit";
const UNSEAL = "pulumi-nodejs:dynamic/lakeforge:VaultUnseal";

describe("Secrets (vault)", () => {
    it("runs the pinned image in server mode with raft storage on a volume, never dev mode", async () => {
        const { IMAGES } = await import("../src/images");
        const spec = runtime.spec("vault");
        expect(spec.image).toBe(IMAGES.vault);
        expect(spec.command).toEqual(["server"]);
        expect(spec.volumes).toEqual([{ name: "data", path: "/vault/file" }]);
        const config = spec.files.find((f) => f.path === "/vault/config/lakeforge.hcl");
        expect(config?.secret).toBe(false);
        // Raft, which both engines run: OpenBao 2.7 removed the file backend.
        expect(config?.content).toMatch(/storage "raft" \{\n {2}path {4}= "\/vault\/file"\n {2}node_id = "vault"\n\}/);
        expect(config?.content).toContain(`cluster_addr = "http://vault:8201"`);
        expect(spec.scratchPaths).toEqual(["/vault/logs"]);
        expect(JSON.stringify(spec)).not.toMatch(/-dev|VAULT_DEV_ROOT_TOKEN_ID/);
        expect(spec.user).toBe("100:1000");
        expect(spec.env["SKIP_SETCAP"]).toBe("true");
    });

    it("initializes once and unseals, holding keys and root token only as secrets", async () => {
        const init = one(recorded, INIT, "vault-init").inputs;
        expect(init).toMatchObject({ address: "http://127.0.0.1:48200", keyShares: 1, keyThreshold: 1 });
        const unseal = one(recorded, UNSEAL, "vault-unseal").inputs;
        expect(isSecretInput(unseal["keys"])).toBe(true);
        expect(plain(unseal["keys"])).toEqual(["unseal-key-vault-init"]);
        expect((await resolve(secrets.unsealKeys)).secret).toBe(true);
        expect(await resolve(secrets.access.token)).toEqual({ value: "root-token-vault-init", secret: true });
    });

    it("runs an unsealer on the server's image holding the threshold's keys only as secret files", async () => {
        const spec = runtime.spec("vault-unsealer");
        expect(spec.image).toBe(runtime.spec("vault").image);
        expect(spec.ports).toEqual([]);
        expect(spec.volumes).toEqual([]);
        expect(spec.files.map((f) => [f.path, f.secret])).toEqual([["/run/secrets/lakeforge-unseal/key-0.json", true]]);
        const [file] = spec.files;
        expect(await pulumi.isSecret(pulumi.output(file?.content))).toBe(true);
        expect(JSON.parse((await resolve(pulumi.output(file?.content as string))).value)).toEqual({ key: "unseal-key-vault-init" });
        // Healthy means unsealed and active: /v1/sys/health answers 200 only then.
        expect(spec.healthCheck.command).toEqual(["wget", "-q", "-O", "/dev/null", "http://vault:8200/v1/sys/health"]);
        // Keys are posted from their files, never put on a command line.
        const script = spec.command?.join(" ") ?? "";
        expect(script).toContain("--post-file");
        expect(script).not.toContain("unseal-key-vault-init");
        expect(spec.user).toBe("100:1000");
    });

    it("configures the vault provider with the secret root token and mounts KV v2", () => {
        const provider = one(recorded, "pulumi:providers:vault", "vault-admin").inputs;
        expect(provider["address"]).toBe("http://127.0.0.1:48200");
        expect(isSecretInput(provider["token"])).toBe(true);
        expect(one(recorded, "vault:index/mount:Mount", "vault-kv").inputs).toMatchObject({
            path: "lakeforge",
            type: "kv",
            options: { version: "2" },
        });
        expect(one(recorded, "vault:index/authBackend:AuthBackend", "vault-approle").inputs).toMatchObject({
            type: "approle",
            path: "approle",
        });
    });

    it("stores a consumer's credentials at one path with a read-only policy for it", () => {
        const secret = one(recorded, "vault:kv/secretV2:SecretV2", "vault-database-app").inputs;
        expect(secret["mount"]).toBe("lakeforge");
        expect(secret["name"]).toBe("database/app");
        expect(isSecretInput(secret["dataJson"])).toBe(true);
        expect(JSON.parse(plain<string>(secret["dataJson"]))).toEqual({ PGPASSWORD: "pw" });
        const policy = one(recorded, "vault:index/policy:Policy", "vault-database-app-read").inputs;
        expect(policy["name"]).toBe("lakeforge-database-app-read");
        expect(policy["policy"]).toBe(
            'path "lakeforge/data/database/app" {\n  capabilities = ["read"]\n}\npath "lakeforge/metadata/database/app" {\n  capabilities = ["read"]\n}\n',
        );
    });

    it("creates an AppRole for CI carrying exactly the given read policies, with a secret secret-id", async () => {
        const role = one(recorded, "vault:appRole/authBackendRole:AuthBackendRole", "vault-approle-ci").inputs;
        expect(role).toMatchObject({ backend: "approle", roleName: "ci", tokenPolicies: ["lakeforge-database-app-read"] });
        expect((await resolve(login.secretId)).secret).toBe(true);
        expect((await resolve(login.roleId)).value).toBe("role-id-vault-approle-ci");
    });
});

describe("Secrets (openbao)", () => {
    it("uses OpenBao's image and paths with the same API wiring", async () => {
        const { IMAGES } = await import("../src/images");
        const spec = runtime.spec("openbao");
        expect(spec.image).toBe(IMAGES.openbao);
        expect(spec.volumes).toEqual([{ name: "data", path: "/openbao/file" }]);
        expect(spec.files[0]?.path).toBe("/openbao/config/lakeforge.hcl");
        expect(spec.files[0]?.content).not.toContain("disable_mlock");
        expect(one(recorded, "vault:index/mount:Mount", "openbao-kv").inputs["path"]).toBe("platform");
        expect([...ofType(recorded, INIT), ...ofType(recorded, UNSEAL)].map((r) => r.name).sort()).toEqual([
            "openbao-init",
            "openbao-unseal",
            "vault-init",
            "vault-unseal",
        ]);
    });
});

describe("renderServerConfig", () => {
    it("renders the vault server config (snapshot)", async () => {
        const { renderServerConfig } = await import("../components/secrets");
        expect(renderServerConfig("vault", "vault")).toMatchSnapshot();
    });
});
