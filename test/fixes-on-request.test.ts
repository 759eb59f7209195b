/**
 * Fixes built on request: a diagnostic's data describes its fixes (typed, small),
 * the edits are built when code actions are asked for, against the document as
 * it is then. Pinned: every fix on every fixture gives the edits the checks used
 * to build eagerly (the snapshots were recorded from that path before it went);
 * a fix whose target has gone is skipped, one whose chunk moved still applies;
 * the data on the wire stays small.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ProtocolAnalysis as Analysis } from "../server/src/core/analyzer/analyzer";
import { applyEdits, dataForTransport, fixAll, quickFixes, type CodeAction } from "../server/src/service/code-actions";
import { analyseText, FIXTURES, minimalHead } from "./helpers/check";
import { hasAnchors } from "./helpers/parity";
import { sharedFolder } from "./helpers/shared";
import { matchSnapshot } from "./helpers/snapshot";

const ROOT = path.resolve(__dirname, "../..");

/** Every protocol fixture: the test fixtures, the seeds, the conformance cases. */
function protocolFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".protocol.yaml")) out.push(p);
    }
  };
  walk(FIXTURES);
  walk(path.join(ROOT, "seeds"));
  const cases = sharedFolder("conformance/cases", "the quick fixes of the conformance cases are not compared");
  if (cases) walk(cases);
  return out;
}

function render(action: CodeAction): string {
  return [`  → ${action.title}${action.preferred ? " (preferred)" : ""}`, ...action.edits.map((e) => `    ${e.from}-${e.to} ${JSON.stringify(e.text)}`)].join("\n");
}

/** Every quick fix of every diagnostic, then every fix-all, as text. */
function allFixes(analysis: Analysis): string {
  const lines: string[] = [];
  for (const d of analysis.diagnostics) {
    if (!Array.isArray(d.data?.fixes) || !d.data.fixes.length) continue;
    lines.push(`${d.code} ${d.start}-${d.end}`);
    for (const action of quickFixes(analysis, [{ code: d.code, start: d.start, data: d.data }])) lines.push(render(action));
  }
  for (const action of fixAll(analysis)) lines.push(render(action));
  return lines.join("\n");
}

/**
 * The file, then versions damaged the way fixable problems arise (as the fuzz
 * test damages them): a judgement or status line dropped, a judgement misspelt.
 * A file with anchors is taken as it is (a line dropped could leave an alias
 * without its anchor, which no reader reads in chunks).
 */
function versions(text: string): string[] {
  if (hasAnchors(text)) return [text];
  const lines = text.split("\n");
  const droppable = lines.map((l, k) => (/^\s+[a-z-]+: (\{ )?(judgement|reported|not-reported|partial|status)/.test(l) || /^\s+(judgement|applicability|support|design|outcomes|risk_of_bias):/.test(l) ? k : -1)).filter((k) => k >= 0);
  const dropped = droppable.filter((_, i) => i % Math.max(1, Math.floor(droppable.length / 12)) === 0).map((k) => lines.filter((_, i) => i !== k).join("\n"));
  return [text, ...dropped, text.replace(/judgement: (low|high|unclear|some-concerns)/g, (m, j: string) => `judgement: ${j.toUpperCase()}`)];
}

describe("quick fixes built on request give the edits built eagerly before", () => {
  for (const file of protocolFiles()) {
    const name = file.startsWith(ROOT) ? path.relative(ROOT, file) : `<shared>/${path.relative(path.resolve(ROOT, "../shared"), file)}`;
    it(name, () => {
      const dir = path.dirname(file);
      versions(fs.readFileSync(file, "utf8")).forEach((text, i) => {
        const fixes = allFixes(analyseText(text, { dir, root: path.resolve(dir, "..") }));
        if (fixes) matchSnapshot(`version ${i}\n${fixes}`);
      });
    });
  }
});

describe("a fix is built against the document as it is now", () => {
  const text = `${minimalHead("rob1")}studies:
  - id: Lee 2019
    design: rtc
    outcomes: { death: reported }
`;
  const design = (a: Analysis) => a.diagnostics.find((d) => d.code === "schema-enum")!;

  it("its diagnostic's data describes the fix, never edits", () => {
    const d = design(analyseText(text));
    assert.deepEqual(d.data?.fixes, [{ kind: "replace", title: "Change to 'rct'", at: 0, length: 3, value: "rtc", text: "rct" }]);
  });

  it("a chunk that moved: the fix applies where the diagnostic is now", () => {
    const d = design(analyseText(text));
    const moved = text.replace("studies:\n", "studies:\n  - id: Kim 2018\n    outcomes: { death: reported }\n");
    const now = analyseText(moved);
    const start = moved.indexOf("rtc");
    const [fix] = quickFixes(now, [{ code: d.code, start, data: d.data }]);
    assert.ok(fix);
    assert.equal(applyEdits(moved, fix.edits), moved.replace("rtc", "rct"));
  });

  it("a target that is gone: no fix rather than a wrong edit", () => {
    const d = design(analyseText(text));
    const changed = analyseText(text.replace("rtc", "cohort"));
    assert.deepEqual(quickFixes(changed, [{ code: d.code, start: d.start, data: d.data }]), []);
  });

  it("statuses already given since: the outcome-status fix adds only those still missing, or nothing", () => {
    const two = minimalHead("rob1").replace(/outcomes:.*\n/, "outcomes:\n  - { id: death, name: Death, role: primary }\n  - { id: pain, name: Pain, role: secondary }\n");
    const before = `${two}studies:\n  - id: Lee 2019\n    outcomes:\n      other: reported\n`;
    const d = analyseText(before).diagnostics.find((x) => x.code === "missing-outcome-status")!;
    const partly = before.replace("      other: reported\n", "      other: reported\n      death: reported\n");
    const [fix] = quickFixes(analyseText(partly), [{ code: d.code, start: d.start, data: d.data }]);
    assert.equal(fix?.title, "Add pain as not-reported");
    assert.equal(applyEdits(partly, fix.edits), partly.replace("      death: reported\n", "      death: reported\n      pain: not-reported\n"));
    const complete = partly.replace("      death: reported\n", "      death: reported\n      pain: reported\n");
    assert.deepEqual(quickFixes(analyseText(complete), [{ code: d.code, start: d.start, data: d.data }]), []);
  });

  it("malformed data from an editor is ignored", () => {
    const a = analyseText(text);
    const d = design(a);
    for (const data of [undefined, {}, { fixes: "x" }, { fixes: [{ kind: "replace", title: "t", at: "0" }] }, { fixes: [{ kind: "explode" }] }, { fixes: [{ kind: "add-pairs", title: "t", into: [{ map: 0, pairs: [{}] }] }] }]) {
      assert.deepEqual(quickFixes(a, [{ code: d.code, start: d.start, data }]), []);
    }
  });
});

describe("fixes on the wire", () => {
  it("a study lacking 40 outcome statuses publishes no list: the fix reads it from the document", () => {
    const ids = Array.from({ length: 40 }, (_, i) => `outcome-number-${i}`);
    const protocol =
      minimalHead("rob1").replace(/outcomes:.*\n/, `outcomes:\n${ids.map((id) => `  - { id: ${id}, name: Outcome ${id}, role: secondary }`).join("\n")}\n`) +
      "studies:\n  - id: Trial 2020\n    design: rct\n    outcomes:\n      outcome-number-7: reported\n      outcome-number-30: reported\n";
    const a = analyseText(protocol);
    const d = a.diagnostics.find((x) => x.code === "missing-outcome-status");
    assert.ok(d, "a missing-outcome-status warning");
    const wire = JSON.stringify(dataForTransport(d.code, d.data!));
    assert.ok(!wire.includes("outcome-number"), `${wire.length} bytes: ${wire}`);
    const [sent] = quickFixes(a, [{ code: d.code, start: d.start, data: JSON.parse(wire) }]);
    assert.ok(sent);
    assert.match(sent.title, /^Add the 38 missing outcomes as not-reported$/);
    const fixed = applyEdits(protocol, sent.edits);
    assert.equal(analyseText(fixed).diagnostics.filter((x) => x.code === "missing-outcome-status").length, 0);
    assert.ok(fixed.includes("      outcome-number-6: not-reported\n      outcome-number-7: reported\n      outcome-number-8: not-reported\n"), fixed);
  });
});
