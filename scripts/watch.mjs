// npm run watch: the daily loop. esbuild rebuilds dist/ on every save (what F5 and the
// stdio tests run), and `tsc -b --watch` type-checks every project and compiles the
// tests to out/. VS Code's task "npm: watch" reads tsc's output with the $tsc-watch
// problem matcher, so type errors reach the Problems panel; the first bundles are
// written before tsc starts, so a launch waiting on the task finds dist/ fresh.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { context } from "esbuild";
import { bundles } from "./bundles.mjs";

/** Says when a rebuild of dist/ failed or recovered (esbuild prints the errors themselves). */
const report = {
  name: "report",
  setup(b) {
    b.onEnd((result) => {
      const at = new Date().toLocaleTimeString();
      if (result.errors.length > 0) console.log(`[${at}] esbuild: ${b.initialOptions.outfile} not rebuilt (${result.errors.length} errors)`);
    });
  },
};

const contexts = await Promise.all(bundles.map((options) => context({ ...options, plugins: [...options.plugins, report] })));
await Promise.all(contexts.map((c) => c.rebuild().catch(() => undefined)));
await Promise.all(contexts.map((c) => c.watch()));
console.log(`esbuild: watching ${bundles.length} bundles in dist/`);

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const typecheck = spawn(process.execPath, [tsc, "-b", "--watch", "--preserveWatchOutput"], { stdio: "inherit" });

const stop = async () => {
  typecheck.kill();
  await Promise.all(contexts.map((c) => c.dispose()));
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
typecheck.on("exit", (code) => {
  console.log(`tsc --watch stopped (${code})`);
  void stop();
});
