#!/usr/bin/env node
// npm run bench: our language server against yaml-language-server (with the JSON
// Schema generated from our zod schema) on the same generated protocols, in one run.
// Measures open -> first diagnostics, one-character edits -> diagnostics for that
// version (inside studies, in the outcomes list, in sources), hover and completion
// latency, and peak RSS. Writes docs/performance.md.
// Then the hostile sizes (bench/hostile.mjs): hundreds of thousands of list items,
// over LSP and on the command line, each run HOSTILE_RUNS times (default 3).
//   node bench/run.mjs [--quick] [--no-yamlls] [--no-hostile] [--out docs/performance.md]
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { hostileBench } from "./hostile.mjs";

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require("vscode-jsonrpc/node");

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const withYamlLs = !args.includes("--no-yamlls");
const withHostile = !args.includes("--no-hostile");
const outFile = args.includes("--out") ? args[args.indexOf("--out") + 1] : path.join(ROOT, "docs/performance.md");
const GENERATOR = path.resolve(ROOT, "../shared/bench/gen-protocol.mjs");
const EDITS = quick ? 8 : 24;

const ALL_WORKLOADS = [
  { name: "300 studies × 20 outcomes, rob1", args: ["--studies", "300", "--outcomes", "20"], goal: 30 },
  { name: "1,000 studies × 20 outcomes, rob1", args: ["--studies", "1000", "--outcomes", "20"], goal: 80 },
  { name: "2,000 studies × 25 outcomes, rob2", args: ["--studies", "2000", "--outcomes", "25", "--tool", "rob2"], goal: 250 },
];

const WORKLOADS = process.env.BENCH_ONLY ? ALL_WORKLOADS.slice(0, Number(process.env.BENCH_ONLY)) : ALL_WORKLOADS;

const SERVERS = {
  ours: { label: "review-protocol-server", command: [process.execPath, path.join(ROOT, "dist/server.js"), "--stdio"] },
  yamlls: { label: "yaml-language-server 1.25", command: [process.execPath, path.join(ROOT, "node_modules/yaml-language-server/bin/yaml-language-server"), "--stdio"] },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const p95 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] : NaN;
};
const ms = (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : x.toFixed(0)) : "—");

function peakRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** One-character edits spread through the file: inside studies, in the outcomes list, in sources. */
function editPositions(text, count) {
  const lines = text.split("\n");
  const pick = (pred) => lines.map((l, i) => (pred(l) ? i : -1)).filter((i) => i >= 0);
  const supportLines = pick((l) => l.includes("support: generated support text"));
  const outcomeNames = pick((l) => /^\s+name: Generated outcome/.test(l));
  const sourceLines = pick((l) => l.includes("bibliography: sources/included.bib"));
  const edits = [];
  for (let k = 0; k < count; k++) {
    let line, column;
    if (k % 8 === 6 && outcomeNames.length) {
      line = outcomeNames[k % outcomeNames.length];
      column = lines[line].length; // "Generated outcome 3" -> "Generated outcome 3x"
      edits.push({ where: "outcomes", line, column, text: "x" });
    } else if (k % 8 === 7 && sourceLines.length) {
      line = sourceLines[0];
      column = lines[line].length; // a trailing space: same value, the sources chunk re-checked
      edits.push({ where: "sources", line, column, text: " " });
    } else {
      line = supportLines[Math.floor(((k + 0.5) / count) * supportLines.length)];
      column = lines[line].indexOf("support text") + "support".length; // inside a study
      edits.push({ where: "study", line, column, text: "x" });
    }
  }
  return edits;
}

async function session(serverKey, dir, file, text) {
  const server = SERVERS[serverKey];
  const child = spawn(server.command[0], server.command.slice(1), { stdio: ["pipe", "pipe", process.env.BENCH_DEBUG ? "inherit" : "ignore"] });
  child.on("exit", (code, signal) => { if (process.env.BENCH_DEBUG) console.error(`${serverKey} exited ${code} ${signal}`); });
  child.stdin.on("error", () => undefined);
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onError(() => undefined);
  const waiters = [];
  conn.onNotification("textDocument/publishDiagnostics", (p) => {
    for (const w of [...waiters]) if (w.match(p)) waiters.splice(waiters.indexOf(w), 1), w.resolve(p);
  });
  const schemaUri = pathToFileURL(path.join(ROOT, "schemas/protocol.schema.json")).href;
  const yamlSettings = { yaml: { validate: true, hover: true, completion: true, schemas: { [schemaUri]: "*.protocol.yaml" }, schemaStore: { enable: false } } };
  conn.onRequest("workspace/configuration", (p) => p.items.map((i) => (i.section === "yaml" ? yamlSettings.yaml : i.section ? yamlSettings[i.section] ?? {} : yamlSettings)));
  conn.onRequest("client/registerCapability", () => null);
  conn.onRequest("window/workDoneProgress/create", () => null);
  conn.onNotification(() => undefined);
  conn.listen();
  const wait = (match, timeout = 120000) =>
    new Promise((resolve) => {
      const w = { match, resolve };
      waiters.push(w);
      setTimeout(() => {
        const i = waiters.indexOf(w);
        if (i >= 0) waiters.splice(i, 1), resolve(null);
      }, timeout).unref();
    });
  const uri = pathToFileURL(file).href;
  const rootUri = pathToFileURL(dir).href;
  await conn.sendRequest("initialize", {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: "bench" }],
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { versionSupport: true }, completion: { completionItem: { snippetSupport: true } } } },
    initializationOptions: {},
  });
  await conn.sendNotification("initialized", {});
  if (serverKey === "yamlls") await conn.sendNotification("workspace/didChangeConfiguration", { settings: yamlSettings });

  const result = { open: NaN, edits: [], byWhere: {}, hover: [], completion: [], rss: NaN, diagnostics: 0 };
  let t = performance.now();
  const opened = wait((p) => p.uri === uri);
  await conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
  const first = await opened;
  result.open = performance.now() - t;
  result.diagnostics = first ? first.diagnostics.length : NaN;

  let version = 1;
  for (const e of editPositions(text, EDITS)) {
    version++;
    const v = version;
    const got = wait((p) => p.uri === uri && (p.version === undefined || p.version === v));
    t = performance.now();
    await conn.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: e.line, character: e.column }, end: { line: e.line, character: e.column } }, text: e.text }],
    });
    const p = await got;
    const dt = p ? performance.now() - t : NaN;
    result.edits.push(dt);
    (result.byWhere[e.where] ??= []).push(dt);
  }

  // Hover on a citation in the middle, completion of a judgement value.
  const lines = text.split("\n");
  const citeLine = lines.findIndex((l, i) => i > lines.length / 2 && l.includes("    cite: "));
  const judgementLine = lines.findIndex((l, i) => i > lines.length / 2 && l.includes("{ judgement: "));
  for (let k = 0; k < (quick ? 5 : 20); k++) {
    t = performance.now();
    await conn.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: citeLine, character: 12 } });
    result.hover.push(performance.now() - t);
    t = performance.now();
    await conn.sendRequest("textDocument/completion", { textDocument: { uri }, position: { line: judgementLine, character: lines[judgementLine].indexOf("judgement: ") + 11 } });
    result.completion.push(performance.now() - t);
  }
  result.rss = peakRss(child.pid);
  const exited = new Promise((r) => child.once("exit", r));
  try {
    await Promise.race([conn.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 2000))]);
    await conn.sendNotification("exit");
  } catch {}
  await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  conn.dispose();
  if (child.exitCode === null) child.kill();
  return result;
}

function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${os.type()} ${os.release()}; Node ${process.version}`;
}

const rows = [];
const summary = [];
if (!existsSync(path.join(ROOT, "dist/server.js"))) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
for (const w of WORKLOADS) {
  const dir = path.join(os.tmpdir(), "review-protocol-bench", w.args.join("-"));
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [GENERATOR, dir, ...w.args], { stdio: "ignore" });
  const file = path.join(dir, "big.protocol.yaml");
  const text = readFileSync(file, "utf8");
  const lineCount = text.split("\n").length - 1;
  process.stderr.write(`${w.name} (${lineCount} lines, ${(text.length / 1e6).toFixed(1)} MB): ours…`);
  const ours = await session("ours", dir, file, text);
  process.stderr.write(` ${ms(median(ours.edits))} ms/edit`);
  let theirs;
  if (withYamlLs) {
    process.stderr.write("; yaml-language-server…");
    theirs = await session("yamlls", dir, file, text);
    process.stderr.write(` ${ms(median(theirs.edits))} ms/edit`);
  }
  process.stderr.write("\n");
  const ratio = (a, b) => (theirs && Number.isFinite(a) && Number.isFinite(b) && a > 0 ? `${(b / a).toFixed(0)}×` : "—");
  const line = (metric, a, b) => rows.push(`| ${w.name} | ${metric} | ${ms(a)} | ${theirs ? ms(b) : "—"} | ${ratio(a, b)} |`);
  line("open → first diagnostics (ms)", ours.open, theirs?.open);
  line("edit → diagnostics, median (ms)", median(ours.edits), theirs && median(theirs.edits));
  line("edit → diagnostics, p95 (ms)", p95(ours.edits), theirs && p95(theirs.edits));
  for (const where of Object.keys(ours.byWhere)) line(`  edit in ${where}, median (ms)`, median(ours.byWhere[where]), theirs && median(theirs.byWhere[where] ?? []));
  line("hover, median (ms)", median(ours.hover), theirs && median(theirs.hover));
  line("completion, median (ms)", median(ours.completion), theirs && median(theirs.completion));
  rows.push(`| ${w.name} | peak RSS (MB) | ${ms(ours.rss)} | ${theirs ? ms(theirs.rss) : "—"} | |`);
  rows.push(`| ${w.name} | diagnostics on open | ${ours.diagnostics} | ${theirs ? theirs.diagnostics : "—"} | |`);
  summary.push({ name: w.name, lines: lineCount, goal: w.goal, ours, theirs });
}

// The previous run's numbers (the file this run replaces): before and after, side by side.
const previous = new Map();
let previousDate = "";
if (existsSync(outFile)) {
  const old = readFileSync(outFile, "utf8");
  previousDate = /on (\d{4}-\d{2}-\d{2})\./.exec(old)?.[1] ?? "";
  for (const m of old.matchAll(/^\| ([^|]+) \| ([^|]+) \| ([^|]+) \|/gm)) previous.set(`${m[1].trim()}|${m[2].trim()}`, m[3].trim());
}
const withPrevious = rows.map((r) => {
  const [, workload, metric, ...rest] = r.split("|").map((x) => x.trim());
  const before = previous.get(`${workload}|${metric}`) ?? "—";
  return `| ${workload} | ${metric} | ${rest[0]} | ${before} | ${rest.slice(1, -1).join(" | ")} |`;
});
const table = [`| workload | metric | review-protocol-server | previous run${previousDate ? ` (${previousDate})` : ""} | yaml-language-server | yaml-ls ÷ ours |`, "|---|---|---:|---:|---:|---:|", ...withPrevious].join("\n");
console.log(table);

const hostileSection = withHostile ? await hostileReport() : "";

/** The hostile sizes: goals, every run, medians, the previous run's medians beside them. */
async function hostileReport() {
  const runs = Number(process.env.HOSTILE_RUNS ?? 3);
  process.stderr.write(`hostile sizes (${runs} runs each):\n`);
  const results = await hostileBench(ROOT, runs, (line) => process.stderr.write(line));
  const list = (xs) => xs.map((x) => ms(x)).join(", ");
  const hostileRows = [];
  const row = (workload, metric, value, goal) => hostileRows.push(`| ${workload} | ${metric} | ${value} | ${previous.get(`${workload}|${metric}`) ?? "—"} | ${goal} |`);
  const goals = [];
  for (const r of results) {
    const w = `${r.items.toLocaleString("en")} list items (${r.mb.toFixed(1)} MB)`;
    const times = r.goalMs ? `≤ ${r.goalMs} ms` : "diagnostics, no internal error";
    row(w, "LSP: open → first diagnostics, median (ms)", ms(r.lsp.ms), times);
    row(w, "LSP: every run (ms)", list(r.lsp.all), "");
    row(w, "LSP: peak RSS (MB)", ms(r.lsp.rss), "");
    row(w, "LSP: RSS over an idle server (MB)", ms(r.lsp.added), `≤ ${ms(10 * r.mb)} (10× the input)`);
    row(w, "command line: start to exit, median (ms)", ms(r.cli.ms), "");
    row(w, "command line: every run (ms)", list(r.cli.all), "");
    row(w, "command line: peak RSS (MB)", ms(r.cli.rss), "");
    row(w, "diagnostics (LSP / command line); an internal error?", `${r.lsp.diagnostics} / ${r.cli.diagnostics}; ${r.lsp.internal || r.cli.internal ? "yes" : "no"}`, "no");
    const met = (ok) => (ok ? "met" : "not met");
    if (r.goalMs) goals.push(`- ${w}: over LSP **${ms(r.lsp.ms)} ms** (goal ≤ ${r.goalMs} ms) — ${met(r.lsp.ms <= r.goalMs)}; memory **${ms(r.lsp.added)} MB** over an idle server, ${(r.lsp.added / r.mb).toFixed(0)}× the input (goal ≤ 10×) — ${met(r.lsp.added <= 10 * r.mb)}`);
    else goals.push(`- ${w}: ${r.lsp.internal || r.cli.internal ? "**an internal error** — not met" : `diagnostics in ${ms(r.lsp.ms)} ms over LSP, no internal error — met`}`);
  }
  return { goals: goals.join("\n"), table: ["| workload | metric | this run | previous run | goal |", "|---|---|---:|---:|---|", ...hostileRows].join("\n"), runs, idle: results[0]?.lsp.idle };
}
const goals = summary
  .map((s) => {
    const lines = [`- ${s.name} (${s.lines} lines): edit → diagnostics median **${ms(median(s.ours.edits))} ms** (goal ≤ ${s.goal} ms) — ${median(s.ours.edits) <= s.goal ? "met" : "not met"}`];
    // Issue 5's goals for a cold open at 1,000 studies.
    if (s.name.startsWith("1,000")) {
      lines.push(`  open → first diagnostics, cold: **${ms(s.ours.open)} ms** (goal ≤ 1000 ms) — ${s.ours.open <= 1000 ? "met" : "not met"}`);
      lines.push(`  peak RSS: **${ms(s.ours.rss)} MB** (goal ≤ 150 MB) — ${s.ours.rss <= 150 ? "met" : "not met"}`);
    }
    return lines.join("\n");
  })
  .join("\n");
const doc = `# Performance

Measured by \`npm run bench\` (${quick ? "quick run" : `${EDITS} edits per workload`}) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine()}.

Both servers run as real processes over stdio, on the same files generated by
\`../shared/bench/gen-protocol.mjs\`, in the same run. yaml-language-server is
given the JSON Schema generated from our zod schema (\`schemas/protocol.schema.json\`)
for \`*.protocol.yaml\`; it checks the schema only, while ours also checks
references, citations against the bibliography, risk of bias, outcome reporting
and PRISMA-P. An edit is one inserted character, sent as an incremental change;
its time runs until the diagnostics for that version arrive. Edits are spread
through the file: inside studies (a support text), in the outcomes list (an
outcome's name) and in sources (a trailing space after the bibliography path).

${goals}

${table}

Reproduce: \`npm install && npm run bench\` (add \`--quick\` for fewer edits, \`--no-yamlls\` to run ours alone).

## Where the time goes

- **An edit** inside one line moves the previous chunk split (otherwise the text
  is re-split at column-0 lines, a jump per line), reuses every
  chunk the editor's change range does not touch without reading it, re-parses
  the one chunk it touched, re-checks only that study (results are keyed by the
  parsed chunk and the context fingerprint), then runs the cross-file checks on
  per-study summaries. What remains per edit is linear but cheap: the line scan,
  the line index for positions, and the summaries.
- **Opening** a large protocol: every chunk in plain YAML (all of the generated
  ones) is read by the fast reader (\`server/src/core/syntax/yaml-subset.ts\`), which
  builds the same tree as the \`yaml\` library 10× faster cold (17× warm); \`yaml\`
  reads every other chunk and stays the reference the reader is tested against.
  What remains of a cold open at 1,000 studies is the JIT warming up, reading
  the 1,000-entry bibliography with citation-js, the schema check and the study
  checks.
- **Memory**: Node and the server's code take ~80 MB before any document; the
  trees, chunk texts, bibliography and results of 1,000 studies ~25 MB more.
  The rest is V8's headroom and garbage: with its defaults the young generation
  grows to tens of MB during a first parse (every tree survives), and each edit
  leaves the previous text (1.5 MB at 1,000 studies) until the old generation
  has grown a few times over — a session climbed to ~170 MB. The server sets
  \`--semi-space-growth-factor=1\` and \`--heap-growing-percent=30\` when it
  starts (\`server/src/server/memory.ts\`): 1,000 studies peak at ~142 MB instead
  of ~170 MB and the 591-study review below at ~155 MB instead of ~205 MB; the
  price is more frequent full collections (in that review an edit's median
  +3 ms, its p95 ~75 ms instead of ~45 ms). \`--optimize-for-size\` kept memory
  as low but made edits at 2,000 studies twice as slow. An edit allocates
  ~11 MB at 2,000 studies, 4.6 MB of it the new text.
`;
writeFileSync(outFile, hostileSection ? doc + hostileDoc(hostileSection) : doc);
console.error(`wrote ${path.relative(ROOT, outFile)}`);

function hostileDoc({ goals, table, runs, idle }) {
  return `
## Hostile sizes

The sample protocol with hundreds of thousands of two-line list items
(\`excluded_studies\`: \`- id: e1a2b\` / \`reason: x\`, bench/hostile.mjs), opened in
a fresh server over LSP and linted by \`review-lint --format json\`, ${runs} runs of
each (medians; two shared cores, so each run is listed). Memory is the server's
peak RSS less its RSS when idle (${ms(idle)} MB, Node and the server's code).
Before issue 23, 400,000 items took 4.4–5.7 s over LSP and 3.2 s / 558 MB on
the command line as the issue measured them (4.0 s and 516 MB over LSP for
this workload when the work began), and 200,000 citations or duplicate ids
ended in "Internal error … Maximum call stack size exceeded".

${goals}

${table}

Where the time and memory went, and where they go now (\`node --cpu-prof\`
and peak RSS of the server opening 400,000 items; the server's own CPU time,
which two shared cores do not inflate as they do the wall clock, fell from
1.55 s to 1.0 s):

- **The tree** was one object per node: ~470 bytes per two-key item (a
  mapping, its pair list, two pairs, four scalars), 30× the input, and the
  collector marked all of it again and again while it grew (a third of the
  time). Lists of 512 items and more now keep each mapping of scalars packed
  (\`server/src/core/syntax/packed.ts\`): one small object over a table of
  offsets in fixed blocks of an \`Int32Array\` (13 ints for a two-key item),
  its pairs and scalars built only when a feature asks (hover, completion,
  a fix) and dropped after. The fast reader reads the usual item — \`key: value\`
  lines of plain one-line values — straight into the table, building no node;
  any other item is read as before and packed if its values are scalars. The
  \`fast-packed\` parse path packs every list, so the parity tests run every
  feature on packed items.
- **The schema check** made a plain copy of the whole list, and zod a second
  one: two objects per item alive at once. Lists that long are now checked item
  by item (each copy dropped before the next), with the same diagnostics; a
  key looked up in a packed item (\`cite\`, for citations) builds only its pair.
- **Text**: a chunk that is most of its document is no longer copied (the copy
  that keeps an old version from staying alive through a slice would cost more
  than the rest of the document it keeps). While it reads a text over 4 MB the
  server still lets V8 grow the old generation its own way (\`memory.ts\`;
  edits at 2,000 studies gain from it), but no longer the young generation:
  that took the peak from ~112 MB to ~85 MB over an idle server at 400,000 items.
- **What remains**: about two thirds of the open is the fast reader (the table
  of 800,000 lines and the items), a sixth the schema check (zod on each item),
  the rest the transport, the line index, citations and the collector (the
  small young generation of the frugal limits promotes each packed item). The
  memory is the texts (the message, the document, the line index) and the
  packed list: ~100 bytes per item.
`;
}
