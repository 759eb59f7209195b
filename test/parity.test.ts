/**
 * Parse-path parity (issue 23): every editor feature answers the same whichever
 * reader parsed the protocol — the fast reader chunk by chunk (the path of
 * every protocol without anchors), `yaml` chunk by chunk, or `yaml` on the
 * whole document (the path of a protocol with anchors). Two ways:
 * - the feature tests themselves run on each path (in child processes, through
 *   a recorder that keeps every answer a feature gives), must pass on each,
 *   and must give the same answers, in the same order;
 * - every fixture (and a copy of each with its anchors written out, so that it
 *   takes the fast path) is asked every feature at every word, on each path.
 * The fast runs must really have used the fast reader. A broken document is
 * not compared with its whole parse: a whole parse of a broken document has no
 * tree at all, which is why documents are parsed in chunks.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ProtocolAnalyzer, type ProtocolAnalysis as Analysis } from "../server/src/core/analyzer/analyzer";
import { splitDocument } from "../server/src/core/syntax/chunks";
import type { ParsePath } from "../server/src/core/syntax/parse";
import { SourceLoader } from "../server/src/core/sources/loader";
import { canonical, cursorPositions, CURSOR_FEATURES, DOCUMENT_FEATURES, FAST_PATHS, hasAnchors, onPath, PARSE_PATHS, withAnchorsWrittenOut } from "./helpers/parity";
import type { Recorded } from "./helpers/parity-recorder";
import { sharedFolder } from "./helpers/shared";

const ROOT = path.resolve(__dirname, "../..");
const OUT_TEST = path.join(ROOT, "out/test");

/** Test files that ask an editor feature something (the feature modules or the feature helpers). */
const FEATURE_MODULE = /from "\.\.?\/(?:\.\.\/)?(?:server\/src\/service\/(?:hover|completion|navigation|rename|symbols|code-actions)|server\/src\/core\/(?:pictures\/(?:plots|forest)|model\/results)|helpers\/features)"/;
/** Not run here: the fuzz tests draw random protocols (they compare paths their own way), the LSP tests ask a server process. */
const NOT_RECORDED = new Set(["fuzz.test.ts", "lsp.test.ts", "lsp-evidence.test.ts", "parity.test.ts", "tidy.test.ts"]);

function featureTestFiles(): string[] {
  return fs
    .readdirSync(path.join(ROOT, "test"))
    .filter((f) => f.endsWith(".test.ts") && !NOT_RECORDED.has(f) && FEATURE_MODULE.test(fs.readFileSync(path.join(ROOT, "test", f), "utf8")))
    .sort();
}

function runRecorded(parsePath: ParsePath, files: string[], record: string): Promise<{ status: number | null; output: string }> {
  const mocha = path.join(ROOT, "node_modules/mocha/bin/mocha.js");
  const args = [mocha, "--no-config", "--timeout", "60000", "--reporter", "dot", "--require", path.join(OUT_TEST, "helpers/parity-recorder.js")];
  // The plots' browser rendering shows no feature's answer, only pixels.
  args.push("--grep", "rendered in headless Chromium", "--invert", ...files.map((f) => path.join(OUT_TEST, f.replace(/\.ts$/, ".js"))));
  return new Promise((resolve) => {
    // Each path is compared with the hover snapshots; none rewrites them (the three runs are concurrent).
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, UPDATE_SNAPSHOTS: undefined, REVIEW_PROTOCOL_PARSE: parsePath, PARITY_RECORD: record } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (status) => resolve({ status, output }));
  });
}

const pairs = (records: readonly { feature: string; fixture: string }[]) => new Set(records.map((r) => `${r.feature}\u0000${r.fixture}`)).size;

describe("parse-path parity", function () {
  this.timeout(300000);

  it("every feature test passes on every parse path and gets the same answers", async () => {
    const files = featureTestFiles();
    assert.ok(files.includes("features.test.ts") && files.includes("completion.test.ts"), files.join(", "));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-parity-"));
    try {
      const runs = await Promise.all(PARSE_PATHS.map((p) => runRecorded(p, files, path.join(dir, `${p}.json`))));
      runs.forEach((r, i) => assert.equal(r.status, 0, `the feature tests fail when protocols are parsed on the '${PARSE_PATHS[i]}' path:\n${r.output.slice(-4000)}`));
      const [fast, ...others] = PARSE_PATHS.map((p) => JSON.parse(fs.readFileSync(path.join(dir, `${p}.json`), "utf8")) as Recorded[]);
      assert.ok(fast!.length > 0, "the recorder saw no answers");
      // The fast path used the fast reader for every protocol it could split and that parses; the others never did.
      const notFast = fast!.filter((r) => r.chunked && !r.broken && r.yaml + r.fast > 0 && r.fast === 0);
      assert.deepEqual(notFast.map((r) => `${r.feature}: ${r.preview.slice(0, 80)}`), [], "answers on the fast path whose protocol the fast reader did not read");
      others.forEach((run, i) => assert.ok(FAST_PATHS.has(PARSE_PATHS[i + 1]!) ? run.some((r) => r.fast > 0) : run.every((r) => r.fast === 0), `the '${PARSE_PATHS[i + 1]}' path used the fast reader (or did not, packed)`));
      let compared = 0;
      others.forEach((run, i) => {
        const name = PARSE_PATHS[i + 1]!;
        assert.equal(run.length, fast!.length, `the '${name}' run asked ${run.length} questions, the fast run ${fast!.length}`);
        run.forEach((r, k) => {
          const f = fast![k]!;
          assert.equal(`${r.feature} ${r.fixture}`, `${f.feature} ${f.fixture}`, `question ${k} differs between the runs`);
          if (name === "yaml-whole" && f.broken) return;
          assert.equal(r.answer, f.answer, `${f.feature} answers differently on the '${name}' path:\nfast: ${f.preview}\n${name}: ${r.preview}`);
          compared++;
        });
      });
      const features = new Set(fast!.map((r) => r.feature));
      const fixtures = new Set(fast!.map((r) => r.fixture));
      console.log(
        `      feature tests (${files.length} files): ${features.size} features × ${fixtures.size} fixtures, ${pairs(fast!)} (feature, fixture) pairs, ` +
          `${fast!.length} answers compared ${compared} times across ${PARSE_PATHS.length} paths; the fast reader read ${fast!.reduce((n, r) => n + r.fast, 0)} chunks`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("every fixture, every feature at every word: the same answers on every parse path", () => {
    const fixtures = fixtureFiles();
    const features = [...Object.keys(CURSOR_FEATURES), ...Object.keys(DOCUMENT_FEATURES)];
    let answers = 0;
    let fastChunks = 0;
    const seen: string[] = [];
    for (const fixture of fixtures) {
      const variants: [string, string][] = [[fixture.name, fixture.text]];
      if (hasAnchors(fixture.text)) {
        const written = withAnchorsWrittenOut(fixture.text);
        if (written && !hasAnchors(written)) variants.push([`${fixture.name} (anchors written out)`, written]);
      }
      for (const [name, text] of variants) {
        const positions = cursorPositions(text);
        const byPath = PARSE_PATHS.map((p) => onPath(p, () => answersFor(text, fixture, positions)));
        const fast = byPath[0]!;
        if (splitDocument(text).mode === "chunks" && !hasAnchors(text) && !fast.broken) assert.ok(fast.fastChunks > 0, `${name}: the fast path did not use the fast reader`);
        byPath.slice(1).forEach((other, i) => {
          if (FAST_PATHS.has(PARSE_PATHS[i + 1]!)) assert.equal(other.fastChunks, fast.fastChunks, `${name}: the '${PARSE_PATHS[i + 1]}' path read other chunks than the fast path`);
          else assert.equal(other.fastChunks, 0, `${name}: the '${PARSE_PATHS[i + 1]}' path used the fast reader`);
          if (PARSE_PATHS[i + 1] === "yaml-whole" && fast.broken) return;
          for (const [key, answer] of fast.answers) {
            if (other.answers.get(key) !== answer) {
              assert.fail(`${name}: ${key} differs on the '${PARSE_PATHS[i + 1]}' path:\nfast: ${answer.slice(0, 600)}\n${PARSE_PATHS[i + 1]}: ${other.answers.get(key)?.slice(0, 600)}`);
            }
          }
        });
        answers += fast.answers.size;
        fastChunks += fast.fastChunks;
        seen.push(name);
      }
    }
    assert.ok(seen.some((n) => n.includes("aspirin") && n.includes("anchors written out")), "the analyses fixture is also checked on the fast path");
    console.log(
      `      fixtures: ${features.length} features × ${seen.length} fixtures = ${features.length * seen.length}, ${answers} answers on each of ${PARSE_PATHS.length} paths; ` +
        `the fast reader read ${fastChunks} chunks`,
    );
  });
});

interface Fixture {
  name: string;
  text: string;
  dir: string;
  /** The workspace: its sources are read inside it. */
  root: string;
}

/** Every protocol the tests use as a file: the fixtures, the sample, and the conformance cases. */
function fixtureFiles(): Fixture[] {
  const out: Fixture[] = [];
  const walk = (dir: string, label: string, root: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p, `${label}${d.name}/`, root);
      else if (/\.protocol\.ya?ml$/.test(d.name)) out.push({ name: `${label}${d.name}`, text: fs.readFileSync(p, "utf8"), dir, root });
    }
  };
  walk(path.join(ROOT, "test/fixtures"), "test/fixtures/", ROOT);
  walk(path.join(ROOT, "seeds"), "seeds/", ROOT);
  const cases = sharedFolder("conformance/cases", "the conformance cases are not among the parity fixtures");
  if (cases) walk(cases, "conformance/", cases);
  return out;
}

/** Every feature's answer at every position, and how the protocol was read. */
function answersFor(text: string, fixture: Fixture, positions: readonly number[]): { answers: Map<string, string>; fastChunks: number; broken: boolean } {
  const analysis: Analysis = new ProtocolAnalyzer().analyse(text, { path: path.join(fixture.dir, "parity.protocol.yaml"), root: fixture.root, loader: new SourceLoader() });
  const fastChunks = analysis.parsed.readBy.fast;
  const answers = new Map<string, string>();
  for (const [name, feature] of Object.entries(DOCUMENT_FEATURES)) answers.set(name, canonical(feature(analysis)));
  for (const offset of positions) {
    for (const [name, feature] of Object.entries(CURSOR_FEATURES)) answers.set(`${name} at ${offset}`, canonical(feature(analysis, offset)));
  }
  return { answers, fastChunks, broken: analysis.parsed.errors.length > 0 };
}
