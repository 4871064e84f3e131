import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Runtime, ServiceSpec } from "../../src/runtime/spec";
import type { Address, DatabaseConnection, Endpoint, Resources } from "../../src/types";
import { DATABASE_DEFAULTS } from "./defaults";

export { DATABASE_DEFAULTS } from "./defaults";

/** The volume the official postgres image declares for 16.x. */
export const POSTGRES_DATA_DIR = "/var/lib/postgresql/data";
/**
 * PGDATA one level below the mount: a fresh Kubernetes volume's root is owned by root (fsGroup only
 * changes its group), and initdb refuses a data directory it does not own. The image documents this.
 */
export const POSTGRES_PGDATA = `${POSTGRES_DATA_DIR}/pgdata`;
/** Where the superuser password file is placed; the image reads it through POSTGRES_PASSWORD_FILE. */
export const POSTGRES_PASSWORD_FILE = "/run/secrets/postgres-password";
/** The `postgres` user of the Alpine image. */
export const POSTGRES_USER_ID = "70:70";

/** Inputs of the Database capability. */
export interface DatabaseArgs {
    /** Where the server runs. */
    readonly runtime: Runtime;
    /** @default "postgres" */
    readonly engine?: "postgres";
    /** @default IMAGES.postgres */
    readonly image?: string;
    /** @default { memoryMb: 1024, cpus: 1 } */
    readonly resources?: Resources;
    /** Name of the superuser role the server is initialized with. @default "postgres" */
    readonly superuser?: string;
    /** Protect the data-holding resources from deletion and replacement (production). @default false */
    readonly protectData?: boolean;
}

/** The server's ServiceSpec; pure so it can be tested without a runtime. */
export function postgresSpec(
    name: string,
    image: string,
    resources: Resources,
    superuser: string,
    password: pulumi.Input<string>,
): ServiceSpec {
    return {
        name,
        image,
        env: { POSTGRES_USER: superuser, POSTGRES_PASSWORD_FILE: POSTGRES_PASSWORD_FILE, PGDATA: POSTGRES_PGDATA },
        secretEnv: {},
        files: [{ path: POSTGRES_PASSWORD_FILE, content: password, secret: true }],
        ports: [{ name: "postgres", port: 5432, scheme: "postgresql", publishAs: "database" }],
        volumes: [{ name: "data", path: POSTGRES_DATA_DIR }],
        healthCheck: {
            command: ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", superuser, "-d", "postgres"],
            intervalSeconds: 5,
            timeoutSeconds: 5,
            retries: 12,
            startPeriodSeconds: 10,
        },
        resources,
        user: POSTGRES_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: false,
        // Parallel queries use /dev/shm; the engines' 64 MiB default fails them ("could not resize shared memory segment").
        sharedMemoryMb: Math.max(128, Math.floor(resources.memoryMb / 4)),
    };
}

/**
 * `postgresql://user:password@host:port/db?sslmode=disable`, credentials URL-encoded. The server
 * has no TLS; saying so spares strict clients (JDBC, asyncpg) a failed TLS attempt or a refusal.
 */
export function libpqUrl(user: string, password: string, host: string, port: number, database: string): string {
    return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}?sslmode=disable`;
}

/**
 * A PostgreSQL server with a generated superuser password; `database(name)` gives each consumer
 * its own database owned by its own least-privilege login role.
 */
export class Database extends pulumi.ComponentResource {
    /** Where the server answers. */
    public readonly endpoint: Endpoint;
    /** The superuser's connection to the `postgres` database (secret password). */
    public readonly admin: DatabaseConnection;

    private readonly provider: postgresql.Provider;
    private readonly internal: Address;
    private readonly baseName: string;
    private readonly protectData: boolean;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakeforge:database:Database", name, {}, opts);
        this.baseName = name;
        this.protectData = args.protectData ?? false;
        const superuser = args.superuser ?? DATABASE_DEFAULTS.superuser;
        const password = new random.RandomPassword(`${name}-superuser-password`, { length: 32, special: false }, { parent: this });

        const service = args.runtime.deploy(
            postgresSpec(
                name,
                args.image ?? DATABASE_DEFAULTS.image,
                args.resources ?? DATABASE_DEFAULTS.resources,
                superuser,
                password.result,
            ),
            this,
        );
        this.endpoint = service.endpoint("postgres");
        this.internal = service.internal("postgres");
        this.admin = connection(this.endpoint, this.internal, pulumi.output(superuser), pulumi.output("postgres"), password.result);

        this.provider = new postgresql.Provider(
            `${name}-admin`,
            {
                host: this.endpoint.external.host,
                port: this.endpoint.external.port,
                username: superuser,
                password: password.result,
                database: "postgres",
                sslmode: "disable",
                superuser: true,
            },
            { parent: this, dependsOn: service.ready },
        );
        this.registerOutputs({ endpoint: this.endpoint, admin: this.admin });
    }

    /** A database named `dbName`, owned by a login role of the same name that can do nothing else. */
    public database(dbName: string): DatabaseConnection {
        const opts = { parent: this, provider: this.provider };
        const password = new random.RandomPassword(`${this.baseName}-${dbName}-password`, { length: 32, special: false }, { parent: this });
        const role = new postgresql.Role(
            `${this.baseName}-${dbName}-role`,
            {
                name: dbName,
                login: true,
                password: password.result,
                superuser: false,
                createDatabase: false,
                createRole: false,
                replication: false,
                inherit: true,
            },
            opts,
        );
        const db = new postgresql.Database(
            `${this.baseName}-${dbName}`,
            { name: dbName, owner: role.name },
            { ...opts, protect: this.protectData },
        );
        // PostgreSQL lets every role connect to a new database; only its owner should.
        new postgresql.Grant(
            `${this.baseName}-${dbName}-revoke-public`,
            { database: db.name, role: "public", objectType: "database", privileges: [] },
            opts,
        );
        return connection(this.endpoint, this.internal, role.name, db.name, password.result);
    }

    /**
     * A login role `roleName` that may connect to `dbName` (one `database()` made) and nothing
     * else; the database's owner grants it what it may do inside.
     */
    public login(roleName: string, dbName: pulumi.Input<string>): DatabaseConnection {
        const opts = { parent: this, provider: this.provider };
        const password = new random.RandomPassword(
            `${this.baseName}-${roleName}-password`,
            { length: 32, special: false },
            { parent: this },
        );
        const role = new postgresql.Role(
            `${this.baseName}-${roleName}-role`,
            { name: roleName, login: true, password: password.result, superuser: false, createDatabase: false, createRole: false },
            opts,
        );
        const grant = new postgresql.Grant(
            `${this.baseName}-${roleName}-connect`,
            { database: dbName, role: role.name, objectType: "database", privileges: ["CONNECT"] },
            opts,
        );
        const user = pulumi.all([role.name, grant.id]).apply(([name]) => name);
        return connection(this.endpoint, this.internal, user, pulumi.output(dbName), password.result);
    }
}

/** A DatabaseConnection for one login, through both sides of an endpoint. */
function connection(
    endpoint: Endpoint,
    internal: Address,
    user: pulumi.Output<string>,
    database: pulumi.Output<string>,
    password: pulumi.Output<string>,
): DatabaseConnection {
    const secretPassword = pulumi.secret(password);
    return {
        host: pulumi.output(internal.host),
        port: pulumi.output(internal.port),
        database,
        user,
        password: secretPassword,
        // In-network URLs from the static address: a replaced server does not replace their users.
        jdbcUrl: pulumi.interpolate`jdbc:postgresql://${internal.host}:${internal.port}/${database}`,
        externalJdbcUrl: pulumi.interpolate`jdbc:postgresql://${endpoint.external.host}:${endpoint.external.port}/${database}`,
        url: pulumi.secret(
            pulumi.all([user, secretPassword, database]).apply(([u, p, d]) => libpqUrl(u, p, internal.host, internal.port, d)),
        ),
        externalUrl: pulumi.secret(
            pulumi.all([user, secretPassword, endpoint.external, database]).apply(([u, p, a, d]) => libpqUrl(u, p, a.host, a.port, d)),
        ),
    };
}
