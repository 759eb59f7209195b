/**
 * Quick fixes: every fix offered on every fixture is applied; the diagnostic it
 * fixes goes away, no new error or warning appears, the edit stays inside the
 * study or section of the diagnostic, every comment survives, and the result parses.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ProtocolAnalysis as Analysis } from "../server/src/core/analyzer/analyzer";
import type { Diagnostic } from "../server/src/core/checks/diagnostics";
import { applyEdits, fixAll, quickFixes } from "../server/src/service/code-actions";
import { analyseText, FIXTURES, minimalHead } from "./helpers/check";
import { sharedFolder } from "./helpers/shared";

const ROOT = path.resolve(__dirname, "../..");
const FIX_DIR = path.join(FIXTURES, "fixes");

interface Fixture {
  name: string;
  text: string;
  dir: string;
}

function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const f of fs.readdirSync(FIX_DIR)) if (f.endsWith(".protocol.yaml")) out.push({ name: f, text: fs.readFileSync(path.join(FIX_DIR, f), "utf8"), dir: FIX_DIR });
  const cases = sharedFolder("conformance/cases", "the quick fixes are tried on the fixtures only, not on the conformance cases");
  if (cases) {
    for (const c of fs.readdirSync(cases)) {
      for (const f of fs.readdirSync(path.join(cases, c))) if (f.endsWith(".protocol.yaml")) out.push({ name: `${c}/${f}`, text: fs.readFileSync(path.join(cases, c, f), "utf8"), dir: path.join(cases, c) });
    }
  }
  return out;
}

// Warnings a fix may reveal: an empty judgement it writes is not yet assessed; a tool now used for a design asks for its own domains.
const CONSEQUENCES = new Set([
  "inconsistent-overall-judgement",
  "outcome-not-reported",
  "selective-reporting-inconsistent",
  "missing-bias-domain",
  "missing-outcome-status",
  "bias-not-assessed",
  "unknown-bias-domain",
]);

const serious = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === "error" || d.severity === "warning");

/** The span of the study item or top-level section holding an offset. */
function enclosing(analysis: Analysis, offset: number): [number, number] {
  for (const s of analysis.parsed.studies) if (offset >= s.base + s.node.start && offset <= s.base + s.node.end) return [s.base + s.node.start, s.base + s.node.end + 1];
  const sections = analysis.parsed.sections.map((s) => s.base + s.keyNode.start).sort((a, b) => a - b);
  let start = 0;
  let end = analysis.parsed.text.length;
  for (const s of sections) if (s <= offset) start = s;
  for (const s of sections) if (s > offset) {
    end = s;
    break;
  }
  return [start, end];
}

function comments(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.includes("#")).map((l) => l.slice(l.indexOf("#")));
}

describe("quick fixes on every fixture", () => {
  for (const fixture of fixtures()) {
    it(fixture.name, () => {
      const options = { dir: fixture.dir, root: path.resolve(fixture.dir, "..") };
      const before = analyseText(fixture.text, options);
      const fixable = before.diagnostics.filter((d) => Array.isArray(d.data?.fixes) && (d.data!.fixes as unknown[]).length);
      let applied = 0;
      for (const d of fixable) {
        const actions = quickFixes(before, [{ code: d.code, start: d.start, data: d.data }]);
        for (const action of actions) {
          // Two fixes edit another section than their diagnostic's: the tool for a design edits `bias`,
          // and data for an outcome a study calls otherwise edits that study's status.
          const bias = before.parsed.sections.find((s) => s.key === "bias");
          const study = (id: unknown) => before.studies.find((s) => s.checked.model.id?.value === id);
          const [lo, hi] =
            d.code === "schema-required" && d.start === before.parsed.firstKey.start
              ? [0, fixture.text.length]
              : d.code === "tool-design-mismatch" && bias
                ? enclosing(before, bias.base + bias.keyNode.start)
                : d.code === "data-status-conflict" && study(d.data?.study)
                  ? enclosing(before, study(d.data?.study)!.base + study(d.data?.study)!.checked.model.id!.start)
                  : enclosing(before, d.start);
          for (const e of action.edits) assert.ok(e.from >= lo && e.to <= hi, `${d.code} '${action.title}' edits outside its study/section: ${e.from}-${e.to} not in ${lo}-${hi}`);
          const text = applyEdits(fixture.text, action.edits);
          const after = analyseText(text, options);
          const where = `${d.code} "${d.message}" → '${action.title}':\n${text}`;
          assert.ok(!after.diagnostics.some((x) => x.code === "yaml-syntax") || before.diagnostics.some((x) => x.code === "yaml-syntax"), `the fix breaks the YAML: ${where}`);
          assert.ok(
            after.diagnostics.filter((x) => x.code === d.code).length < before.diagnostics.filter((x) => x.code === d.code).length,
            `the diagnostic is still there: ${where}\n${after.diagnostics.filter((x) => x.code === d.code).map((x) => x.message).join("\n")}`,
          );
          // A fix never adds an error; it may reveal a warning that follows from the value it wrote
          // (a domain now 'unclear' makes an overall 'low' inconsistent; a role now 'primary' is not reported;
          // a tool now named asks for its domains).
          const count = (ds: readonly Diagnostic[], code: string) => serious(ds).filter((x) => x.code === code).length;
          const newSerious = serious(after.diagnostics).filter((x) => !CONSEQUENCES.has(x.code) && count(after.diagnostics, x.code) > count(before.diagnostics, x.code));
          assert.deepEqual(newSerious.map((x) => `${x.code}: ${x.message}`), [], `new problems after ${where}`);
          for (const c of comments(fixture.text)) assert.ok(text.includes(c), `a comment was lost: ${c}`);
          applied++;
        }
      }
      if (fixture.name.startsWith("rob1-styles") || fixture.name.startsWith("rob2") || fixture.name.startsWith("required")) assert.ok(applied >= 5, `only ${applied} fixes applied`);
    });
  }

  it("fix all in file applies the first fix of every diagnostic of a code", () => {
    const text = fs.readFileSync(path.join(FIX_DIR, "rob1-styles.protocol.yaml"), "utf8");
    const options = { dir: FIX_DIR, root: FIXTURES };
    const before = analyseText(text, options);
    const action = fixAll(before).find((a) => a.title.includes("'missing-bias-domain'"));
    assert.ok(action, "a fix-all action for missing-bias-domain");
    const after = analyseText(applyEdits(text, action.edits), options);
    assert.equal(after.diagnostics.filter((d) => d.code === "missing-bias-domain").length, 0);
    assert.ok(!after.diagnostics.some((d) => d.code === "yaml-syntax"));
  });
});

describe("fix-all never makes a study look assessed", () => {
  it("a study missing every domain gets empty judgements: bias-not-assessed warnings, no judgement values, valid YAML", () => {
    for (const tool of ["rob1", "rob2", "quadas-2", "robins-i"]) {
      const perOutcome = tool.startsWith("rob2") || tool.startsWith("robins");
      const text = `protocol: 1
title: T - a systematic review protocol
type: ${tool === "quadas-2" ? "diagnostic-accuracy" : "intervention"}
question:
  interventions: [{ id: a, description: A }]
  comparators: [{ id: b, description: B }]
outcomes:
  - { id: death, name: Death, role: primary }
  - { id: pain, name: Pain, role: secondary }
bias:
  tool: ${tool}
studies:
  - id: One 2020
    outcomes: { death: reported, pain: reported }
  - id: Two 2021
    outcomes: { death: reported, pain: reported }
    risk_of_bias:
      ${perOutcome ? "death: {}" : "other: ~"}
`;
      const options = { dir: FIX_DIR, root: FIXTURES };
      const before = analyseText(text, options);
      const action = fixAll(before).find((a) => a.title.includes("'missing-bias-domain'"));
      const fixes = action ? action.edits : quickFixes(before, before.diagnostics.filter((d) => d.code === "missing-bias-domain").map((d) => ({ code: d.code, start: d.start, data: d.data })))[0]!.edits;
      const fixed = applyEdits(text, fixes);
      const after = analyseText(fixed, options);
      assert.ok(!after.diagnostics.some((d) => d.code === "yaml-syntax"), fixed);
      assert.ok(after.diagnostics.some((d) => d.code === "bias-not-assessed"), `${tool}: no bias-not-assessed\n${fixed}`);
      assert.doesNotMatch(fixed, /judgement: (low|high|unclear|some-concerns|no-information|moderate|serious)/, `${tool}: the fix invented a judgement\n${fixed}`);
    }
  });
});

describe("quick fixes: the edits themselves", () => {
  const options = { dir: FIX_DIR, root: FIXTURES };
  const fix = (text: string, code: string, nth = 0) => {
    const a = analyseText(text, options);
    const d = a.diagnostics.filter((x) => x.code === code)[nth];
    assert.ok(d, `no ${code}`);
    return applyEdits(text, quickFixes(a, [{ code: d.code, start: d.start, data: d.data }])[0]!.edits);
  };
  const text = fs.readFileSync(path.join(FIX_DIR, "rob1-styles.protocol.yaml"), "utf8");

  it("missing domains go in the tool's order, in the neighbours' flow style and indentation", () => {
    const fixed = fix(text, "missing-bias-domain", 0);
    assert.ok(
      fixed.includes(`      random-sequence-generation: { judgement: low, support: computer list }   # keep me
      allocation-concealment: { judgement: , support: "" }
      blinding-of-participants-and-personnel: { judgement: Low, support: identical placebo }`),
      fixed,
    );
    assert.ok(fixed.includes(`      incomplete-outcome-data: { judgement: low, support: "3% loss" }
      selective-reporting: { judgement: , support: "" }
      other-bias:`));
  });

  it("in block style with the author's 4-space step", () => {
    const fixed = fix(text, "missing-bias-domain", 1);
    assert.ok(
      fixed.includes(`            support: complete
        selective-reporting:
            judgement:
            support: ""
        other-bias:`),
      fixed,
    );
  });

  it("a study without risk_of_bias gets a new block after its last key", () => {
    const fixed = fix(text, "missing-bias-domain", 2);
    assert.ok(fixed.includes(`    doi: 10.1000/example.2019.999
    risk_of_bias:
      random-sequence-generation: { judgement: , support: "" }`), fixed);
  });

  it("missing outcome statuses go into the study's map, in the protocol's order", () => {
    const fixed = fix(text, "missing-outcome-status", 0);
    assert.ok(fixed.includes(`      pneumonia: reported
      diarrhoea: not-reported
      # diarrhoea missing
      mortality: not-reported`), fixed);
  });

  it("replacements keep everything else byte for byte", () => {
    const fixed = fix(text, "invalid-judgement");
    assert.equal(fixed, text.replace("{ judgement: Low, support: identical placebo }", "{ judgement: low, support: identical placebo }"));
    assert.equal(fix(text, "schema-enum"), text.replace("type: intervension ", "type: intervention "));
  });
});

describe("quick fixes on the sample", () => {
  it("deleting two RoB domains of a study and applying the fix restores a valid record with nothing else changed", () => {
    const sample = fs.readFileSync(path.join(ROOT, "seeds/mms-lactation.protocol.yaml"), "utf8");
    const lines = sample.split("\n");
    const baxter = lines.findIndex((l) => l.includes("- id: Baxter 2025"));
    const drop = [
      lines.findIndex((l, i) => i > baxter && l.includes("allocation-concealment:")),
      lines.findIndex((l, i) => i > baxter && l.includes("other-bias:")),
    ];
    const broken = lines.filter((_, i) => !drop.includes(i)).join("\n");
    const options = { dir: path.join(ROOT, "seeds"), root: ROOT };
    const analysis = analyseText(broken, options);
    const d = analysis.diagnostics.find((x) => x.code === "missing-bias-domain");
    assert.ok(d);
    assert.match(d.message, /Study 'Baxter 2025' has no judgement for: allocation-concealment, other-bias/);
    const fixed = applyEdits(broken, quickFixes(analysis, [{ code: d.code, start: d.start, data: d.data }])[0]!.edits);
    const expected = lines
      .map((l, i) => (drop.includes(i) ? l.replace(/\{ judgement: \w+, support: [^}]+\}/, '{ judgement: , support: "" }') : l))
      .join("\n");
    assert.equal(fixed, expected);
    const after = analyseText(fixed, options);
    assert.equal(after.diagnostics.filter((x) => x.code === "missing-bias-domain").length, 0);
    // The restored domains are not yet assessed: two warnings more, nothing else.
    assert.deepEqual(
      serious(after.diagnostics).map((x) => x.code).filter((c) => c !== "bias-not-assessed"),
      serious(analyseText(sample, options).diagnostics).map((x) => x.code),
    );
    assert.equal(after.diagnostics.filter((x) => x.code === "bias-not-assessed").length, 2);
  });
});

describe("fix all finishes the job", () => {
  for (const fixture of fixtures()) {
    it(`${fixture.name}: every fix-all leaves no problem of its code, valid YAML, everything else byte for byte`, () => {
      const options = { dir: fixture.dir, root: path.resolve(fixture.dir, "..") };
      const before = analyseText(fixture.text, options);
      for (const action of fixAll(before)) {
        const code = action.fixes[0]!.code;
        const fixed = applyEdits(fixture.text, action.edits);
        const after = analyseText(fixed, options);
        assert.ok(!after.diagnostics.some((d) => d.code === "yaml-syntax") || before.diagnostics.some((d) => d.code === "yaml-syntax"), `${action.title} breaks the YAML`);
        const left = after.diagnostics.filter((d) => d.code === code);
        assert.deepEqual(left.map((d) => d.message), [], `${action.title} leaves problems of its code`);
        assert.equal(action.title.match(/\((\d+)\)$/)?.[1], String(action.fixes.length), "the title counts the problems it fixes");
        // Outside the edits, the text is byte for byte the same.
        let i = 0;
        let rest = fixed;
        for (const e of [...action.edits].sort((a, b) => a.from - b.from)) {
          const untouched = fixture.text.slice(i, e.from);
          assert.ok(rest.startsWith(untouched), `${action.title} changed text outside its edits`);
          rest = rest.slice(untouched.length + e.text.length);
          i = e.to;
        }
        assert.equal(rest, fixture.text.slice(i));
      }
    });
  }
});

describe("fixes never guess a judgement", () => {
  it("an invalid judgement with no near value offers every allowed one, none preferred, none in fix-all", () => {
    const text = `${minimalHead("rob2")}studies:
  - id: A 2020
    outcomes: { death: reported }
    risk_of_bias:
      death:
        randomisation-process: { judgement: moderate, support: x }
        deviations-from-intended-interventions: { judgement: serious, support: x }
        missing-outcome-data: { judgement: low, support: x }
        measurement-of-the-outcome: { judgement: low, support: x }
        selection-of-the-reported-result: { judgement: low, support: x }
`;
    const a = analyseText(text, { dir: FIX_DIR, root: FIXTURES });
    const invalid = a.diagnostics.filter((d) => d.code === "invalid-judgement");
    assert.equal(invalid.length, 2);
    for (const d of invalid) assert.ok(quickFixes(a, [{ code: d.code, start: d.start, data: d.data }]).every((x) => !x.preferred));
    assert.ok(!fixAll(a).some((x) => x.fixes.some((f) => f.code === "invalid-judgement")));
  });
});
