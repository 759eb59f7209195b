/**
 * Hostile input: each case must give a clear diagnostic, quickly, with bounded
 * memory. The times are printed (speed is the benchmark's business, not a test
 * assertion); the slowest case is named at the end.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { ProtocolAnalyzer } from "../server/src/core/analyzer/analyzer";
import { SourceLoader } from "../server/src/core/sources/loader";
import { LspClient } from "./helpers/lsp";

const ROOT = path.resolve(__dirname, "../..");
const times: [string, number][] = [];

function analyse(name: string, text: string, dir = os.tmpdir()): ReturnType<ProtocolAnalyzer["analyse"]> {
  const started = performance.now();
  const a = new ProtocolAnalyzer().analyse(text, { path: path.join(dir, "hostile.protocol.yaml"), root: dir, loader: new SourceLoader() });
  const ms = performance.now() - started;
  times.push([name, ms]);
  console.log(`      (${name}: ${a.diagnostics.length} diagnostics in ${ms.toFixed(0)} ms)`);
  return a;
}

const HEAD = "protocol: 1\ntitle: Hostile - a systematic review protocol\ntype: intervention\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\n";

describe("hostile input", function () {
  this.timeout(120000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-hostile-"))));
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    const slowest = [...times].sort((a, b) => b[1] - a[1])[0];
    if (slowest) console.log(`      slowest hostile case: ${slowest[0]}, ${slowest[1].toFixed(0)} ms`);
  });

  it("a billion-laughs alias bomb is refused as such", () => {
    let s = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 12; i++) s += `l${i}: &l${i} [${Array(9).fill(i === 1 ? "*a" : `*l${i - 1}`).join(",")}]\n`;
    const a = analyse("alias bomb", s);
    assert.ok(a.diagnostics.some((d) => /alias bomb/.test(d.message)), a.diagnostics.map((d) => d.message).join("\n"));
  });

  it("a 50 MB file is refused with a diagnostic that says why", () => {
    const a = analyse("50 MB file", HEAD + "rationale: " + "x".repeat(50 * 1024 * 1024) + "\n");
    assert.equal(a.diagnostics.length, 1);
    assert.match(a.diagnostics[0]!.message, /This file is 50\.0 MB; protocols over 32 MB are not analysed/);
  });

  it("10,000-deep nesting, block and flow", () => {
    let block = "";
    for (let i = 0; i < 10000; i++) block += `${" ".repeat(i)}k${i}:\n`;
    assert.ok(analyse("10,000-deep block nesting", block).diagnostics.length > 0);
    assert.ok(analyse("10,000-deep flow nesting", "rationale: " + "[".repeat(10000) + "]".repeat(10000)).diagnostics.length > 0);
  });

  it("very long lines", () => {
    const a = analyse("a 10 MB line", HEAD + `rationale: See [@${"k".repeat(10 * 1024 * 1024)}]\n`);
    assert.ok(a.diagnostics.some((d) => d.code === "unresolved-citation"));
  });

  it("a binary file renamed .protocol.yaml, and invalid UTF-8, through review-lint", () => {
    const binary = path.join(dir, "image.protocol.yaml");
    fs.writeFileSync(binary, Buffer.from(Array.from({ length: 200000 }, (_, i) => (i * 2654435761) % 256)));
    const invalid = path.join(dir, "latin1.protocol.yaml");
    fs.writeFileSync(invalid, Buffer.concat([Buffer.from(HEAD), Buffer.from([0x72, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x61, 0x6c, 0x65, 0x3a, 0x20, 0xe9, 0xff, 0xfe, 0x0a])]));
    for (const file of [binary, invalid]) {
      const started = performance.now();
      const r = spawnSync(process.execPath, [path.join(ROOT, "dist/review-lint.js"), "--root", dir, "--format", "json", file], { encoding: "utf8" });
      times.push([path.basename(file), performance.now() - started]);
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      assert.ok(Array.isArray(JSON.parse(r.stdout)));
    }
  });

  it("a bibliography of 100,000 entries", () => {
    const bib = path.join(dir, "huge.bib");
    let s = "";
    for (let i = 0; i < 100000; i++) s += `@article{k${i},\n  author = {Author, A.},\n  title = {Title ${i}},\n  year = {2000}\n}\n`;
    fs.writeFileSync(bib, s);
    // A whole library is indexed (keys only; entries parsed when used), never refused below 100 MB.
    const a = analyse("100,000-entry bibliography", HEAD + "rationale: See [@k99999] and [@k100000].\nsources:\n  - bibliography: huge.bib\n", dir);
    assert.deepEqual(a.diagnostics.filter((d) => d.code === "unresolved-citation").map((d) => d.data?.key), ["k100000"]);
    assert.equal(a.sources.get("k99999")!.meta.title, "Title 99999");
  });

  it("a BibTeX file with unbalanced braces: one broken entry costs one entry, named with its line", () => {
    fs.writeFileSync(path.join(dir, "broken.bib"), "@article{a,\n  title = {An {unbalanced title},\n  year = {2020}\n}\n@article{b, title={B}}\n");
    const a = analyse("unbalanced BibTeX", HEAD + "sources:\n  - bibliography: broken.bib\n", dir);
    const d = a.diagnostics.find((x) => x.code === "source-unreadable");
    assert.ok(d);
    assert.match(d.message, /'a' at line 1/);
    assert.ok(a.sources.has("b"), "the other entry is indexed");
    // A file with nothing readable at all still names the parser's place.
    fs.writeFileSync(path.join(dir, "hopeless.bib"), "@article{a,\n  title = {An {unbalanced title},\n");
    const h = analyse("hopeless BibTeX", HEAD + "sources:\n  - bibliography: hopeless.bib\n", dir);
    assert.match(h.diagnostics.find((x) => x.code === "source-unreadable")!.message, /line \d+, column \d+/);
  });
});

/** bench/hostile.mjs: the workloads `npm run bench` measures, the same here with generous limits. */
interface HostileBench {
  hostileProtocol(root: string, items: number): string;
  openOverLsp(root: string, dir: string, file: string, text: string): Promise<{ ms: number; rss: number; idle: number; diagnostics: number; internal: boolean }>;
}
const hostileBench = () => import(pathToFileURL(path.join(ROOT, "bench/hostile.mjs")).href) as Promise<HostileBench>;

describe("hostile sizes (issue 23): the benchmark's goals with 10× room", function () {
  // Goals (docs/performance.md): 400,000 items (11 MB) in 1 s over LSP, 800,000 (22 MB) in 2 s, memory 10× the input.
  // Here ten times slower and three times the memory pass: these catch a stack overflow, a quadratic walk or
  // a tree of one object per node again, not a slowdown.
  this.timeout(180000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-sizes-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // 1,000,000 items have no time goal: 2.5 s, the 800,000 items' pace, ten times over.
  for (const [items, goalMs] of [[400_000, 1000], [800_000, 2000], [1_000_000, 2500]] as const) {
    it(`${items.toLocaleString("en")} list items over LSP: diagnostics within ${(10 * goalMs) / 1000} s, no internal error, memory within 3× the goal`, async () => {
      const bench = await hostileBench();
      const text = bench.hostileProtocol(ROOT, items);
      const file = path.join(dir, `h${items}.protocol.yaml`);
      fs.writeFileSync(file, text);
      const r = await bench.openOverLsp(ROOT, dir, file, text);
      const mb = Buffer.byteLength(text) / 1e6;
      times.push([`${items} items over LSP`, r.ms]);
      console.log(`      (${items} items, ${mb.toFixed(1)} MB: ${r.diagnostics} diagnostics in ${r.ms.toFixed(0)} ms, ${(r.rss - r.idle).toFixed(0)} MB over an idle server)`);
      assert.ok(!r.internal, "an internal error instead of diagnostics");
      assert.ok(r.diagnostics > 0);
      assert.ok(r.ms < 10 * goalMs, `${r.ms.toFixed(0)} ms`);
      // The goal is 10× the input; a tree of one object per node took 30×.
      assert.ok(r.rss - r.idle < 30 * mb, `${(r.rss - r.idle).toFixed(0)} MB for ${mb.toFixed(1)} MB of input`);
    });
  }

  it("1,000,000 list items on the command line path: diagnostics, not an internal error", async () => {
    const bench = await hostileBench();
    const a = analyse("1,000,000 list items", bench.hostileProtocol(ROOT, 1_000_000), path.join(ROOT, "seeds"));
    assert.ok(a.diagnostics.length > 0);
    assert.ok(!a.diagnostics.some((d) => /Internal error|call stack/.test(d.message)), a.diagnostics[0]?.message);
    assert.ok(times[times.length - 1]![1] < 60000);
  });

  /** 200,000 of one thing: each once overflowed the stack (a spread) or took hours (a quadratic walk). */
  const MANY = 200_000;
  const many = (f: (i: number) => string) => Array.from({ length: MANY }, (_, i) => f(i)).join("");
  const shapes: [string, string, RegExp][] = [
    ["citations in one text", `${HEAD}rationale: >\n${many((i) => `  see [@k${i}]\n`)}`, /unresolved-citation/],
    ["excluded studies citing unknown keys", `${HEAD}excluded_studies:\n${many((i) => `  - cite: k${i}\n    reason: x\n`)}`, /unresolved-citation/],
    ["studies with one id", `${HEAD}studies:\n${many(() => "  - id: S\n")}`, /duplicate-id/],
    ["outcomes, none reported by the one study", HEAD.replace("outcomes: [{ id: death, name: Death, role: primary }]\n", `outcomes:\n${many((i) => `  - { id: o${i}, name: O, role: secondary }\n`)}`) + "studies:\n  - id: S\n    outcomes: {}\n", /missing-outcome-status/],
  ];
  for (const [name, text, code] of shapes) {
    it(`${MANY.toLocaleString("en")} ${name}: diagnostics within 60 s`, () => {
      const a = analyse(`${MANY} ${name}`, text);
      assert.ok(!a.diagnostics.some((d) => /Internal error|call stack/.test(d.message)), a.diagnostics[0]?.message);
      assert.ok(a.diagnostics.some((d) => code.test(d.code)));
      assert.ok(times[times.length - 1]![1] < 60000);
    });
  }
});

describe("a file that is not text, in the server", () => {
  it("gets one yaml-syntax diagnostic 'not a text file', not a cascade", async () => {
    const client = new LspClient();
    await client.initialize(ROOT);
    const uri = pathToFileURL(path.join(os.tmpdir(), "image.protocol.yaml")).href;
    await client.open(uri, "\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR: [\n" + "x: y\n".repeat(50));
    const published = await client.diagnostics(uri);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ["yaml-syntax"]);
    assert.match(published.diagnostics[0]!.message, /not a text file/);
    await client.stop();
  });
});

describe("isolation: a failing feature answers empty and the server keeps serving", () => {
  it("with hover and completion made to fail, diagnostics and symbols still work", async () => {
    const previous = process.env.REVIEW_PROTOCOL_FAULTS;
    process.env.REVIEW_PROTOCOL_FAULTS = "hover,completion";
    const client = new LspClient();
    if (previous === undefined) delete process.env.REVIEW_PROTOCOL_FAULTS;
    else process.env.REVIEW_PROTOCOL_FAULTS = previous;
    await client.initialize(ROOT);
    const file = path.join(ROOT, "seeds/mms-lactation.protocol.yaml");
    const uri = pathToFileURL(file).href;
    await client.open(uri, fs.readFileSync(file, "utf8"));
    const published = await client.diagnostics(uri);
    assert.ok(published.diagnostics.length > 0);
    for (let i = 0; i < 3; i++) {
      assert.equal(await client.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: 10, character: 3 } }), null);
      assert.deepEqual(await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: { line: 10, character: 3 } }), []);
    }
    const symbols = (await client.connection.sendRequest("textDocument/documentSymbol", { textDocument: { uri } })) as unknown[];
    assert.ok(symbols.length > 0);
    assert.equal(client.process.exitCode, null);
    await client.stop();
  });
});
