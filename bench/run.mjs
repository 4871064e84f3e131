// `npm run bench`: medians on this machine of (1) evaluating each shipped stack's program under
// mocks, in a fresh process per run, and (2) the whole `npm test`. Targets: < 2 s and < 30 s.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
const stacks = readdirSync(".")
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter(Boolean);
for (const stack of stacks) {
    const samples = [];
    let resources = 0;
    for (let i = 0; i < runs; i++) {
        const out = execFileSync(process.execPath, ["bench/eval-stack.cjs", stack], { encoding: "utf8" });
        const result = JSON.parse(out.trim().split("\n").pop());
        samples.push(result.ms);
        resources = result.resources;
    }
    console.log(
        `program under mocks, stack ${stack}: median ${median(samples)} ms over ${runs} runs (${resources} resources; samples ${samples.join(", ")} ms; target < 2000 ms)`,
    );
}

const testRuns = Number(process.env.BENCH_TEST_RUNS ?? 3);
const testSamples = [];
for (let i = 0; i < testRuns; i++) {
    const t0 = performance.now();
    const r = spawnSync("npm", ["test", "--silent"], { stdio: "ignore" });
    if (r.status !== 0) throw new Error("npm test failed during the benchmark");
    testSamples.push(Math.round(performance.now() - t0));
}
console.log(`npm test: median ${median(testSamples)} ms over ${testRuns} runs (samples ${testSamples.join(", ")} ms; target < 30000 ms)`);
