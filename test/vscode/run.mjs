// npm run test:vscode: the extension's integration tests (test/vscode/suite:
// mocha in the extension host, using the `vscode` API) inside a real VS Code.
// Where VS Code is given ($VSCODE_EXECUTABLE_PATH) or can be downloaded, through
// @vscode/test-electron; otherwise inside code-server's extension host
// (test/vscode/code-server.mjs), installing code-server into .ci-cache/ under CI.
// Outside CI, with neither, it prints one line saying why and exits 0; under
// CI=true that is a failure.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CI = process.env.CI === "true";

async function electron() {
  const { runTests, downloadAndUnzipVSCode } = require("@vscode/test-electron");
  let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
  if (!vscodeExecutablePath) {
    try {
      vscodeExecutablePath = await Promise.race([
        downloadAndUnzipVSCode("stable"),
        new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in 30 s")), 30000)),
      ]);
    } catch (e) {
      return `VS Code cannot be downloaded here (${String(e.message ?? e).split("\n")[0]})`;
    }
  }
  if (!existsSync(vscodeExecutablePath)) return `no VS Code at ${vscodeExecutablePath}`;
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, "test/vscode/suite/index.cjs"),
    launchArgs: [path.join(ROOT, "seeds"), "--disable-extensions", "--disable-workspace-trust"],
  });
  return undefined;
}

function codeServerBinary() {
  const cached = path.join(ROOT, ".ci-cache/code-server/node_modules/.bin/code-server");
  if (process.env.CODE_SERVER && existsSync(process.env.CODE_SERVER)) return process.env.CODE_SERVER;
  if (existsSync(cached)) return cached;
  if (!CI) return undefined;
  const r = spawnSync("bash", [path.join(ROOT, ".ci/install-code-server.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return r.status === 0 ? r.stdout.trim().split("\n").pop() : undefined;
}

const why = await electron();
if (why === undefined) process.exit(0);
const codeServer = codeServerBinary();
if (codeServer) {
  console.log(`test:vscode: ${why}; running the suite in code-server's extension host`);
  const r = spawnSync(process.execPath, [path.join(ROOT, "test/vscode/code-server.mjs"), codeServer], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
console.log(`test:vscode ${CI ? "FAILED" : "skipped"}: ${why}, and no code-server (.ci-cache/code-server, or CODE_SERVER; CI installs it)`);
process.exit(CI ? 1 : 0);
