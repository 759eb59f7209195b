/** YAML syntax, chunked parsing, and garbage in: diagnostics, never an exception. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ProtocolAnalyzer } from "../server/src/core/analyzer/analyzer";
import type { Edit } from "../server/src/core/syntax/parse";
import { SourceLoader } from "../server/src/core/sources/loader";
import { analyseText, checkDiagnostics, FIXTURES } from "./helpers/check";
import { sharedFolder } from "./helpers/shared";

const ROOT = path.resolve(FIXTURES, "../..");
const SAMPLE = path.join(ROOT, "seeds/mms-lactation.protocol.yaml");

describe("yaml: syntax", () => {
  it("while the YAML does not parse, only yaml-syntax is reported", () => {
    checkDiagnostics(`protocol: 1
type: intervension
question:
  population:
    description: ⟨a|yaml-syntax⟩dults: children
outcomes: [{ id: death, name: Death, role: primary }]
`);
  });

  it("a second document is one error on its --- line; the first is still checked", () => {
    checkDiagnostics(`protocol: 1
title: A protocol
type: ⟨intervension|schema-enum⟩
question: {}
outcomes: [{ id: death, name: Death, role: primary }]
bias: { tool: rob1 }
⟨---|yaml-syntax⟩
title: second
`);
  });

  it("a top-level key written twice is a syntax error on the second", () => {
    checkDiagnostics(`protocol: 1
title: A protocol
⟨title|yaml-syntax⟩: Again
`);
  });

  it("an alias to an anchor in another section is resolved (the document is then parsed whole)", () => {
    checkDiagnostics(`protocol: 1
title: &t A protocol
type: intervention
question: {}
outcomes: [{ id: death, name: Death, role: primary }]
bias: { tool: rob1 }
objectives: *t
`);
  });

  it("anchors and aliases within a section are resolved", () => {
    checkDiagnostics(`protocol: 1
title: A protocol
type: intervention
question:
  interventions:
    - id: zinc
      description: &d Daily zinc
  comparators:
    - id: placebo
      description: *d
outcomes: [{ id: death, name: Death, role: primary }]
bias: { tool: rob1 }
`);
  });
});

describe("yaml: chunked parsing equals parsing whole", () => {
  const texts = [fs.readFileSync(SAMPLE, "utf8")];
  const cases = sharedFolder("conformance/cases", "chunked parsing is compared with a whole parse on the sample only");
  if (cases) {
    for (const name of fs.readdirSync(cases)) {
      for (const f of fs.readdirSync(path.join(cases, name))) if (f.endsWith(".protocol.yaml")) texts.push(fs.readFileSync(path.join(cases, name, f), "utf8"));
    }
  }

  function compare(text: string, chunked: ProtocolAnalyzer, dir: string, edit?: Edit): void {
    const options = { path: path.join(dir, "x.protocol.yaml"), root: dir, loader: new SourceLoader() };
    const a = chunked.analyse(text, options, edit).diagnostics.map((d) => `${d.code}@${d.start}-${d.end}`);
    const b = new ProtocolAnalyzer(false).analyse(text, options).diagnostics.map((d) => `${d.code}@${d.start}-${d.end}`);
    // Syntax errors may be worded and placed differently by a partial parse; everything else is identical.
    if (a.some((x) => x.startsWith("yaml-syntax")) || b.some((x) => x.startsWith("yaml-syntax"))) {
      assert.equal(a.some((x) => x.startsWith("yaml-syntax")), b.some((x) => x.startsWith("yaml-syntax")), `syntax errors differ for:\n${text}`);
      return;
    }
    assert.deepEqual(a, b);
  }

  it("on the sample and the conformance cases", () => {
    for (const text of texts) compare(text, new ProtocolAnalyzer(), path.dirname(SAMPLE));
  });

  for (const withHints of [false, true]) {
    it(`after 300 random edits of the sample, analysed incrementally${withHints ? " with the editor's edit ranges" : ""}`, () => {
      let seed = withHints ? 11 : 7;
      const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
      const analyzer = new ProtocolAnalyzer();
      let text = texts[0]!;
      analyzer.analyse(text, { path: SAMPLE, root: path.dirname(SAMPLE), loader: new SourceLoader() });
      const pieces = [" ", "x", "\n", "- ", ": ", "low", "#", "  ", "high", "[", "]", "'", "reported", "\nstudies:\n  - id: y\n"];
      for (let i = 0; i < 300; i++) {
        let edit: Edit | undefined;
        if (i % 50 === 49) {
          text = texts[0]!; // back to a valid document now and then (a whole-text change)
        } else {
          const at = random(text.length);
          const cut = random(3) === 0 ? random(8) : 0;
          const insert = random(4) === 0 ? "" : pieces[random(pieces.length)]!;
          const deleted = Math.min(cut, text.length - at);
          text = text.slice(0, at) + insert + text.slice(at + deleted);
          if (withHints) edit = { start: at, deleted, inserted: insert.length };
        }
        compare(text, analyzer, path.dirname(SAMPLE), edit);
      }
    });
  }
});

describe("yaml: garbage in, diagnostics out", () => {
  const cases: [string, () => string][] = [
    ["an empty file", () => ""],
    ["only comments", () => "# nothing here\n"],
    ["[[[[", () => "[[[["],
    ["binary bytes", () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString("utf8")],
    ["a BOM and CRLF line ends", () => "\uFEFFprotocol: 1\r\ntitle: x\r\n"],
    ["a scalar", () => "hello"],
    ["a list", () => "- a\n- b\n"],
    ["tabs", () => "protocol: 1\n\ttitle: x\n"],
    [
      "a YAML alias bomb",
      () => {
        let s = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
        for (let i = 1; i < 10; i++) s += `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(9).fill(`*${"abcdefghij"[i - 1]}`).join(",")}]\n`;
        return s;
      },
    ],
    ["10,000-deep nesting", () => "[".repeat(10000) + "]".repeat(10000)],
    ["a very long line", () => `title: ${"x".repeat(1_000_000)}\n`],
    [
      "a 5 MB protocol",
      () => {
        const study = (i: number) => `  - id: Study ${i}\n    cite: k${i}\n    outcomes: { pneumonia: reported }\n    risk_of_bias:\n      random-sequence-generation: { judgement: low, support: generated support text }\n`;
        let s = "protocol: 1\ntitle: Big protocol\ntype: intervention\nquestion: {}\noutcomes:\n  - id: pneumonia\n    name: P\n    role: primary\nbias: { tool: rob1 }\nstudies:\n";
        for (let i = 0; s.length < 5_000_000; i++) s += study(i);
        return s;
      },
    ],
    ["5 MB of garbage", () => Buffer.from(Array.from({ length: 5_000_000 }, (_, i) => (i * 7919 + (i >> 7)) % 256)).toString("latin1")],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      const text = make();
      const started = performance.now();
      const analysis = analyseText(text);
      const ms = performance.now() - started;
      assert.ok(Array.isArray(analysis.diagnostics));
      for (const d of analysis.diagnostics) assert.ok(d.start >= 0 && d.end <= text.length && d.start <= d.end, `range inside the text: ${d.start}-${d.end}`);
      assert.ok(analysis.diagnostics.length > 0, "something is reported");
      if (name === "a BOM and CRLF line ends") {
        // Read as the protocol it is: no syntax error, the missing keys reported on `protocol` (after the BOM).
        assert.ok(!analysis.diagnostics.some((d) => d.code === "yaml-syntax"));
        const missing = analysis.diagnostics.filter((d) => d.code === "schema-required");
        assert.deepEqual(missing.map((d) => [d.start, d.end]), Array(missing.length).fill([1, 9]));
        assert.ok(missing.some((d) => /'type'/.test(d.message)));
      }
      if (ms > 100) console.log(`      (${name}: ${analysis.diagnostics.length} diagnostics in ${ms.toFixed(0)} ms)`);
    });
  }
});

describe("yaml: what authors meet", () => {
  it("an unclosed { or [ is reported where it opens, once", () => {
    const d = analyseText("protocol: 1\ntitle: [[[[\n").diagnostics.filter((x) => x.code === "yaml-syntax");
    assert.equal(d.length, 1);
    assert.equal(d[0]!.start, "protocol: 1\ntitle: [[[".length);
    assert.match(d[0]!.message, /This '\[' is never closed/);
    const text = "protocol: 1\nstudies:\n  - id: A\n    outcomes: { a: reported, b: partial\n    design: rct\n";
    const e = analyseText(text).diagnostics.filter((x) => x.code === "yaml-syntax");
    assert.equal(e[0]!.start, text.indexOf("{"));
  });
});
