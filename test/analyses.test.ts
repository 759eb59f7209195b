/** Analyses in the editor: hover, code lens, outline, completion, rename, and the command line's results and forest plots. */
import * as assert from "node:assert/strict";
import * as cp from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { forestSvg } from "../server/src/core/forest";
import { forestContext } from "../server/src/core/plots";
import { codeLenses, documentSymbols } from "../server/src/service/symbols";
import { analyseText, checkDiagnostics, FIXTURES } from "./helpers/check";
import { checkCompletion, checkHover, checkReferences, checkRename } from "./helpers/features";

const ROOT = path.resolve(__dirname, "../..");
const FILE = path.join(FIXTURES, "analyses/aspirin.protocol.yaml");
const TEXT = fs.readFileSync(FILE, "utf8");
const options = { dir: path.dirname(FILE), root: FIXTURES };
const at = (needle: string, within = 0, text = TEXT) => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return text.slice(0, i + within) + "$0" + text.slice(i + within);
};

describe("analyses: checks", () => {
  it("a valid file with analyses has no errors or warnings", () => {
    checkDiagnostics(TEXT, options);
  });

  it("a row whose form does not fit the measure is data-invalid on its study key; a GIV without scale is schema-required", () => {
    checkDiagnostics(
      TEXT.replace("      MRC-1 1974: { events: [49, 67], total: [615, 624] }", "      ⟨MRC-1 1974|data-invalid⟩: { mean: [49, 67], sd: [1, 1], total: [615, 624] }")
        .replace("    measure: MD\n", "    measure: GIV\n    label: MD\n")
        .replace("  - id: sbp-end", "  - ⟨id|schema-required⟩: sbp-end")
        .replace("      CDP 1976: { mean: [128.1, 131.0], sd: [14.2, 15.0], total: [700, 712] }", "      CDP 1976: { estimate: -2.9, se: ⟨0|data-invalid⟩ }"),
      { ...options, messages: { "data-invalid": "does not fit OR" } },
    );
  });
});

describe("analyses: in the editor", () => {
  it("hover on an analysis id: pooled effect, heterogeneity, overall effect and a text forest", () => {
    checkHover(at("id: mortality-any", 5), ["**All-cause mortality** (`mortality-any`)", "**OR 0.72 \\[0.57, 0.92\\]** · 3 studies", "Chi² = 0.25, df = 2 (P = 0.88); I² = 0%", "Z = 2.63 (P = 0.009)", "◆"], options);
  });

  it("hover on a data row: that study's effect, CI and weight, and its note", () => {
    checkHover(at("GASP 1979: { events", 2), ["**GASP 1979** in `mortality-any` — data from the trial report", "OR **0.80 \\[0.49, 1.32\\]** · weight 22.2%"], options);
  });

  it("a code lens per analysis and outline entries", () => {
    const analysis = analyseText(TEXT, options);
    const titles = codeLenses(analysis).map((l) => l.title);
    assert.ok(titles.includes("OR 0.72 [0.57, 0.92] · 3 studies · I² 0%"), titles.join("\n"));
    assert.ok(titles.includes("MD −2.90 [−4.42, −1.38] · 1 study"), titles.join("\n"));
    const analyses = documentSymbols(analysis).find((s) => s.name === "analyses")!;
    assert.deepEqual(analyses.children.map((c) => c.name), ["mortality-any", "sbp-end"]);
  });

  it("completion: study ids with a row skeleton that fits the measure, outcome and arm ids, measures", () => {
    const items = checkCompletion(TEXT.replace("      GASP 1979: { events: [32, 38], total: [317, 309], note: data from the trial report }\n", "      $0\n"), ["GASP 1979"], ["MRC-1 1974", "CDP 1976"], options);
    assert.match(items.find((i) => i.label === "GASP 1979")!.insertText, /^GASP 1979: \{ events: \[\$\{1\}, \$\{2\}\], total: \[\$\{3\}, \$\{4\}\] \}$/);
    checkCompletion(TEXT.replace("    outcome: sbp\n", "    outcome: $0\n"), ["mortality", "sbp"], [], options);
    checkCompletion(TEXT.replace("    compare: [aspirin, placebo]\n    measure: MD", "    compare: [aspirin, $0]\n    measure: MD"), ["aspirin", "placebo"], [], options);
    checkCompletion(TEXT.replace("    measure: MD", "    measure: $0"), ["GIV", "MD", "OR", "PETO-OR", "RD", "RR", "SMD"], [], options);
  });

  it("rename of a study id updates its data rows; references list them", () => {
    checkRename(TEXT.replace("  - id: GASP 1979", "  - id: ⟨GA$0SP 1979|ref⟩").replace("      GASP 1979: {", "      ⟨GASP 1979|ref⟩: {"), "GASP-1 1979", undefined, options);
    checkRename(TEXT.replace("  - id: GASP 1979", "  - id: ⟨GASP 1979|ref⟩").replace("      GASP 1979: {", "      ⟨GA$0SP 1979|ref⟩: {"), "GASP-1 1979", undefined, options);
    checkRename(TEXT.replace("      GASP 1979: {", "      GA$0SP 1979: {"), "CDP 1976", /already a study id/, options);
    checkReferences(TEXT.replace("      CDP 1976: { events", "      ⟨CD$0P 1976|ref⟩: { events").replace("  - id: CDP 1976", "  - id: ⟨CDP 1976|ref⟩").replace("      CDP 1976: { mean", "      ⟨CDP 1976|ref⟩: { mean"), options);
  });
});

describe("analyses: review-lint --results and --plots", () => {
  it("writes <name>.results.json as the contract says and forest-<id>.svg beside the other pictures, mirroring folders", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "rp-results-"));
    const ws = path.join(out, "ws");
    fs.mkdirSync(path.join(ws, "a"), { recursive: true });
    fs.mkdirSync(path.join(ws, "b"), { recursive: true });
    fs.copyFileSync(FILE, path.join(ws, "a", "review.protocol.yaml"));
    fs.copyFileSync(FILE, path.join(ws, "b", "review.protocol.yaml"));
    cp.execFileSync(process.execPath, [path.join(ROOT, "dist/review-lint.js"), "--root", ws, ws, "--results", path.join(out, "r"), "--plots", path.join(out, "p")], { encoding: "utf8" });
    for (const folder of ["a", "b"]) {
      const json = JSON.parse(fs.readFileSync(path.join(out, "r", folder, "review.results.json"), "utf8"));
      assert.equal(json.protocol, `${folder}/review.protocol.yaml`);
      const a = json.analyses[0];
      assert.deepEqual(Object.keys(a), ["id", "outcome", "measure", "method", "model", "studies", "subgroups", "pooled", "heterogeneity", "subgroup_differences"]);
      assert.equal(a.method, "MH");
      assert.ok(Math.abs(a.pooled.effect - 0.722767787492504) < 1e-12);
      assert.deepEqual(Object.keys(a.studies[0]), ["id", "subgroup", "effect", "ci", "weight", "estimable"]);
      assert.ok(fs.existsSync(path.join(out, "p", folder, "review", "forest-mortality-any.svg")));
      assert.ok(fs.existsSync(path.join(out, "p", folder, "review", "rob-traffic-light.svg")));
    }
  });

  it("the forest plot has RevMan's parts: arm columns, weights, squares, a diamond, favours labels, heterogeneity", () => {
    const analysis = analyseText(TEXT, options);
    const svg = forestSvg(analysis.analyses[0]!, forestContext(analysis, analysis.analyses[0]!));
    for (const part of ["Events", "Total", "Weight", "M-H, Fixed, 95% CI", "Favours aspirin", "Favours placebo", "Heterogeneity: Chi² = 0.25, df = 2 (P = 0.88); I² = 0%", "Test for overall effect: Z = 2.63", "Total events: 125 (aspirin), 169 (placebo)", "<polygon"]) {
      assert.ok(svg.includes(part), part);
    }
    assert.equal((svg.match(/<g class="study" data-offset="\d+"/g) ?? []).length, 3);
    const snapshot = path.join(FIXTURES, "plots/forest-mortality-any.svg");
    if (process.env.UPDATE_SNAPSHOTS) fs.writeFileSync(snapshot, svg);
    assert.ok(fs.existsSync(snapshot), `${snapshot} is missing (UPDATE_SNAPSHOTS=1 to create it)`);
    assert.equal(svg, fs.readFileSync(snapshot, "utf8"));
  });
});
