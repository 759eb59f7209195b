/** Analyses in the editor: hover, code lens, outline, completion, rename, and the command line's results and forest plots. */
import * as assert from "node:assert/strict";
import * as cp from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { forestSvg } from "../server/src/core/pictures/forest";
import { forestContext } from "../server/src/core/pictures/plots";
import { resultsJson } from "../server/src/core/model/results";
import { codeLenses, documentSymbols } from "../server/src/service/symbols";
import { analyseText, checkDiagnostics, FIXTURES } from "./helpers/check";
import { checkCompletion, checkHover, cursorAt, checkReferences, checkRename } from "./helpers/features";

const ROOT = path.resolve(__dirname, "../..");
const FILE = path.join(FIXTURES, "analyses/aspirin.protocol.yaml");
const TEXT = fs.readFileSync(FILE, "utf8");
const options = { dir: path.dirname(FILE), root: FIXTURES };
const at = (needle: string, within = 0, text = TEXT) => cursorAt(text, needle, within);

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

/** Rows of one analysis (RR) in the aspirin fixture, replacing its `data:`. */
const withMortality = (lines: string, extra = "") =>
  TEXT.replace(
    / {4}measure: OR\n {4}data:\n( {6}.*\n){3}/,
    `    measure: RR\n${extra}${lines}`,
  );

/** The aspirin fixture's mortality analysis in two subgroups. */
const BY_DOSE = withMortality(`    subgroups:
      - name: Low dose
        data:
          MRC-1 1974: { events: [49, 67], total: [615, 624] }
      - name: High dose
        data:
          CDP 1976: { events: [44, 64], total: [758, 771] }
          GASP 1979: { events: [32, 38], total: [317, 309] }
`);

describe("analyses: shared-arm-counted-twice", () => {
  it("one arm in two rows of a study in one total: on the later row (its study key, or its list item); names the study, the arm, the rows and both remedies", () => {
    checkDiagnostics(
      withMortality(`    data:
      MRC-1 1974:
        - { events: [20, 11], total: [100, 50] }
        - ⟨{ events: [20, 10], total: [100, 50] }|shared-arm-counted-twice⟩
      CDP 1976: { events: [44, 64], total: [758, 771] }
`),
      {
        ...options,
        messages: {
          "shared-arm-counted-twice":
            "the experimental arm of 'MRC-1 1974' (aspirin: 20 events in 100) is in both rows 1 and 2, so the same participants count twice in one pooled total: split the shared group's events and total between the rows, or combine the other groups into one row",
        },
      },
    );
  });

  it("across subgroups when the total is overall; within each subgroup when totals are by subgroup; never with totals: none", () => {
    const rows = (totals: string) =>
      withMortality(
        `    subgroups:
      - name: Low dose
        data:
          CDP 1976: { events: [5, 20], total: [50, 100] }
          GASP 1979: { events: [14, 28], total: [50, 100] }
      - name: High dose
        data:
          ${totals === "overall" ? "⟨CDP 1976|shared-arm-counted-twice⟩" : "CDP 1976"}: { events: [4, 20], total: [50, 100] }
          GASP 1979: { events: [16, 14], total: [50, 50] }
`,
        `    totals: ${totals}
`,
      );
    checkDiagnostics(rows("overall"), { ...options, messages: { "shared-arm-counted-twice": "the control arm of 'CDP 1976' (placebo: 20 events in 100) is in both its rows in subgroups 'Low dose' and 'High dose'" } });
    checkDiagnostics(rows("subgroups"), options);
    checkDiagnostics(rows("none"), options);
  });

  it("continuous rows compare mean, SD and total; GIV rows are not checked; no quick fix", () => {
    const md = TEXT.replace(
      "      CDP 1976: { mean: [128.1, 131.0], sd: [14.2, 15.0], total: [700, 712] }",
      "      CDP 1976:\n        - { mean: [128.1, 131.0], sd: [14.2, 15.0], total: [350, 712] }\n        - ⟨{ mean: [127.0, 131.0], sd: [14.0, 15.0], total: [350, 712] }|shared-arm-counted-twice⟩",
    );
    const diagnostics = checkDiagnostics(md, { ...options, messages: { "shared-arm-counted-twice": "(placebo: mean 131, SD 15, 712 participants)" } });
    assert.equal((diagnostics.find((d) => d.code === "shared-arm-counted-twice")!.data as { fixes?: unknown }).fixes, undefined);
    checkDiagnostics(
      TEXT.replace("    measure: MD\n", "    measure: GIV\n    scale: identity\n").replace(
        "      CDP 1976: { mean: [128.1, 131.0], sd: [14.2, 15.0], total: [700, 712] }",
        "      CDP 1976:\n        - { estimate: -2.9, se: 0.8, total: [350, 712] }\n        - { estimate: -1.9, se: 0.8, total: [350, 712] }",
      ),
      options,
    );
  });
});

describe("analyses: scale", () => {
  it("a number is the axis range of RR, OR, RD, MD, SMD; a GIV analysis's scale is its data scale, so a number there (or log on another measure) is schema-type", () => {
    checkDiagnostics(TEXT.replace("    measure: MD\n", "    measure: MD\n    scale: 100\n"), options);
    checkDiagnostics(TEXT.replace("    measure: MD\n", "    measure: MD\n    scale: ⟨log|schema-type⟩\n"), { ...options, messages: { "schema-type": "MD data are never logs" } });
    checkDiagnostics(
      TEXT.replace("    measure: MD\n", "    measure: GIV\n    scale: ⟨100|schema-type⟩\n").replace(
        "      CDP 1976: { mean: [128.1, 131.0], sd: [14.2, 15.0], total: [700, 712] }",
        "      CDP 1976: { estimate: -2.9, se: 0.8 }",
      ),
      { ...options, messages: { "schema-type": "not an axis range" } },
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

describe("analyses: what the editor says about the numbers", () => {
  it("hover: Egger's test, or why not; subgroups and their test; totals: none says so, the lens too", () => {
    checkHover(at("id: mortality-any", 5), ["Egger's test: not done, fewer than 10 studies (3)"], options);
    const subgroups = BY_DOSE;
    checkHover(at("id: mortality-any", 5, subgroups), ["Low dose: RR 0.74 \\[0.52, 1.05\\] · 1 study", "Test for subgroup differences: Chi² = 0.00, df = 1 (P = 0.99), I² = 0.0%"], options);
    const none = subgroups.replace("    measure: RR\n", "    measure: RR\n    totals: none\n");
    const card = checkHover(at("id: mortality-any", 5, none), ["3 studies · no totals (`totals: none`)"], options)!;
    assert.doesNotMatch(card, /Subgroup differences|Low dose: RR/i);
    const lenses = codeLenses(analyseText(none, options)).map((l) => l.title);
    assert.ok(lenses.includes("RR · 3 studies · no totals"), lenses.join("\n"));
  });

  it("completion of the keys that shape a plot: direction, labels from the arms' descriptions, scale by measure", () => {
    const withDirection = TEXT.replace("  - { id: sbp, name: Systolic blood pressure, role: secondary, type: continuous }", "  - id: sbp\n    name: Systolic blood pressure\n    role: secondary\n    direction: $0");
    const items = checkCompletion(withDirection, ["lower-is-better", "higher-is-better"], [], options);
    assert.match(items[0]!.detail!, /below the line of no effect favour the experimental arm/);
    const labels = checkCompletion(TEXT.replace("    measure: OR\n", "    measure: OR\n    labels: $0\n"), ['["Favours Aspirin, any dose", Favours Placebo]', '[Favours Placebo, "Favours Aspirin, any dose"]'], [], options);
    assert.match(labels[0]!.detail!, /Lower is better/);
    const ratio = checkCompletion(TEXT.replace("    measure: OR\n", "    measure: OR\n    scale: $0\n"), ["2", "5", "10", "100"], ["log", "identity"], options);
    assert.equal(ratio.find((i) => i.label === "100")!.detail, "The forest plot's axis from 0.01 to 100");
    const difference = checkCompletion(TEXT.replace("    measure: MD\n", "    measure: MD\n    scale: $0\n"), ["1", "2", "5", "10", "100"], ["log"], options);
    assert.equal(difference.find((i) => i.label === "100")!.detail, "The forest plot's axis from −100 to 100");
    checkCompletion(TEXT.replace("    measure: MD\n", "    measure: GIV\n    scale: $0\n"), ["log", "identity"], ["100"], options);
  });

  it("hover on labels and scale says what this plot shows; on direction, what each value does", () => {
    checkHover(TEXT.replace("    measure: OR\n", "    measure: OR\n    lab$0els: [Fewer deaths, More deaths]\n"), ["This plot: left **Fewer deaths**, right **More deaths** (as written)"], options);
    checkHover(TEXT.replace("    measure: OR\n", "    measure: OR\n    sc$0ale: 100\n"), ["This plot's axis: 0.01 to 100"], options);
    checkHover(TEXT.replace("    measure: MD\n", "    measure: MD\n    sc$0ale: 20\n"), ["This plot's axis: −20 to 20"], options);
    const directed = TEXT.replace("role: primary, type: dichotomous }", "role: primary, type: dichotomous, direction: lower-is-better }");
    checkHover(
      TEXT.replace("  - { id: sbp, name: Systolic blood pressure, role: secondary, type: continuous }", "  - id: sbp\n    name: Systolic blood pressure\n    role: secondary\n    dir$0ection: higher-is-better"),
      ["**direction** — Which way is good", "`lower-is-better`: Lower is better (e.g. deaths, pain): effects below the line of no effect favour the experimental arm", "An analysis's own `labels` win"],
      options,
    );
    checkHover(directed.replace("    measure: OR\n", "    measure: OR\n    lab$0els: x\n"), ["left **Favours Aspirin, any dose**, right **Favours Placebo** (from the outcome's direction (`lower-is-better`))"], options);
  });
});

describe("analyses: review-lint --results and --plots", () => {
  it("writes <name>.results.json as the contract says, forest-<id>.svg and funnel-<id>.svg beside the other pictures, mirroring folders", () => {
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
      assert.deepEqual(Object.keys(a), ["id", "outcome", "measure", "method", "model", "studies", "subgroups", "pooled", "heterogeneity", "subgroup_differences", "small_study"]);
      assert.equal(a.method, "MH");
      assert.equal(a.small_study, null, "3 studies: no Egger's test");
      assert.ok(Math.abs(a.pooled.effect - 0.722767787492504) < 1e-12);
      assert.deepEqual(Object.keys(a.studies[0]), ["id", "subgroup", "effect", "ci", "weight", "estimable"]);
      for (const file of ["forest-mortality-any.svg", "funnel-mortality-any.svg", "funnel-sbp-end.svg", "rob-traffic-light.svg"]) assert.ok(fs.existsSync(path.join(out, "p", folder, "review", file)), file);
    }
  });

  it("results with 10 or more rows give Egger's test; totals: none gives null totals", () => {
    const rows = Array.from({ length: 12 }, (_, i) => `      S${i}: { events: [${5 + i}, ${10 + 2 * i}], total: [${50 + 20 * i}, ${50 + 20 * i}] }`).join("\n");
    const analysis = analyseText(withMortality(`    data:\n${rows}\n`), options);
    const json = resultsJson("x", analysis.metaAnalyses) as { analyses: { small_study: Record<string, number> | null; pooled: unknown }[] };
    assert.deepEqual(Object.keys(json.analyses[0]!.small_study!), ["intercept", "se", "t", "df", "p"]);
    assert.equal(json.analyses[0]!.small_study!.df, 10);
    const none = resultsJson("x", analyseText(withMortality(`    data:\n${rows}\n`, "    totals: none\n"), options).metaAnalyses) as { analyses: { pooled: unknown; heterogeneity: unknown; subgroup_differences: unknown; studies: { weight: unknown }[] }[] };
    const a = none.analyses[0]!;
    assert.deepEqual([a.pooled, a.heterogeneity, a.subgroup_differences], [null, null, null]);
    assert.ok(a.studies.every((s) => s.weight === null));
  });
});

describe("analyses: the forest plot", () => {
  const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
  const forestOf = (text: string, index = 0) => {
    const analysis = analyseText(text, options);
    return forestSvg(analysis.metaAnalyses[index]!, forestContext(analysis, analysis.metaAnalyses[index]!));
  };

  it("RevMan's parts: the arms' descriptions, the measure's full name, method, model and CI; per-arm columns; weights; squares, a diamond; total events; heterogeneity; overall effect; subgroup differences", () => {
    const svg = forestOf(TEXT);
    const shown = texts(svg);
    for (const part of ["All-cause mortality", "Aspirin, any dose", "Placebo", "Odds Ratio", "M-H, Fixed, 95% CI", "Study or Subgroup", "Events", "Total", "Weight", "Total (95% CI)", "Total events", "125", "169", "100.0%", "0.72 [0.57, 0.92]", "Heterogeneity: Chi² = 0.25, df = 2 (P = 0.88); I² = 0%", "Test for overall effect: Z = 2.63 (P = 0.009)", "Test for subgroup differences: Not applicable", "Favours [experimental]", "Favours [control]"]) {
      assert.ok(shown.includes(part), `${part} in ${shown.join(" | ")}`);
    }
    assert.match(svg, /<title>Odds Ratio M-H, Fixed, 95% CI<\/title>/);
    assert.ok(!shown.includes("mortality-any"), "the title is the name, not the id");
    assert.equal((svg.match(/<g class="study" data-offset="\d+"/g) ?? []).length, 3);
    const snapshot = path.join(FIXTURES, "plots/forest-mortality-any.svg");
    if (process.env.UPDATE_SNAPSHOTS) fs.writeFileSync(snapshot, svg);
    assert.ok(fs.existsSync(snapshot), `${snapshot} is missing (UPDATE_SNAPSHOTS=1 to create it)`);
    assert.equal(svg, fs.readFileSync(snapshot, "utf8"));
  });

  it("mean, SD and total in their own columns; minus signs U+2212; the smallest standard axis holding every CI", () => {
    const shown = texts(forestOf(TEXT, 1));
    for (const part of ["Mean", "SD", "128.1", "14.2", "700", "131", "15", "712", "Mean Difference", "IV, Random, 95% CI", "−2.90 [−4.42, −1.38]", "Test for overall effect: Z = 3.73 (P = 0.0002)", "−5", "5"]) assert.ok(shown.includes(part), `${part} in ${shown.join(" | ")}`);
    assert.ok(!shown.some((t) => t.includes("-")), "no hyphen-minus");
  });

  it("labels: as written; else from the outcome's direction (lower is better: experimental on the left; higher: on the right); else RevMan's default", () => {
    const labelsOf = (text: string) => [...forestOf(text).matchAll(/<g class="favours">.*?>([^<]*)<\/text>.*?>([^<]*)<\/text>/g)].map((m) => [m[1], m[2]])[0];
    assert.deepEqual(labelsOf(TEXT), ["Favours [experimental]", "Favours [control]"]);
    const lower = TEXT.replace("role: primary, type: dichotomous }", "role: primary, type: dichotomous, direction: lower-is-better }");
    assert.deepEqual(labelsOf(lower), ["Favours Aspirin, any dose", "Favours Placebo"]);
    assert.deepEqual(labelsOf(lower.replace("lower-is-better", "higher-is-better")), ["Favours Placebo", "Favours Aspirin, any dose"]);
    assert.deepEqual(labelsOf(lower.replace("    measure: OR\n", "    measure: OR\n    labels: [Benzodiazepines, Pregabalin]\n")), ["Benzodiazepines", "Pregabalin"]);
  });

  it("the axis: the analysis's scale when given (100 → 0.01 to 100; −100 to 100 for differences), arrows where a CI leaves it", () => {
    const ticks = (svg: string) => [...svg.matchAll(/<text[^>]*font-size="10">([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(ticks(forestOf(TEXT.replace("    measure: OR\n", "    measure: OR\n    scale: 100\n"))), ["0.01", "0.1", "1", "10", "100"]);
    assert.deepEqual(ticks(forestOf(TEXT)), ["0.2", "0.5", "1", "2", "5"]);
    // RevMan stores any scale (103.31 in CD000023): its ends, 1 and the powers of ten between.
    assert.deepEqual(ticks(forestOf(TEXT.replace("    measure: OR\n", "    measure: OR\n    scale: 103.31\n"))), ["0.00968", "0.1", "1", "10", "103"]);
    assert.deepEqual(ticks(forestOf(TEXT.replace("    measure: MD\n", "    measure: MD\n    scale: 100\n"), 1)), ["−100", "−50", "0", "50", "100"]);
    const narrow = forestOf(TEXT.replace("    measure: OR\n", "    measure: OR\n    scale: 1.2\n"));
    assert.ok((narrow.match(/class="arrow"/g) ?? []).length >= 2, "CIs beyond 1/1.2 to 1.2 end in arrows");
  });

  it("subgroups under their names, each with its subtotal row (totals, weight, effect), heterogeneity and overall effect; then the total and the test for subgroup differences", () => {
    const text = BY_DOSE;
    const shown = texts(forestOf(text));
    const order = ["Low dose", "MRC-1 1974", "Subtotal (95% CI)", "615", "624", "0.74 [0.52, 1.05]", "Heterogeneity: Not applicable", "High dose", "CDP 1976", "GASP 1979", "Subtotal (95% CI)", "1075", "1080"];
    let at = -1;
    for (const part of order) {
      const next = shown.indexOf(part, at + 1);
      assert.ok(next > at, `${part} after ${shown[at]} in ${shown.join(" | ")}`);
      at = next;
    }
    assert.ok(shown.some((t) => /^Test for subgroup differences: Chi² = 0\.00, df = 1 \(P = 0\.99\), I² = 0\.0%$/.test(t)));
    assert.ok(!shown.some((t) => t.includes("mortality-any")), "headings by name, never the id");
    const subgroupsOnly = texts(forestOf(text.replace("    measure: RR\n", "    measure: RR\n    totals: subgroups\n")));
    assert.ok(!subgroupsOnly.includes("Total (95% CI)") && subgroupsOnly.filter((t) => t === "Subtotal (95% CI)").length === 2, subgroupsOnly.join(" | "));
    // Each subtotal is 100% of its subgroup: MRC-1 alone (100.0%), its subtotal, the high-dose subtotal.
    assert.equal(subgroupsOnly.filter((t) => t === "100.0%").length, 3);
    const none = texts(forestOf(text.replace("    measure: RR\n", "    measure: RR\n    totals: none\n")));
    assert.ok(!none.some((t) => /Subtotal|Total \(95% CI\)|Heterogeneity|subgroup differences|Weight/.test(t)), none.join(" | "));
    assert.ok(none.includes("Low dose") && none.includes("High dose") && none.includes("0.82 [0.53, 1.28]"));
  });

  it("GIV rows show the estimate and its SE", () => {
    const giv = TEXT.replace("    measure: MD\n", "    measure: GIV\n    label: HR\n    scale: log\n").replace(
      "      CDP 1976: { mean: [128.1, 131.0], sd: [14.2, 15.0], total: [700, 712] }",
      "      CDP 1976: { estimate: -0.2231, se: 0.1 }",
    );
    const shown = texts(forestOf(giv, 1));
    for (const part of ["log[Hazard Ratio]", "SE", "−0.2231", "0.1000", "Hazard Ratio", "IV, Random, 95% CI", "0.80 [0.66, 0.97]"]) assert.ok(shown.includes(part), `${part} in ${shown.join(" | ")}`);
  });
});
