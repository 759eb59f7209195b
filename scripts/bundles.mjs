// The esbuild bundles: the extension client, the language server and the command line.
// Built once by scripts/build.mjs (npm run build), rebuilt on every save by scripts/watch.mjs.
import { readFile } from "node:fs/promises";

/**
 * The `yaml` parser reads process.env.LOG_TOKENS once per token (and the composer
 * LOG_STREAM once per document): a call into the C++ environment each time, which
 * was 40% of parsing a large protocol. Those debug switches are of no use in the
 * bundles, so they are compiled out.
 */
const yamlDebugSwitchesOff = {
  name: "yaml-debug-switches-off",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const contents = source.replace(/node_process\.env\.LOG_(TOKENS|STREAM)/g, "false");
      if (contents === source) throw new Error(`yaml debug switches not found in ${args.path}: update scripts/bundles.mjs`);
      return { contents, loader: "js" };
    });
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  logLevel: "warning",
  plugins: [yamlDebugSwitchesOff],
};
const bin = { banner: { js: "#!/usr/bin/env node" } };

/** esbuild's options for each bundle in dist/. */
export const bundles = [
  { ...common, ...bin, entryPoints: ["server/src/cli/main.ts"], outfile: "dist/review-lint.js" },
  { ...common, ...bin, entryPoints: ["server/src/cli/import-main.ts"], outfile: "dist/review-import.js" },
  { ...common, ...bin, entryPoints: ["server/src/cli/export-main.ts"], outfile: "dist/review-export.js" },
  { ...common, ...bin, entryPoints: ["server/src/server/main.ts"], outfile: "dist/server.js" },
  { ...common, entryPoints: ["server/src/server/library-worker.ts"], outfile: "dist/library-worker.js" },
  { ...common, entryPoints: ["client/src/extension.ts"], outfile: "dist/client.js", external: ["vscode"] },
];
