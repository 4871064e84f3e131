import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts", "policies/tests/**/*.test.ts"],
        environment: "node",
        // Pulumi's mock runtime is process-global state: give every file its own process.
        pool: "forks",
        testTimeout: 20000,
    },
});
