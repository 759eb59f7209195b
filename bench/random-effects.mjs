#!/usr/bin/env node
// Section 8.1's random-effects methods at the issue's scale: REML + HKSJ + prediction
// interval + Q-profile τ² interval for 373 analyses (the 19 reviews of the contract's
// check) in one process; the goal is 100 ms (metafor takes ~8 s). The workload is
// every analysis of the public .rm5 files in ../shared/rm5, read with the project's
// own reader and taken as RevMan computes its rows (all estimable rows, subgroups
// together), repeated to 373. Appends a section to docs/performance.md.
//   node bench/random-effects.mjs [--out docs/performance.md] [--runs 15]
import { build } from "esbuild";
import { appendFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RM5 = path.resolve(ROOT, "../shared/rm5");
const args = process.argv.slice(2);
const outFile = args.includes("--out") ? args[args.indexOf("--out") + 1] : path.join(ROOT, "docs/performance.md");
const RUNS = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 15;
const ANALYSES = 373;
const GOAL_MS = 100;

if (!existsSync(RM5)) {
  console.error(`random-effects bench: no ${RM5} (../shared beside the project); nothing measured`);
  process.exit(1);
}

// The core modules from their TypeScript, bundled once (the dist bundles export no functions).
const bundle = await build({
  stdin: {
    contents: [
      'export { decodeRm5, readRm5, rm5Spec } from "./server/src/core/revman/rm5";',
      'export { computeMetaAnalysis as computeAnalysis } from "./server/src/core/stats/pooling";',
      'export { randomEffects } from "./server/src/core/stats/random-effects";',
    ].join("\n"),
    resolveDir: ROOT,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  write: false,
  logLevel: "warning",
});
const dir = path.join(os.tmpdir(), "review-protocol-bench");
mkdirSync(dir, { recursive: true });
const modulePath = path.join(dir, "random-effects-core.cjs");
writeFileSync(modulePath, bundle.outputFiles[0].text);
const { decodeRm5, readRm5, rm5Spec, computeAnalysis, randomEffects } = createRequire(import.meta.url)(modulePath);

/** Each analysis's estimable rows (y, v on the analysis scale), as the random-effects pool takes them, and its spec under section 8.1's methods. */
const analyses = [];
const specs = [];
const files = readdirSync(RM5).filter((f) => f.endsWith(".rm5")).sort();
for (const f of files) {
  for (const o of readRm5(decodeRm5(readFileSync(path.join(RM5, f)))).outcomes) {
    const studies = computeAnalysis(rm5Spec(o)).studies.filter((s) => s.estimable).map((s) => ({ y: s.y, v: s.v }));
    if (!studies.length) continue;
    analyses.push(studies);
    // The whole analysis as review-lint computes it: per-study estimates, subgroups, total, subgroup test.
    specs.push({ ...rm5Spec(o), model: "random", tau2: "REML", ci: "hksj", prediction: true, totals: "overall" });
  }
}
const workload = Array.from({ length: ANALYSES }, (_, i) => analyses[i % analyses.length]);
const specWorkload = Array.from({ length: ANALYSES }, (_, i) => specs[i % specs.length]);
const rows = workload.reduce((n, s) => n + s.length, 0);

function runOnce() {
  let failures = 0;
  let iterations = 0;
  const t = performance.now();
  for (const studies of workload) {
    const r = randomEffects(studies, { tau2: "REML", ci: "hksj" });
    if (r.ok) iterations += r.iterations;
    else failures++;
  }
  return { ms: performance.now() - t, failures, iterations };
}

/** The same analyses through the meta-analysis (computeMetaAnalysis) with REML, HKSJ and prediction: what review-lint --results runs. */
function runAnalyses() {
  let failures = 0;
  const t = performance.now();
  for (const spec of specWorkload) if (!computeAnalysis(spec).pooled) failures++;
  return { ms: performance.now() - t, failures };
}

const first = runOnce();
const times = [];
for (let i = 0; i < RUNS; i++) times.push(runOnce().ms);
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor((sorted.length - 1) / 2)];
const firstWhole = runAnalyses();
const wholeTimes = [];
for (let i = 0; i < RUNS; i++) wholeTimes.push(runAnalyses().ms);
wholeTimes.sort((a, b) => a - b);
const wholeMedian = wholeTimes[Math.floor((wholeTimes.length - 1) / 2)];
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

const section = `
## Random-effects methods of section 8.1

REML τ² (halved Fisher steps to 1e-12), the Q-profile 95% interval for τ² (to 1e-10),
the HKSJ interval and the 95% prediction interval for ${ANALYSES} analyses in one
process: the ${analyses.length} analyses of the ${files.length} public reviews in \`../shared/rm5\` with
an estimable row, read with the project's reader and repeated (${rows.toLocaleString("en")} rows in all;
${first.iterations.toLocaleString("en")} REML iterations; ${first.failures} failures).

| metric | result | goal |
|---|---:|---:|
| ${ANALYSES} analyses, first run (cold) | ${ms(first.ms)} ms | |
| ${ANALYSES} analyses, median of ${RUNS} runs | ${ms(median)} ms | ≤ ${GOAL_MS} ms |
| fastest / slowest run | ${ms(sorted[0])} / ${ms(sorted[sorted.length - 1])} ms | |
| ${ANALYSES} whole analyses (\`model: random, tau2: REML, ci: hksj, prediction: true\`: per-study estimates, subgroups, total), median of ${RUNS} | ${ms(wholeMedian)} ms | |
`;
appendFileSync(outFile, section);
console.log(section);
if (first.failures || firstWhole.failures) process.exitCode = 1;
// A goal missed by far (not noise on a shared machine) fails the run.
if (median > 3 * GOAL_MS) {
  console.error(`random-effects bench: ${ms(median)} ms, far above the ${GOAL_MS} ms goal`);
  process.exitCode = 1;
}
