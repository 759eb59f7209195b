/**
 * Fuzzing (fast-check): random and mutated protocols through the core and every
 * editor feature, and through the real server process. No exception escapes,
 * every range lies inside the document, every request answers, the server lives.
 * FUZZ_SECONDS bounds each property (default 8 s; CI sets more).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { ProtocolAnalyzer } from "../server/src/core/analyzer/analyzer";
import { SourceLoader } from "../server/src/core/sources/loader";
import { applyEdits, fixAll, quickFixes } from "../server/src/service/code-actions";
import { complete } from "../server/src/service/completion";
import { hover } from "../server/src/service/hover";
import { definition, references } from "../server/src/service/navigation";
import { prepareRename, rename } from "../server/src/service/rename";
import { codeLenses, documentSymbols } from "../server/src/service/symbols";
import { LineIndex } from "../server/src/core/syntax/text";
import { LspClient } from "./helpers/lsp";
import { document, SEEDS, type Mutation, lines } from "./helpers/fuzz";

const ROOT = path.resolve(__dirname, "../..");
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 8);
const loader = new SourceLoader();
const options = { path: path.join(ROOT, "seeds/fuzz.protocol.yaml"), root: ROOT, loader };

const within = (len: number, start: number, end: number) => start >= 0 && end <= len && start <= end;

describe("fuzzing", function () {
  this.timeout((SECONDS * 3 + 60) * 1000);

  it(`the core and every editor feature, for ${SECONDS} s`, () => {
    let documents = 0;
    const analyzer = new ProtocolAnalyzer();
    fc.assert(
      fc.property(document, fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), (text, offsets) => {
        documents++;
        const a = analyzer.analyse(text, options);
        assert.ok(!a.diagnostics.some((d) => d.message.startsWith("Internal error")), a.diagnostics.map((d) => d.message).join("\n"));
        for (const d of a.diagnostics) assert.ok(within(text.length, d.start, d.end), `${d.code} ${d.start}-${d.end} outside 0-${text.length}`);
        const lineIndex = new LineIndex(text);
        for (const raw of offsets) {
          const offset = text.length ? raw % (text.length + 1) : 0;
          hover(a, offset, () => 0);
          for (const item of complete(a, offset)) assert.ok(within(text.length, item.start, item.end));
          definition(a, offset);
          references(a, offset, true);
          const prepared = prepareRename(a, offset);
          if (!("error" in prepared)) rename(a, offset, "renamed-id");
          lineIndex.positionAt(offset);
        }
        for (const s of documentSymbols(a)) assert.ok(within(text.length, s.start, s.end));
        for (const l of codeLenses(a)) assert.ok(within(text.length, l.offset, l.offset));
        for (const action of [...quickFixes(a, a.diagnostics.map((d) => ({ code: d.code, start: d.start, data: d.data }))), ...fixAll(a)]) {
          for (const e of action.edits) assert.ok(within(text.length, e.from, e.to), `${action.title}: ${e.from}-${e.to}`);
        }
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: SECONDS * 1000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    console.log(`      (${documents} documents through the core and every feature in ${SECONDS} s)`);
    assert.ok(documents > 50);
  });

  it(`quick fixes and rename never lose text outside their target, for ${SECONDS} s`, () => {
    let fixes = 0;
    const valid = SEEDS.filter((t) => !new ProtocolAnalyzer().analyse(t, options).diagnostics.some((d) => d.code === "yaml-syntax"));
    // Incomplete records: lines dropped or a value misspelt, the way fixable problems arise.
    const damage: fc.Arbitrary<Mutation> = fc.oneof(
      fc.nat().map((i) => (t: string) => {
        const l = lines(t);
        const candidates = l.map((x, k) => (/^\s+[a-z-]+: (\{ )?(judgement|reported|not-reported|partial)/.test(x) || /^\s+[a-z-]+: \{ judgement/.test(x) ? k : -1)).filter((k) => k >= 0);
        if (candidates.length) l.splice(candidates[i % candidates.length]!, 1);
        return l.join("\n");
      }),
      fc.nat().map((i) => (t: string) => {
        const matches = [...t.matchAll(/judgement: (low|high|unclear|some-concerns)/g)];
        const m = matches[i % Math.max(1, matches.length)];
        return m ? t.slice(0, m.index! + 11) + m[1]!.toUpperCase() + t.slice(m.index! + 11 + m[1]!.length) : t;
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.array(damage, { minLength: 1, maxLength: 3 }), fc.nat(), (seed, ms, pick) => {
        const text = ms.reduce((t, m) => m(t), seed);
        const a = new ProtocolAnalyzer().analyse(text, options);
        const actions = quickFixes(a, a.diagnostics.map((d) => ({ code: d.code, start: d.start, data: d.data })));
        if (!actions.length) return;
        const action = actions[pick % actions.length]!;
        const sorted = [...action.edits].sort((x, y) => x.from - y.from);
        for (let k = 1; k < sorted.length; k++) assert.ok(sorted[k - 1]!.to <= sorted[k]!.from, "edits do not overlap");
        const fixed = applyEdits(text, action.edits);
        const first = sorted[0]!;
        const last = sorted[sorted.length - 1]!;
        assert.equal(fixed.slice(0, first.from), text.slice(0, first.from), "text before the edits is unchanged");
        assert.equal(fixed.slice(fixed.length - (text.length - last.to)), text.slice(last.to), "text after the edits is unchanged");
        const after = new ProtocolAnalyzer().analyse(fixed, options);
        assert.ok(!after.diagnostics.some((d) => d.code === "yaml-syntax"), `'${action.title}' broke the YAML:\n${fixed}`);
        fixes++;
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: (SECONDS * 1000) / 2 },
    );
    let renames = 0;
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), (text, pick) => {
        const a = new ProtocolAnalyzer().analyse(text, options);
        const ids = [...a.context.outcomes.map((o) => o.id), ...a.context.arms];
        if (!ids.length) return;
        const id = ids[pick % ids.length]!;
        const at = text.indexOf(`id: ${id}`);
        if (at < 0) return;
        const result = rename(a, at + 4, `${id}-renamed`);
        if ("error" in result) return;
        const renamed = applyEdits(text, result);
        const b = new ProtocolAnalyzer().analyse(renamed, options);
        // A rename adds no error (renaming one of two duplicate ids may remove one).
        const errors = (x: typeof a, code: string) => x.diagnostics.filter((d) => d.severity === "error" && d.code === code).length;
        for (const d of b.diagnostics) assert.ok(errors(b, d.code) <= errors(a, d.code), `the rename of '${id}' adds ${d.code}: ${d.message}`);
        assert.equal(renamed.length, text.length + result.length * "-renamed".length);
        renames++;
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: (SECONDS * 1000) / 2 },
    );
    console.log(`      (${fixes} random fixes and ${renames} renames applied)`);
    assert.ok(fixes > 10 && renames > 10);
  });

  it(`the real server process, for ${SECONDS} s: every request answers and it stays alive`, async () => {
    const client = new LspClient();
    const LAST = path.join(os.tmpdir(), "review-protocol-fuzz-last.yaml");
    /** Every answer within 10 s, or the test fails naming the document (and the server is stopped). */
    const withinTime = <T,>(p: Promise<T>, what: string): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        p.finally(() => clearTimeout(timer)),
        new Promise<T>((_, reject) => {
          timer = setTimeout(() => {
            client.process.kill();
            reject(new Error(`the server did not answer ${what} within 10 s; the document is in ${LAST}; server stderr: ${client.stderr.join("").slice(-2000)}`));
          }, 10000);
        }),
      ]);
    };
    await client.initialize(ROOT);
    const deadline = Date.now() + SECONDS * 1000;
    const samples = fc.sample(fc.tuple(document, fc.array(fc.nat(), { minLength: 4, maxLength: 4 })), 5000);
    let documents = 0;
    let requests = 0;
    for (const [text, offsets] of samples) {
      if (Date.now() > deadline) break;
      const uri = pathToFileURL(path.join(ROOT, "seeds", `fuzz-${documents % 4}.protocol.yaml`)).href;
      const version = ++documents;
      // Kept for the failure message: the document the server was given last.
      fs.writeFileSync(LAST, text);
      if (version <= 4) await client.open(uri, text, "yaml", version);
      else await client.change(uri, version, [{ text }]);
      const lines = new LineIndex(text);
      const position = (o: number) => lines.positionAt(text.length ? o % (text.length + 1) : 0);
      const doc = { textDocument: { uri } };
      const answers = await withinTime(Promise.all([
        client.connection.sendRequest("textDocument/hover", { ...doc, position: position(offsets[0]!) }),
        client.connection.sendRequest("textDocument/completion", { ...doc, position: position(offsets[1]!) }),
        client.connection.sendRequest("textDocument/definition", { ...doc, position: position(offsets[2]!) }),
        client.connection.sendRequest("textDocument/references", { ...doc, position: position(offsets[3]!), context: { includeDeclaration: true } }),
        client.connection.sendRequest("textDocument/documentSymbol", doc),
        client.connection.sendRequest("textDocument/codeLens", doc),
        client.connection.sendRequest("textDocument/codeAction", { ...doc, range: { start: position(0), end: position(text.length) }, context: { diagnostics: [] } }),
      ]), "the requests");
      requests += answers.length;
      const published = await withinTime(client.diagnostics(uri, (p) => p.version === version), `diagnostics for version ${version} (last published: ${client.lastVersion(uri)})`);
      for (const d of published.diagnostics) {
        const start = lines.offsetAt(d.range.start);
        const end = lines.offsetAt(d.range.end);
        assert.ok(within(text.length, start, end) && d.range.start.line < lines.lineCount && d.range.end.line < lines.lineCount, JSON.stringify(d.range));
      }
      client.clear();
    }
    assert.equal(client.process.exitCode, null, "the server is alive");
    const symbols = await client.connection.sendRequest("textDocument/documentSymbol", { textDocument: { uri: pathToFileURL(path.join(ROOT, "seeds", "fuzz-0.protocol.yaml")).href } });
    assert.ok(Array.isArray(symbols));
    await client.stop();
    console.log(`      (${documents} documents and ${requests} requests through the server in ${SECONDS} s)`);
    assert.ok(documents > 20);
  });
});
