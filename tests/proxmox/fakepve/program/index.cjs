// A small stack on the real proxmox runtime (the compiled bin/ of the repository in LAKEFORGE_REPO):
// two services on one image, one with a data volume and a credential file. The contract tier
// (../steps.mjs) changes its `contract:*` config between runs (memory, image, password) and checks
// what reached the fake PVE; the live tier (../../live) runs it on a real node with a real image
// (`contract:command`, `contract:webCommand`, `contract:health` then say what to run).
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");

const bin = path.join(process.env.LAKEFORGE_REPO, "bin", "src", "runtime", "proxmox");
const { proxmoxSettingsSchema } = require(path.join(bin, "settings"));
const { ProxmoxRuntime } = require(path.join(bin, "runtime"));

const lakeforge = new pulumi.Config("lakeforge");
const contract = new pulumi.Config("contract");
const settings = proxmoxSettingsSchema.parse(lakeforge.requireObject("proxmox"));
// With `contract:logs`, web stands in for the log collector (collectsLogs, as Alloy's user).
const logs = contract.getBoolean("logs") === true;
const runtime = new ProxmoxRuntime({ settings, stack: pulumi.getStack(), collectLogs: logs });
const parent = new pulumi.ComponentResource("lakeforge:contract:Services", "services");

const healthCheck = {
    command: contract.getObject("health") ?? ["/bin/true"],
    intervalSeconds: 1,
    timeoutSeconds: 2,
    retries: 3,
    startPeriodSeconds: 0,
};
const base = {
    image: contract.require("image"),
    secretEnv: {},
    ports: [{ name: "http", port: 8080, scheme: "http" }],
    healthCheck,
    capabilities: [],
    readOnlyRootFilesystem: false,
};
const db = runtime.deploy(
    {
        ...base,
        name: "db",
        entrypoint: contract.getObject("entrypoint"),
        command: contract.getObject("command") ?? ["serve", "--data", "/data"],
        env: { DB_MODE: contract.require("mode") },
        files: [
            { path: "/etc/db/db.conf", content: "listen = 0.0.0.0:8080\n", secret: false },
            { path: "/run/secrets/db-password", content: contract.requireSecret("password"), secret: true },
        ],
        volumes: [{ name: "data", path: "/data" }],
        resources: { memoryMb: contract.requireNumber("memoryMb"), cpus: 0.5 },
        user: "1000:1000",
    },
    parent,
);
// Without an argv of its own (in the contract tier), web runs the image's Entrypoint and Cmd.
const webArgv = contract.getObject("webArgv");
const web = runtime.deploy(
    {
        ...base,
        name: "web",
        entrypoint: webArgv,
        env: {},
        files: [],
        volumes: [],
        resources: { memoryMb: 128, cpus: 0.25 },
        ...(logs ? { collectsLogs: true, user: "473:473" } : {}),
    },
    parent,
);
runtime.finish();

exports.dbEndpoint = db.endpoint("http");
exports.webEndpoint = web.endpoint("http");
