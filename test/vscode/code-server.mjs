// The standard extension suite (test/vscode/suite: mocha in the extension host,
// using the `vscode` API) run inside code-server's Node extension host, for
// machines that cannot download VS Code. VS Code's web workbench reads
// `extensionDevelopmentPath` and `extensionTestsPath` from its `payload` URL
// parameter (as VS Code's own browser integration tests do); the suite's log
// and exit code come back through window.codeAutomationLog/codeAutomationExit,
// which Playwright exposes to the page. Exits with the suite's code.
//   node test/vscode/code-server.mjs CODE_SERVER_BIN
import { cpSync } from "node:fs";
import * as path from "node:path";
import { format } from "node:util";
import { fileURLToPath } from "node:url";
import { codeServerFolders, launchChromium, startCodeServer } from "../helpers/code-server.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const [codeServer] = process.argv.slice(2);

const folders = codeServerFolders("rp-vscode-suite-");
const workspace = path.join(folders.tmp, "seeds");
cpSync(path.join(ROOT, "seeds"), workspace, { recursive: true });
const { port, stop } = startCodeServer(codeServer, folders, workspace, 19000);
const browser = await launchChromium();
const page = await browser.newPage();
const exited = new Promise((resolve) => {
  void page.exposeFunction("codeAutomationExit", (code) => resolve(code));
});
// The workbench's own chatter (connections, the unreachable marketplace) is not the suite's.
const NOISE = /^(Resolving connection|Resolved connection|Creating a socket|\[Service Worker\]|Updating additional builtin|ChatSessionStore|getaddrinfo ENOTFOUND)|\/static\/out\/vs\//;
await page.exposeFunction("codeAutomationLog", (type, args) => {
  const line = format(...args);
  if (NOISE.test(line)) return;
  (type === "error" ? console.error : console.log)(line);
});

// The extension and the suite as the server sees them: vscode-remote URIs on this code-server.
const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
const payload = JSON.stringify([
  ["extensionDevelopmentPath", remote(ROOT)],
  ["extensionTestsPath", remote(path.join(ROOT, "test/vscode/suite/index.cjs"))],
  ["skipWelcome", "true"],
]);
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
for (let i = 0; ; i++) {
  try {
    await page.goto(url, { timeout: 5000 });
    break;
  } catch (e) {
    // code-server takes a few seconds to listen.
    if (i === 60) throw e;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("timeout"), 300000))]);
await browser.close();
stop();
if (code === "timeout") {
  console.log("test:vscode: the suite did not finish within 5 minutes");
  process.exit(1);
}
process.exit(Number(code));
