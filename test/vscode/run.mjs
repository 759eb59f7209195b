// npm run test:vscode: the extension's integration tests inside a real VS Code
// (mocha in the extension host: activation, diagnostics, hover, completion,
// code action). VS Code comes from $VSCODE_EXECUTABLE_PATH or a download; where
// neither is possible it prints one line saying why and exits 0.
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { runTests, downloadAndUnzipVSCode } = require("@vscode/test-electron");

let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
if (!vscodeExecutablePath) {
  try {
    vscodeExecutablePath = await Promise.race([
      downloadAndUnzipVSCode("stable"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in 30 s")), 30000)),
    ]);
  } catch (e) {
    console.log(`test:vscode skipped: VS Code cannot be downloaded on this machine (${String(e.message ?? e).split("\n")[0]}); set VSCODE_EXECUTABLE_PATH to run it`);
    process.exit(0);
  }
}
if (!existsSync(vscodeExecutablePath)) {
  console.log(`test:vscode skipped: no VS Code at ${vscodeExecutablePath}`);
  process.exit(0);
}
await runTests({
  vscodeExecutablePath,
  extensionDevelopmentPath: ROOT,
  extensionTestsPath: path.join(ROOT, "test/vscode/suite/index.cjs"),
  launchArgs: [path.join(ROOT, "seeds"), "--disable-extensions", "--disable-workspace-trust"],
});
