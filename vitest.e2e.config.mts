import { defineConfig } from "vitest/config";

// The end-to-end tier (npm run test:e2e) and its benchmark (npm run bench:e2e, LAKEFORGE_MEASURE=1):
// real stacks on a real Docker Engine, one file at a time.
export default defineConfig({
    test: {
        include: process.env["LAKEFORGE_MEASURE"] === "1" ? ["tests/e2e/**/*.measure.ts"] : ["tests/e2e/**/*.e2e.ts"],
        environment: "node",
        fileParallelism: false,
        testTimeout: 3_600_000,
        hookTimeout: 600_000,
    },
});
