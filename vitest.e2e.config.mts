import { defineConfig } from "vitest/config";

// The end-to-end tier (npm run test:e2e): real stacks on a real Docker Engine, one file at a time.
export default defineConfig({
    test: {
        include: ["tests/e2e/**/*.e2e.ts"],
        environment: "node",
        fileParallelism: false,
        testTimeout: 600_000,
        hookTimeout: 600_000,
    },
});
