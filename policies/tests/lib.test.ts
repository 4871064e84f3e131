import { describe, expect, it } from "vitest";
import * as policySdk from "@pulumi/policy";
import { at, fieldPath, inputsOf, isUnknown, UNKNOWN, UNKNOWN_SENTINELS } from "../lib/inputs";
import { imageName, isStatefulImage, parseImage } from "../lib/images";
import { isReference, isSecretName, isWellKnownCredential, splitEnv } from "../lib/secrets";
import { isSensitiveHostPath, normalizeHostPath } from "../lib/host-paths";
import { parseVaultPolicy } from "../lib/vault-policy";
import { literalCredentials, trustHbaLines } from "../lib/config-files";
import { DIGEST } from "./fixtures";

describe("unknown values", () => {
    it("uses the policy SDK's own sentinels", async () => {
        const proxy = (await import("@pulumi/policy/proxy.js")) as unknown as Record<string, string>;
        expect(UNKNOWN_SENTINELS).toEqual({
            boolean: proxy["unknownBooleanValue"],
            number: proxy["unknownNumberValue"],
            string: proxy["unknownStringValue"],
            array: proxy["unknownArrayValue"],
            asset: proxy["unknownAssetValue"],
            archive: proxy["unknownArchiveValue"],
            object: proxy["unknownObjectValue"],
        });
    });

    it("reads through the SDK's unknown-checking proxy without throwing", () => {
        const wrap = (policySdk as unknown as { unknownCheckingProxy(p: object): Record<string, unknown> }).unknownCheckingProxy;
        const props = wrap({ image: "postgres:16.4", ports: [{ ip: UNKNOWN_SENTINELS.string }] });
        expect(() => (props["ports"] as { ip: unknown }[])[0]?.ip).toThrow(/can't be known during preview/);
        const raw = inputsOf({ props });
        expect(at(raw, "ports", 0, "ip")).toBe(UNKNOWN);
        expect(at(raw, "image")).toBe("postgres:16.4");
        expect(inputsOf({ props: { plain: 1 } })).toEqual({ plain: 1 });
    });

    it("reports UNKNOWN for any unknown step and undefined for absent ones", () => {
        const props = { a: UNKNOWN_SENTINELS.object, b: { c: [1, UNKNOWN_SENTINELS.number] } };
        expect(at(props, "a", "x", "y")).toBe(UNKNOWN);
        expect(at(props, "b", "c", 1)).toBe(UNKNOWN);
        expect(at(props, "b", "c", 0)).toBe(1);
        expect(at(props, "b", "missing")).toBeUndefined();
        expect(isUnknown(UNKNOWN_SENTINELS.boolean)).toBe(true);
        expect(isUnknown("04da6b54")).toBe(false);
    });

    it("renders field paths as TypeScript would write them", () => {
        expect(fieldPath("ports", 0, "ip")).toBe("ports[0].ip");
        expect(fieldPath("logOpts", "max-size")).toBe('logOpts["max-size"]');
        expect(fieldPath("data", "lake.properties")).toBe('data["lake.properties"]');
    });
});

describe("image references", () => {
    it.each([
        ["postgres", { repository: "postgres" }],
        ["postgres:16.4-alpine", { repository: "postgres", tag: "16.4-alpine" }],
        ["localhost:5000/lakeforge/hive", { repository: "localhost:5000/lakeforge/hive" }],
        ["localhost:5000/lakeforge/hive:4.0.1", { repository: "localhost:5000/lakeforge/hive", tag: "4.0.1" }],
        [`postgres:16.4@${DIGEST}`, { repository: "postgres", tag: "16.4", digest: DIGEST }],
        [`postgres@${DIGEST}`, { repository: "postgres", digest: DIGEST }],
        [DIGEST, { repository: "", digest: DIGEST }],
        ["postgres@sha256:abc", { repository: "postgres" }],
    ])("parses %s", (reference, expected) => {
        expect(parseImage(reference)).toEqual(expected);
    });

    it("knows lakeforge's stateful defaults", () => {
        expect(
            ["postgres:16.15-alpine", "pgsty/silo:RELEASE.2026-09-16T00-00-00Z", "quay.io/openbao/openbao:2.7.1", "registry:3.1.1"].map(
                isStatefulImage,
            ),
        ).toEqual([true, true, true, true]);
        expect(isStatefulImage("trinodb/trino:460")).toBe(false);
    });

    it("names the image by its last path segment", () => {
        expect(imageName("docker.io/hashicorp/vault:1.17.5")).toBe("vault");
        expect(imageName("quay.io/openbao/openbao:2.0.0")).toBe("openbao");
    });
});

describe("credential detection", () => {
    it.each([
        "POSTGRES_PASSWORD",
        "MINIO_ROOT_PASSWORD",
        "PGPASSWORD",
        "AWS_SECRET_ACCESS_KEY",
        "fs.s3a.secret.key",
        "s3.aws-secret-key",
        "javax.jdo.option.ConnectionPassword",
        "hibernate.connection.password",
        "VAULT_TOKEN",
        "client_secret",
        "UNSEAL_KEY",
    ])("treats %s as a credential name", (name) => {
        expect(isSecretName(name)).toBe(true);
    });

    it.each([
        "POSTGRES_PASSWORD_FILE",
        "AWS_ACCESS_KEY_ID",
        "token_ttl",
        "MINIO_ROOT_USER",
        "PWD",
        "SECRET_NAME",
        "fs.s3a.aws.credentials.provider",
    ])("does not treat %s as a credential name", (name) => {
        expect(isSecretName(name)).toBe(false);
    });

    it("knows well-known defaults and references", () => {
        expect(isWellKnownCredential(" MinioAdmin ")).toBe(true);
        expect(isWellKnownCredential("q7Vd-Lx2pR9wTz4KmB8nYc3H")).toBe(false);
        expect(["${ENV:X}", "$(X)", "{{ .X }}", "$X", "", '""'].every(isReference)).toBe(true);
        expect(["s3cr3t", "${X}suffix"].some(isReference)).toBe(false);
        expect(splitEnv("A=b=c")).toEqual({ name: "A", value: "b=c" });
        expect(splitEnv("A")).toBeUndefined();
    });

    it("finds literal credentials in rendered files, with line numbers", () => {
        const text = "a=1\npassword = hunter2\nsecret.key: ${ENV:K}\n<name>x.Password</name> <value>p</value>";
        expect(literalCredentials(text)).toEqual([
            { line: 2, key: "password" },
            { line: 4, key: "x.Password" },
        ]);
    });

    it("finds trust records in pg_hba.conf", () => {
        expect(trustHbaLines("# trust me\nlocal all all trust\nhost all all ::1/128 scram-sha-256\nhostssl all all all trust  ")).toEqual([
            2, 4,
        ]);
    });
});

describe("host paths", () => {
    it.each([
        "/",
        "/etc",
        "/etc/ssl",
        "/var/run/docker.sock",
        "/run/docker.sock",
        "/run/podman/podman.sock",
        "/var/lib/docker",
        "/home",
        "/srv/..",
    ])("treats %s as sensitive", (p) => {
        expect(isSensitiveHostPath(p)).toBe(true);
    });

    it.each(["/srv/lakeforge/postgres", "/mnt/data/lake", "/var/log/pods", "/data"])("accepts %s", (p) => {
        expect(isSensitiveHostPath(p)).toBe(false);
    });

    it("normalizes paths", () => {
        expect(normalizeHostPath("/var/run/../run//docker.sock/")).toBe("/var/run/docker.sock");
    });
});

describe("vault policies", () => {
    it("parses HCL with comments, legacy policy values and JSON", () => {
        const hcl = '# admin\npath "kv/*" { capabilities = ["read", "list"] }\n// old\npath "sys/*" {\n  policy = "sudo"\n}';
        expect(parseVaultPolicy(hcl)).toEqual([
            { path: "kv/*", capabilities: ["read", "list"] },
            { path: "sys/*", capabilities: ["create", "read", "update", "delete", "list", "sudo"] },
        ]);
        expect(parseVaultPolicy('{"path": {"*": {"capabilities": ["deny"]}}}')).toEqual([{ path: "*", capabilities: ["deny"] }]);
        expect(parseVaultPolicy("{ not json")).toEqual([]);
    });
});
