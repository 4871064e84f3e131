import type { ServiceSpec } from "../../src/runtime/spec";
import type { Resources } from "../../src/types";

/*
 * Spark's standalone cluster manager, for `queryEngine.sparkWorkers` > 0: a master and N workers
 * on the same image as the Connect server, which becomes the driver and runs executors on the
 * workers. Executors fetch the driver's packages from it; nothing here holds a credential.
 */

/** The spark user of the apache/spark image. */
export const SPARK_USER_ID = "185:185";
export const SPARK_MASTER_PORT = 7077;
export const SPARK_MASTER_UI_PORT = 8080;
export const SPARK_WORKER_PORT = 7070;
export const SPARK_WORKER_UI_PORT = 8081;
/** Fixed driver ports, so executors can reach the driver through a Service and its NetworkPolicy. */
export const SPARK_DRIVER_PORT = 7078;
export const SPARK_BLOCK_MANAGER_PORT = 7079;

const tcpCheck = (port: number) => ({
    command: ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${port}`],
    intervalSeconds: 5,
    timeoutSeconds: 5,
    retries: 3,
    startPeriodSeconds: 60,
});

/** Memory a worker offers its executors: its container's limit minus room for the worker JVM. */
export function workerMemoryMb(resources: Resources): number {
    return Math.max(512, resources.memoryMb - 512);
}

function sparkClass(
    name: string,
    image: string,
    resources: Resources,
    args: string[],
    port: number,
    uiPort: number,
    env: Record<string, string>,
): ServiceSpec {
    return {
        name,
        image,
        command: ["/opt/spark/bin/spark-class", ...args],
        env,
        secretEnv: {},
        files: [],
        ports: [
            { name: "rpc", port, scheme: "tcp" },
            { name: "ui", port: uiPort, scheme: "http" },
        ],
        volumes: [],
        // The web UI listens on every address; the RPC port only on the container's own (workers).
        healthCheck: tcpCheck(uiPort),
        resources,
        user: SPARK_USER_ID,
        capabilities: [],
        readOnlyRootFilesystem: false,
    };
}

/** The master's CPUs: half a CPU, or the engine's own share when that is smaller (a small node). */
export const SPARK_MASTER_CPUS = 0.5;

/** The master: workers register with it, the driver asks it for executors. */
export function sparkMasterSpec(name: string, image: string, engineCpus: number): ServiceSpec {
    const args = [
        "org.apache.spark.deploy.master.Master",
        "--host",
        "0.0.0.0",
        "--port",
        String(SPARK_MASTER_PORT),
        "--webui-port",
        String(SPARK_MASTER_UI_PORT),
    ];
    return sparkClass(
        name,
        image,
        { memoryMb: 512, cpus: Math.min(SPARK_MASTER_CPUS, engineCpus) },
        args,
        SPARK_MASTER_PORT,
        SPARK_MASTER_UI_PORT,
        {
            SPARK_DAEMON_MEMORY: "256m",
        },
    );
}

/** A worker offering its container's CPUs and memory to executors. */
export function sparkWorkerSpec(name: string, image: string, resources: Resources, masterUrl: string): ServiceSpec {
    const cores = String(Math.max(1, Math.floor(resources.cpus)));
    const args = [
        "org.apache.spark.deploy.worker.Worker",
        masterUrl,
        "--cores",
        cores,
        "--memory",
        `${workerMemoryMb(resources)}m`,
        "--webui-port",
        String(SPARK_WORKER_UI_PORT),
    ];
    // Executors' work dirs (fetched jars, their logs) are scratch: /tmp, which any user may write.
    const all = [...args, "--port", String(SPARK_WORKER_PORT), "--work-dir", "/tmp/spark-worker"];
    return sparkClass(name, image, resources, all, SPARK_WORKER_PORT, SPARK_WORKER_UI_PORT, {
        SPARK_DAEMON_MEMORY: "256m",
        AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
        AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
    });
}
