import { beforeAll, describe, expect, it } from "vitest";
import { credentialLeaks, deployShipped, K8S } from "./support/deploy";
import { at, isSecretInput, one, ofType, plain, podOf, type Recorded } from "./support/mocks";

/* The kind stack under mocks: each capability's workload, and where its credentials are (only in Secrets). */

const T = K8S;

let recorded: Recorded[];

/** Every recorded StatefulSet and Deployment. */
function workloads(): Recorded[] {
    return [...ofType(recorded, T.statefulSet), ...ofType(recorded, T.deployment)];
}

beforeAll(async () => {
    ({ recorded } = await deployShipped("kind"));
});

describe("the kind stack: each capability's workload", () => {
    const cases: [string, { user: number; group: number; readOnly: boolean; secretMounts: string[]; configMounts: string[] }][] = [
        ["postgres", { user: 70, group: 70, readOnly: false, secretMounts: ["/run/secrets/postgres-password"], configMounts: [] }],
        [
            "minio",
            {
                user: 65532,
                group: 65532,
                readOnly: true,
                secretMounts: ["/run/secrets/access_key", "/run/secrets/secret_key"],
                configMounts: [],
            },
        ],
        ["vault", { user: 100, group: 1000, readOnly: true, secretMounts: [], configMounts: ["/vault/config/lakeforge.hcl"] }],
        [
            "registry",
            {
                user: 65532,
                group: 65532,
                readOnly: true,
                secretMounts: ["/etc/distribution/config.yml", "/etc/distribution/htpasswd"],
                configMounts: [],
            },
        ],
    ];

    it.each(cases)("%s: non-root identity, root filesystem, files from Secrets and ConfigMaps", (name, want) => {
        const pod = podOf(one(recorded, T.statefulSet, name));
        expect(at(pod, "securityContext")).toEqual({
            runAsNonRoot: true,
            runAsUser: want.user,
            runAsGroup: want.group,
            fsGroup: want.group,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
        });
        const container = at(pod, "containers", 0);
        expect(at(container, "securityContext")).toEqual({
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: want.readOnly,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        const mounts = at(container, "volumeMounts") as { name: string; mountPath: string }[];
        expect(mounts.filter((m) => m.name === "secret-files").map((m) => m.mountPath)).toEqual(want.secretMounts);
        expect(mounts.filter((m) => m.name === "config-files").map((m) => m.mountPath)).toEqual(want.configMounts);
        expect(mounts.some((m) => m.name === "tmp" && m.mountPath === "/tmp")).toBe(want.readOnly);
        const claims = at(one(recorded, T.statefulSet, name).inputs, "spec", "volumeClaimTemplates") as unknown[];
        expect(claims.map((c) => [at(c, "metadata", "name"), at(c, "spec", "resources", "requests", "storage")])).toEqual([
            ["data", "5Gi"],
        ]);
    });

    it("gives every container requests, a memory limit and two different probes", () => {
        const sized: Record<string, [string, string, string]> = {
            postgres: ["250m", "256Mi", "512Mi"],
            minio: ["250m", "256Mi", "512Mi"],
            vault: ["50m", "128Mi", "256Mi"],
            "vault-unsealer": ["100m", "16Mi", "32Mi"],
            metastore: ["100m", "384Mi", "768Mi"],
            registry: ["50m", "64Mi", "128Mi"],
            spark: ["200m", "768Mi", "1536Mi"],
            "spark-master": ["200m", "256Mi", "512Mi"],
            "spark-worker-1": ["200m", "768Mi", "1536Mi"],
            trino: ["200m", "768Mi", "1536Mi"],
            "trino-worker-1": ["200m", "768Mi", "1536Mi"],
        };
        // A 2-CPU node (a laptop's KIND, the cluster of scripts/cluster) also runs the cluster's own pods (CoreDNS asks 100m).
        const millicores = Object.values(sized).reduce((sum, [cpu]) => sum + Number.parseInt(cpu, 10), 0);
        expect(millicores).toBeLessThanOrEqual(1850);
        for (const w of workloads()) {
            const c = at(podOf(w), "containers", 0);
            const [cpu, request, limit] = sized[w.name] as [string, string, string];
            expect(at(c, "resources"), w.name).toEqual({ requests: { cpu, memory: request }, limits: { memory: limit } });
            expect(at(c, "readinessProbe", "exec"), w.name).toBeDefined();
            // A service that listens is alive while it listens; one that does not (the unsealer) runs its check.
            if (w.name === "vault-unsealer") expect(at(c, "livenessProbe", "exec"), w.name).toBeDefined();
            else expect(at(c, "livenessProbe", "tcpSocket"), w.name).toEqual({ port: at(c, "ports", 0, "containerPort") });
            expect(at(c, "livenessProbe", "periodSeconds")).toBeGreaterThan(at(c, "readinessProbe", "periodSeconds") as number);
        }
    });
});

describe("the kind stack: credentials", () => {
    it("keeps every generated credential out of ConfigMaps, even as a secret value", () => {
        const found = ofType(recorded, T.configMap).flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`, true));
        expect(found).toEqual([]);
    });

    it("passes no credential as a literal env value: every credential-looking variable comes from a secretKeyRef", () => {
        for (const w of workloads()) {
            const env = at(podOf(w), "containers", 0, "env") as { name: string; value?: unknown; valueFrom?: unknown }[];
            expect(credentialLeaks(env, `${w.name}.env`, true)).toEqual([]);
            // `..._FILE` variables name a mounted Secret file, not a credential.
            for (const v of env.filter((e) => /(PASSWORD|SECRET|TOKEN|KEY)$/.test(e.name))) {
                expect(v.value, `${w.name} ${v.name}`).toBeUndefined();
                expect(v.valueFrom, `${w.name} ${v.name}`).toEqual({ secretKeyRef: { name: `${w.name}-env`, key: v.name } });
            }
        }
    });

    it("holds credentials only in Secrets whose data is a Pulumi secret", () => {
        for (const s of ofType(recorded, T.secret)) {
            expect(isSecretInput(s.inputs["stringData"]), s.name).toBe(true);
            expect(s.inputs["type"]).toBe("Opaque");
        }
        expect(plain<Record<string, string>>(one(recorded, T.secret, "postgres-files").inputs["stringData"])).toEqual({
            "postgres-password": "generated-password-postgres-superuser-password",
        });
        expect(Object.keys(plain<Record<string, string>>(one(recorded, T.secret, "minio-files").inputs["stringData"])).sort()).toEqual([
            "access_key",
            "secret_key",
        ]);
        // The registry's HTTP secret is in its config file, which is therefore a secret file too.
        expect(Object.keys(plain<Record<string, string>>(one(recorded, T.secret, "registry-files").inputs["stringData"])).sort()).toEqual([
            "config.yml",
            "htpasswd",
        ]);
    });

    it("never sends a generated credential to any resource in plaintext", () => {
        expect(recorded.flatMap((r) => credentialLeaks(r.inputs, `${r.type}/${r.name}`, false))).toEqual([]);
    });
});
