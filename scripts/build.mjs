// Bundles the extension client, the language server and the command line with esbuild.
import { build } from "esbuild";

const common = { bundle: true, platform: "node", target: "node20", format: "cjs", sourcemap: true, logLevel: "warning" };
const bin = { banner: { js: "#!/usr/bin/env node" } };

await Promise.all([
  build({ ...common, ...bin, entryPoints: ["server/src/cli/main.ts"], outfile: "dist/review-lint.js" }),
  build({ ...common, ...bin, entryPoints: ["server/src/server/main.ts"], outfile: "dist/server.js" }),
  build({ ...common, entryPoints: ["client/src/extension.ts"], outfile: "dist/client.js", external: ["vscode"] }),
]);
