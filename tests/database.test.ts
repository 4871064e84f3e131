import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database as DatabaseType } from "../components/database";
import type { DatabaseConnection } from "../src/types";
import { installMocks, isSecretInput, one, ofType, plain, resolve, settle, type Recorded } from "./support/mocks";
import { RecordingRuntime } from "./support/runtime";

let recorded: Recorded[];
let runtime: RecordingRuntime;
let db: DatabaseType;
let app: DatabaseConnection;

beforeAll(async () => {
    recorded = installMocks();
    const { Database } = await import("../components/database");
    runtime = new RecordingRuntime();
    db = new Database("postgres", { runtime });
    app = db.database("analytics");
    await resolve(app.url);
    await settle();
});

describe("Database (postgres)", () => {
    it("defaults: pinned PostgreSQL 16 image, 1 GiB / 1 CPU, superuser postgres", async () => {
        const { DATABASE_DEFAULTS } = await import("../components/database");
        const { IMAGES } = await import("../src/images");
        const spec = runtime.spec("postgres");
        expect(spec.image).toBe(IMAGES.postgres);
        expect(spec.image).toMatch(/^postgres:16\.\d+-alpine@sha256:[a-f0-9]{64}$/);
        expect(spec.resources).toEqual(DATABASE_DEFAULTS.resources);
        expect(spec.env["POSTGRES_USER"]).toBe("postgres");
    });

    it("keeps the cluster on a volume at the directory the image uses, runs as its postgres user", () => {
        const spec = runtime.spec("postgres");
        expect(spec.volumes).toEqual([{ name: "data", path: "/var/lib/postgresql/data" }]);
        expect(spec.env["PGDATA"]).toBe("/var/lib/postgresql/data/pgdata");
        expect(spec.user).toBe("70:70");
        expect(spec.healthCheck.command).toEqual(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "postgres"]);
        expect(spec.ports).toEqual([{ name: "postgres", port: 5432, scheme: "postgresql", publishAs: "database" }]);
    });

    it("passes the generated superuser password as a secret file, never as an env value", async () => {
        const spec = runtime.spec("postgres");
        expect(spec.env["POSTGRES_PASSWORD"]).toBeUndefined();
        expect(spec.env["POSTGRES_PASSWORD_FILE"]).toBe("/run/secrets/postgres-password");
        const file = spec.files.find((f) => f.path === "/run/secrets/postgres-password");
        expect(file?.secret).toBe(true);
        expect(await pulumi.isSecret(pulumi.output(file?.content as pulumi.Input<string>))).toBe(true);
        expect(one(recorded, "random:index/randomPassword:RandomPassword", "postgres-superuser-password").inputs).toMatchObject({
            length: 32,
            special: false,
        });
    });

    it("bootstraps through a postgresql provider on the external endpoint with the secret password", () => {
        const p = one(recorded, "pulumi:providers:postgresql", "postgres-admin").inputs;
        expect(p).toMatchObject({ host: "127.0.0.1", port: "45432", username: "postgres", sslmode: "disable", superuser: "true" });
        expect(isSecretInput(p["password"])).toBe(true);
    });

    it("gives a consumer its own database and a login role that can do nothing else", () => {
        expect(one(recorded, "postgresql:index/role:Role", "postgres-analytics-role").inputs).toMatchObject({
            name: "analytics",
            login: true,
            superuser: false,
            createDatabase: false,
            createRole: false,
            replication: false,
        });
        expect(isSecretInput(one(recorded, "postgresql:index/role:Role", "postgres-analytics-role").inputs["password"])).toBe(true);
        expect(one(recorded, "postgresql:index/database:Database", "postgres-analytics").inputs).toMatchObject({
            name: "analytics",
            owner: "analytics",
        });
        expect(one(recorded, "postgresql:index/grant:Grant", "postgres-analytics-revoke-public").inputs).toMatchObject({
            database: "analytics",
            role: "public",
            objectType: "database",
            privileges: [],
        });
        expect(ofType(recorded, "postgresql:index/role:Role")).toHaveLength(1);
    });

    it("returns a DatabaseConnection with secret password and URLs", async () => {
        expect(await resolve(app.password)).toEqual({ value: "generated-password-postgres-analytics-password", secret: true });
        expect(await resolve(app.url)).toEqual({
            value: "postgresql://analytics:generated-password-postgres-analytics-password@postgres:5432/analytics?sslmode=disable",
            secret: true,
        });
        expect((await resolve(app.externalUrl)).secret).toBe(true);
        expect((await resolve(app.externalUrl)).value).toContain("@127.0.0.1:45432/analytics");
        expect(await resolve(app.jdbcUrl)).toEqual({ value: "jdbc:postgresql://postgres:5432/analytics", secret: false });
        expect((await resolve(db.admin.password)).secret).toBe(true);
        expect(plain((await resolve(db.admin.user)).value)).toBe("postgres");
    });
});

describe("libpqUrl", () => {
    it("URL-encodes credentials", async () => {
        const { libpqUrl } = await import("../components/database");
        expect(libpqUrl("a b", "p@ss/word", "h", 1, "d")).toBe("postgresql://a%20b:p%40ss%2Fword@h:1/d?sslmode=disable");
    });
});
