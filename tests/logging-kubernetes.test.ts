import { beforeAll, describe, expect, it } from "vitest";
import { mandatoryViolations, type StackPolicyConfig } from "../policies/evaluate";
import { rules } from "../policies/rules";
import { deployConfig, K8S } from "./support/deploy";
import { at, isSecretInput, one, ofType, plain, podOf, resolve, type Recorded } from "./support/mocks";

/* Logging on kubernetes under mocks, and the policy pack's verdict on both targets. */

const kubernetes = {
    "lakeforge:target": "kubernetes",
    "lakeforge:kubernetes": JSON.stringify({ context: "kind-lakeforge" }),
    "lakeforge:components": JSON.stringify({ logging: { enabled: true } }),
};

/** Every rule mandatory but digest pinning (no tag here has a digest yet, as for Trino and MLflow). */
const strict: StackPolicyConfig = Object.fromEntries(
    rules.map((r) => [r.name, r.name === "image-pinned-by-digest" ? "advisory" : "mandatory"]),
);

const logging = (recorded: Recorded[]) => recorded.filter((r) => /^(loki|alloy)(-|$)/.test(r.name));

let recorded: Recorded[];
let env: Record<string, string>;

beforeAll(async () => {
    const deployed = await deployConfig("kind", kubernetes);
    recorded = deployed.recorded;
    env = (await resolve(deployed.outputs.clientEnv)).value;
});

describe("Logging (loki + alloy) on kubernetes", () => {
    it("runs Loki as a StatefulSet with its data claim, its config in a Secret (it holds the S3 key), LOKI_URL on its NodePort", () => {
        const loki = one(recorded, K8S.statefulSet, "loki");
        expect(at(loki.inputs, "spec", "volumeClaimTemplates", 0, "metadata", "name")).toBe("data");
        const secret = one(recorded, K8S.secret, "loki-files");
        expect(isSecretInput(at(secret.inputs, "stringData", "lakeforge.yaml")) || isSecretInput(secret.inputs["stringData"])).toBe(true);
        expect(ofType(recorded, K8S.configMap).map((c) => c.name)).not.toContain("loki-config");
        expect(at(podOf(loki), "containers", 0, "readinessProbe", "exec", "command")).toEqual(["/usr/bin/loki", "-health"]);
        expect(at(podOf(loki), "securityContext", "runAsUser")).toBe(10001);
        expect(env["LOKI_URL"]).toBe("http://127.0.0.1:30310");
        expect(at(one(recorded, K8S.service, "loki-admin").inputs, "spec", "ports", 0, "nodePort")).toBe(30310);
    });

    it("tails the namespace's pods through the API server: a namespaced read-only Role, no host path, restricted pod", () => {
        const alloy = one(recorded, K8S.statefulSet, "alloy");
        const pod = podOf(alloy);
        expect(at(pod, "serviceAccountName")).toBe("alloy");
        expect(at(pod, "automountServiceAccountToken")).toBe(true);
        expect(at(pod, "securityContext")).toMatchObject({
            runAsNonRoot: true,
            runAsUser: 473,
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(at(pod, "containers", 0, "securityContext")).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        });
        expect((plain<{ hostPath?: unknown }[]>(at(pod, "volumes")) ?? []).filter((v) => v.hostPath !== undefined)).toEqual([]);
        expect(at(one(recorded, "kubernetes:rbac.authorization.k8s.io/v1:Role", "alloy-read-logs").inputs, "rules")).toEqual([
            { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
            { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        ]);
        const binding = one(recorded, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "alloy-read-logs");
        expect(at(binding.inputs, "roleRef")).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "alloy-read-logs" });
        expect(recorded.some((r) => /ClusterRole/.test(r.type))).toBe(false);
        expect(at(one(recorded, K8S.policy, "alloy-api-server").inputs, "spec", "egress")).toEqual([
            {
                ports: [
                    { protocol: "TCP", port: 443 },
                    { protocol: "TCP", port: 6443 },
                ],
            },
        ]);
        // Only the collector gets an API token.
        for (const w of [...ofType(recorded, K8S.statefulSet), ...ofType(recorded, K8S.deployment)].filter((w) => w.name !== "alloy"))
            expect(at(podOf(w), "automountServiceAccountToken"), w.name).toBe(false);
    });

    it("labels every line with the service's name from the pod label, in the platform namespace only", () => {
        const config = plain<string>(at(one(recorded, K8S.configMap, "alloy-config").inputs, "data", "lakeforge.alloy"));
        expect(config).toContain('names = ["lakeforge"]');
        expect(config).toContain('source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]');
        expect(config).toContain('target_label  = "service"');
        expect(config).toContain('url = "http://loki.lakeforge.svc.cluster.local:3100/loki/api/v1/push"');
        expect(config).not.toContain("gelf");
    });
});

describe("the policy pack agrees with the collector choice", () => {
    it("kubernetes: Loki's and Alloy's resources pass every rule (restricted pods, no host path, internal Services but the admin NodePort)", () => {
        const violations = mandatoryViolations(
            logging(recorded).map((r) => ({ type: r.type, name: r.name, props: r.inputs })),
            { ...strict, "kubernetes-service-internal-only": { enforcementLevel: "mandatory", allowNodePort: true } },
        );
        expect(violations.map((v) => `${v.policy}: ${v.resourceName}: ${v.message}`)).toEqual([]);
        expect(logging(recorded).length).toBeGreaterThan(8);
    });

    it("docker: Loki's and Alloy's containers pass every rule, the socket rule and non-root included", async () => {
        const { recorded: docker } = await deployConfig("dev", {
            "lakeforge:target": "docker",
            "lakeforge:components": JSON.stringify({ logging: { enabled: true } }),
        });
        const containers = docker.filter((r) => r.type === "docker:index/container:Container");
        const violations = mandatoryViolations(
            containers.filter((r) => r.name === "loki" || r.name === "alloy").map((r) => ({ type: r.type, name: r.name, props: r.inputs })),
            strict,
        );
        expect(violations.map((v) => `${v.policy}: ${v.resourceName}: ${v.message}`)).toEqual([]);
        // A gelf-shipping container is no json-file container without rotation.
        const rotation = mandatoryViolations(
            containers.map((r) => ({ type: r.type, name: r.name, props: r.inputs })),
            Object.fromEntries(rules.map((r) => [r.name, r.name === "docker-log-rotation" ? "mandatory" : "disabled"])),
        );
        expect(rotation).toEqual([]);
    });
});
