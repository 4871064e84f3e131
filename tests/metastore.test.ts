import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { credentialLeaks, deployConfig, K8S } from "./support/deploy";
import { ofType, one, plain, resolve } from "./support/mocks";

/* The Metastore (Hive) under mocks, and its driver fetcher run for real with this machine's JDK. */

const components = { catalog: { enabled: true }, queryEngine: { enabled: true, engines: ["trino"] }, metastore: { enabled: true } };
const config = (target: "docker" | "kubernetes") => ({ "lakeforge:target": target, "lakeforge:components": JSON.stringify(components) });

describe("Metastore (hive) on docker", async () => {
    const { recorded, outputs } = await deployConfig("dev", config("docker"));
    const container = (name: string) => one(recorded, "docker:index/container:Container", name);
    const uploads = (name: string) =>
        Object.fromEntries(
            plain<{ file: string; content: string }[]>(container(name).inputs["uploads"]).map((u) => [u.file, plain<string>(u.content)]),
        );

    it("runs on its own database and its own whole-lake key, and hands clients HIVE_METASTORE_URI", async () => {
        expect(recorded.filter((r) => r.type === "postgresql:index/database:Database").map((r) => r.inputs["name"])).toContain("metastore");
        const { platformConsumers } = await import("../src/components-schema");
        const { parseConfig } = await import("../src/config");
        expect(platformConsumers(parseConfig(config("docker"), "dev").components)).toContainEqual({
            name: "metastore",
            bucket: "lake",
            prefix: "",
            owner: "metastore",
        });
        const env = (await resolve(outputs.clientEnv)).value as Record<string, string>;
        expect(env["HIVE_METASTORE_URI"]).toBe("thrift://127.0.0.1:9083");
    });

    it("keeps the database password and the S3 key in metastore-site.xml, a secret file; warehouses under the lake", async () => {
        const c = container("metastore");
        const envs = (await resolve(pulumi.output(c.inputs["envs"] as string[]))).value as string[];
        expect(credentialLeaks([envs, c.inputs["entrypoints"]], "metastore", true)).toEqual([]);
        expect(envs).toEqual(
            expect.arrayContaining(["SERVICE_NAME=metastore", "DB_DRIVER=postgres", "HIVE_CUSTOM_CONF_DIR=/etc/lakeforge/hive"]),
        );
        const site = uploads("metastore")["/etc/lakeforge/hive/metastore-site.xml"] ?? "";
        expect(site).toContain(
            "<name>javax.jdo.option.ConnectionPassword</name><value>generated-password-postgres-metastore-password</value>",
        );
        expect(site).toContain("<name>javax.jdo.option.ConnectionURL</name><value>jdbc:postgresql://postgres:5432/metastore</value>");
        expect(site).toContain("<name>metastore.warehouse.dir</name><value>s3a://lake/warehouse</value>");
        expect(site).toContain("<name>metastore.warehouse.external.dir</name><value>s3a://lake/external</value>");
        expect(site).toContain("<name>fs.s3a.endpoint</name><value>http://seaweedfs:8333</value>");
        const entrypoint = (c.inputs["entrypoints"] as string[]).join(" ");
        expect(entrypoint).toMatch(/^bash -c if ! ls "\$HIVE_HOME\/lib"\/postgresql\*\.jar/);
        expect(entrypoint).toContain("https://repo1.maven.org/maven2/org/postgresql/postgresql/42.7.14/postgresql-42.7.14.jar");
        expect(entrypoint).toMatch(/\nexec \/entrypoint\.sh$/);
    });

    it("gives Trino the hive and delta catalogs on the metastore, with its own key in secret files", () => {
        const files = uploads("trino");
        expect(files["/etc/trino/catalog/hive.properties"]).toContain("connector.name=hive\nhive.metastore.uri=thrift://metastore:9083\n");
        expect(files["/etc/trino/catalog/hive.properties"]).toContain("hive.non-managed-table-writes-enabled=true");
        expect(files["/etc/trino/catalog/delta.properties"]).toContain(
            "connector.name=delta_lake\nhive.metastore.uri=thrift://metastore:9083\n",
        );
        expect(credentialLeaks(container("trino").inputs["uploads"], "trino uploads")).toEqual([]);
    });

    it("on kubernetes: metastore-site.xml only in a Secret", async () => {
        const k8s = await deployConfig("dev", config("kubernetes"));
        expect(credentialLeaks(ofType(k8s.recorded, K8S.configMap), "configMaps", true)).toEqual([]);
        const files = plain<Record<string, string>>(one(k8s.recorded, K8S.secret, "metastore-files").inputs["stringData"]);
        expect(Object.values(files).join("\n")).toContain("javax.jdo.option.ConnectionPassword");
    });
});

describe("the metastore's driver script, run with bash against a local server", () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "lakeforge-driver-"));
    const jar = Buffer.from("not really a jar, but bytes with a known digest");
    const digest = createHash("sha256").update(jar).digest("hex");
    const server = createServer((req, res) => {
        res.writeHead(req.url === "/driver.jar" ? 200 : 404);
        res.end(req.url === "/driver.jar" ? jar : "");
    });
    const listening = new Promise<string>((done) =>
        server.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
    );
    const runScript = async (lib: string, target: string, url: string, sha256: string) => {
        const { driverScript } = await import("../components/metastore");
        const script = driverScript(lib, target, 'echo "classpath: $HADOOP_CLASSPATH"', { url, sha256 });
        return promisify(execFile)("bash", ["-c", script], { env: { ...process.env, HADOOP_HOME: "/opt/hadoop" }, timeout: 30_000 }).then(
            (r) => ({ ok: true, out: r.stdout }),
            (e: { stderr: string }) => ({ ok: false, out: e.stderr }),
        );
    };
    afterAll(() => {
        server.close();
        rmSync(work, { recursive: true, force: true });
    });

    it("fetches the driver, keeps it only if its SHA-256 matches, and puts it and S3A on the classpath", async () => {
        const base = await listening;
        const lib = path.join(work, "lib");
        mkdirSync(lib);
        const target = path.join(work, "drivers", "postgresql.jar");
        const fetched = await runScript(lib, target, `${base}/driver.jar`, digest);
        expect(fetched).toEqual({ ok: true, out: `classpath: /opt/hadoop/share/hadoop/tools/lib/*:${target}\n` });
        expect(readFileSync(target)).toEqual(jar);
        rmSync(target);
        const wrong = await runScript(lib, target, `${base}/driver.jar`, "0".repeat(64));
        expect(wrong.ok).toBe(false);
        expect(wrong.out).toContain(`cannot fetch the PostgreSQL JDBC driver: SHA-256 of ${base}/driver.jar is not ${"0".repeat(64)}`);
        expect(existsSync(target)).toBe(false);
        expect((await runScript(lib, target, `${base}/missing.jar`, digest)).out).toContain(`GET ${base}/missing.jar failed`);
    });

    it("leaves an image that already has a driver as it is", async () => {
        const lib = path.join(work, "lib-with-driver");
        mkdirSync(lib);
        writeFileSync(path.join(lib, "postgresql-42.7.14.jar"), "present");
        const result = await runScript(lib, path.join(work, "unused", "postgresql.jar"), "http://127.0.0.1:9/never", digest);
        expect(result).toEqual({ ok: true, out: "classpath: /opt/hadoop/share/hadoop/tools/lib/*\n" });
        expect(existsSync(path.join(work, "unused"))).toBe(false);
    });
});
