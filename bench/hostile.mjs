// Hostile sizes (issue 23), for `npm run bench` (bench/run.mjs): the sample
// protocol with hundreds of thousands of two-line list items, opened over LSP
// and linted on the command line, each run several times (the medians count).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require("vscode-jsonrpc/node");

export const HOSTILE_WORKLOADS = [
  { items: 400_000, goalMs: 1000 },
  { items: 800_000, goalMs: 2000 },
  { items: 1_000_000 },
];

/** The sample with `items` two-line excluded-study items (`- id: …`, `reason: …`) before its studies. */
export function hostileProtocol(root, items) {
  const sample = readFileSync(path.join(root, "seeds/mms-lactation.protocol.yaml"), "utf8");
  const at = sample.indexOf("\nstudies:\n") + 1;
  const lines = new Array(items);
  for (let i = 0; i < items; i++) lines[i] = `  - id: e${i.toString(36)}\n    reason: x\n`;
  return sample.slice(0, at) + "excluded_studies:\n" + lines.join("") + sample.slice(at);
}

function peakRss(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Opens `text` as `file` in a fresh server: time to the first diagnostics, peak RSS, the diagnostics. */
export async function openOverLsp(root, dir, file, text) {
  const child = spawn(process.execPath, [path.join(root, "dist/server.js"), "--stdio"], { stdio: ["pipe", "pipe", "ignore"] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onError(() => undefined);
  let published;
  const first = new Promise((resolve) => (published = resolve));
  conn.onNotification("textDocument/publishDiagnostics", (p) => published(p));
  conn.onRequest("workspace/configuration", (p) => p.items.map(() => ({})));
  conn.onRequest("client/registerCapability", () => null);
  conn.listen();
  const rootUri = pathToFileURL(dir).href;
  await conn.sendRequest("initialize", { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: "hostile" }], capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } } });
  await conn.sendNotification("initialized", {});
  const idle = peakRss(child.pid);
  const started = performance.now();
  await conn.sendNotification("textDocument/didOpen", { textDocument: { uri: pathToFileURL(file).href, languageId: "yaml", version: 1, text } });
  const p = await first;
  const ms = performance.now() - started;
  const rss = peakRss(child.pid);
  const exited = new Promise((r) => child.once("exit", r));
  await Promise.race([conn.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 5000))]);
  await conn.sendNotification("exit");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill();
  conn.dispose();
  return { ms, rss, idle, diagnostics: p.diagnostics.length, internal: p.diagnostics.some((d) => /Internal error|Maximum call stack/.test(d.message)) };
}

/** review-lint on the file, from process start to exit, and its peak RSS. */
export function lintOnCommandLine(root, dir, file) {
  const wrapper = `process.on("exit", () => process.stderr.write("VmHWM " + /VmHWM:\\s+(\\d+)/.exec(require("fs").readFileSync("/proc/self/status", "utf8"))[1] + "\\n")); require(${JSON.stringify(path.join(root, "dist/review-lint.js"))});`;
  const started = performance.now();
  // With -e, process.argv has no script path: a placeholder takes its place (review-lint reads argv from the third).
  const r = spawnSync(process.execPath, ["-e", wrapper, "review-lint", "--root", dir, "--format", "json", file], { encoding: "utf8", maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  const rss = Number(/VmHWM (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  let diagnostics = NaN;
  let internal = true;
  try {
    const out = JSON.parse(r.stdout);
    diagnostics = out.length;
    internal = out.some((d) => /Internal error|Maximum call stack/.test(d.message));
  } catch {}
  return { ms, rss, status: r.status, diagnostics, internal };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Every hostile workload, `runs` times each over LSP and on the command line; medians and every run. */
export async function hostileBench(root, runs = 3, log = () => undefined) {
  const dir = path.join(os.tmpdir(), "review-protocol-bench", "hostile");
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSeeds(root)) writeFileSync(path.join(dir, f), readFileSync(path.join(root, "seeds", f)));
  const results = [];
  for (const w of HOSTILE_WORKLOADS) {
    const text = hostileProtocol(root, w.items);
    const file = path.join(dir, `hostile-${w.items}.protocol.yaml`);
    writeFileSync(file, text);
    const mb = Buffer.byteLength(text) / 1e6;
    const lsp = [];
    const cli = [];
    for (let k = 0; k < runs; k++) {
      lsp.push(await openOverLsp(root, dir, file, text));
      cli.push(lintOnCommandLine(root, dir, file));
      log(`  ${w.items.toLocaleString("en")} items (${mb.toFixed(1)} MB), run ${k + 1}: LSP ${lsp[k].ms.toFixed(0)} ms / ${lsp[k].rss.toFixed(0)} MB; command line ${cli[k].ms.toFixed(0)} ms / ${cli[k].rss.toFixed(0)} MB\n`);
    }
    results.push({
      ...w,
      mb,
      lsp: { ms: median(lsp.map((r) => r.ms)), all: lsp.map((r) => r.ms), rss: median(lsp.map((r) => r.rss)), added: median(lsp.map((r) => r.rss - r.idle)), idle: median(lsp.map((r) => r.idle)), diagnostics: lsp[0].diagnostics, internal: lsp.some((r) => r.internal) },
      cli: { ms: median(cli.map((r) => r.ms)), all: cli.map((r) => r.ms), rss: median(cli.map((r) => r.rss)), diagnostics: cli[0].diagnostics, internal: cli.some((r) => r.internal), status: cli[0].status },
    });
  }
  return results;
}

function readdirSeeds(root) {
  return require("node:fs").readdirSync(path.join(root, "seeds")).filter((f) => !f.endsWith(".protocol.yaml"));
}
