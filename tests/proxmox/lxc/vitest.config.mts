import { defineConfig } from "vitest/config";

// The in-container tier (tests/proxmox/lxc/run.sh): lakeforge's node-SSH code against real LXC
// containers behind a fake `pct`. Needs root and LXC, so it is not part of `npm test`; run.sh starts
// this inside the harness's network namespace, where the node's sshd listens.
export default defineConfig({
    test: {
        include: ["tests/proxmox/lxc/**/*.lxc.ts"],
        environment: "node",
        fileParallelism: false,
        testTimeout: 180_000,
        hookTimeout: 180_000,
    },
});
