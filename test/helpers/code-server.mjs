// code-server (VS Code's workbench over HTTP) and Debian's Chromium for the
// end-to-end scripts (test/e2e, test/vscode), as ../shared/design/real-editors.md
// describes them: a fresh user-data folder with workspace trust off, an
// extensions folder, a free port, and everything stopped when the script exits.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

/** Folders for one code-server run: user data (settings), extensions, and the environment it runs in. */
export function codeServerFolders(prefix) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), prefix));
  const userData = path.join(tmp, "user");
  mkdirSync(path.join(userData, "User"), { recursive: true });
  writeFileSync(path.join(userData, "User", "settings.json"), JSON.stringify({ "security.workspace.trust.enabled": false, "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "workbench.tips.enabled": false }));
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(tmp, "config"), XDG_DATA_HOME: path.join(tmp, "data") };
  return { tmp, userData, extensions: path.join(tmp, "extensions"), env };
}

/** Starts code-server on `workspace` (stopped with this process); resolves its port. */
export function startCodeServer(codeServer, folders, workspace, portBase) {
  const port = portBase + Math.floor(Math.random() * 1000);
  const server = spawn(codeServer, ["--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--disable-telemetry", "--disable-update-check", "--user-data-dir", folders.userData, "--extensions-dir", folders.extensions, workspace], {
    env: folders.env,
    detached: true,
    stdio: "ignore",
  });
  const stop = () => {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  };
  process.on("exit", stop);
  return { port, stop };
}

/** Debian's Chromium, headless, with nothing that reaches the network by itself. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
