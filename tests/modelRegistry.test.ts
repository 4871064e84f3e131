import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { credentialLeaks, deployConfig } from "./support/deploy";
import { plain, resolve } from "./support/mocks";

/* The ModelRegistry (MLflow) under mocks; the end-to-end tier runs it for real. */

const config = {
    "lakeforge:target": "docker",
    "lakeforge:components": JSON.stringify({ modelRegistry: { enabled: true } }),
};

describe("ModelRegistry (mlflow)", () => {
    it("runs MLflow on its own database and its own key under the lake bucket's mlflow/ prefix", async () => {
        const { recorded, outputs } = await deployConfig("dev", config);
        expect(recorded.filter((r) => r.type === "postgresql:index/database:Database").map((r) => r.inputs["name"])).toContain("mlflow");
        const { platformConsumers } = await import("../src/components-schema");
        const { parseConfig } = await import("../src/config");
        expect(platformConsumers(parseConfig(config, "dev").components)).toEqual([
            { name: "mlflow", bucket: "lake", prefix: "mlflow", owner: "modelRegistry" },
        ]);
        const env = await resolve(outputs.clientEnv);
        expect((env.value as Record<string, string>)["MLFLOW_TRACKING_URI"]).toBe("http://127.0.0.1:5050");
        expect(outputs.endpoints.modelRegistry).toBeDefined();
    });

    it("keeps the database URL and the S3 key out of env and arguments: secret files the server reads", async () => {
        const { recorded } = await deployConfig("dev", config);
        const mlflow = recorded.find((r) => r.type === "docker:index/container:Container" && r.name === "mlflow");
        const envs = (await resolve(pulumi.output(mlflow?.inputs["envs"] as string[]))).value as string[];
        const command = mlflow?.inputs["command"] as string[];
        expect(credentialLeaks([envs, command], "mlflow", true)).toEqual([]);
        expect(envs).toContain("AWS_SHARED_CREDENTIALS_FILE=/run/secrets/mlflow/aws-credentials");
        expect(envs).toContain("MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false");
        expect(command.join(" ")).toContain('MLFLOW_BACKEND_STORE_URI="$(cat /run/secrets/mlflow/backend-store-uri)"');
        expect(command.join(" ")).toContain("--workers 3 --artifacts-destination s3://lake/mlflow --serve-artifacts");
        const { mlflowWorkers } = await import("../components/modelRegistry");
        expect([512, 1024, 1536, 4096].map(mlflowWorkers)).toEqual([1, 2, 3, 4]);
        expect(command.join(" ")).toContain("--allowed-hosts 'mlflow,mlflow:*,localhost,localhost:*,127.0.0.1,127.0.0.1:*'");
        const uploads = plain<{ file: string; content: string }[]>(mlflow?.inputs["uploads"]).map((u) => ({
            file: u.file,
            content: plain<string>(u.content),
        }));
        expect(uploads.map((u) => u.file).sort()).toEqual([
            "/etc/lakeforge/mlflow-s3-endpoint",
            "/run/secrets/mlflow/aws-credentials",
            "/run/secrets/mlflow/backend-store-uri",
        ]);
        const uri = uploads.find((u) => u.file.endsWith("backend-store-uri"))?.content;
        expect(uri).toBe("postgresql+psycopg2://mlflow:generated-password-postgres-mlflow-password@postgres:5432/mlflow");
        expect(uploads.find((u) => u.file.endsWith("s3-endpoint"))?.content).toBe("http://seaweedfs:8333");
    });

    it("is refused without the database or the object store it needs", async () => {
        const { parseConfig } = await import("../src/config");
        expect(() =>
            parseConfig(
                {
                    "lakeforge:target": "docker",
                    "lakeforge:components": JSON.stringify({ modelRegistry: { enabled: true }, database: { enabled: false } }),
                },
                "dev",
            ),
        ).toThrow(
            "lakeforge:components.modelRegistry.enabled: expected false while database.enabled is false (modelRegistry keeps runs in the database and artifacts in the lake bucket), found true",
        );
    });
});
