/**
 * Section 8.1's random-effects methods in the editor and the results: the
 * schema check of `tau2`, `ci`, `prediction`; completion and hover that explain
 * each method; the analysis hover, code lens, text forest and forest plot naming
 * the methods with the τ² interval, t and the prediction interval; k = 1, 2 and
 * 3; REML that gives no number says why instead.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { forestSvg } from "../server/src/core/pictures/forest";
import { forestContext } from "../server/src/core/pictures/plots";
import { resultsJson } from "../server/src/core/model/results";
import { codeLenses } from "../server/src/service/symbols";
import { analyseText, checkDiagnostics, FIXTURES } from "./helpers/check";
import { checkCompletion, checkHover, cursorAt } from "./helpers/features";
import type { Pooled } from "../server/src/core/stats/pooling";

const FILE = path.join(FIXTURES, "random-effects/cooling.protocol.yaml");
const TEXT = fs.readFileSync(FILE, "utf8");
const options = { dir: path.dirname(FILE), root: FIXTURES };
const at = (needle: string, within = 0, text = TEXT) => cursorAt(text, needle, within);

/** The results JSON's pooled fields: the core's own type. */
type PooledJson = Pick<Pooled, "effect" | "ci" | "z" | "t" | "df" | "p" | "prediction">;
interface AnalysisJson {
  id: string;
  pooled: PooledJson | null;
  heterogeneity: { i2: number | null; tau2?: number | null; tau2_ci?: [number, number] | null } | null;
  subgroups: { name: string; heterogeneity: { tau2_ci?: [number, number] | null } | null; reason?: string }[];
  subgroup_differences: unknown;
  reason?: string;
}
const results = (text: string) => (resultsJson("x", analyseText(text, options).metaAnalyses) as { analyses: AnalysisJson[] }).analyses;

describe("random effects: the schema of tau2, ci, prediction", () => {
  it("the fixture is valid", () => {
    checkDiagnostics(TEXT, options);
  });
});

describe("random effects: tau2, ci and prediction need random effects", () => {
  it("REML, HKSJ or a prediction interval with model: fixed (or no model) is schema-type on the value, saying it needs model: random", () => {
    const fixed = TEXT.replace("    model: random\n    tau2: REML\n    ci: hksj\n    prediction: true\n", "    model: fixed\n    tau2: ⟨REML|schema-type⟩\n    ci: ⟨hksj|schema-type⟩\n    prediction: ⟨true|schema-type⟩\n");
    checkDiagnostics(fixed, { ...options, messages: { "schema-type": "needs `model: random`" } });
    const none = TEXT.replace("    model: random\n    tau2: REML\n    ci: hksj\n    prediction: true\n", "    ci: ⟨hksj|schema-type⟩\n");
    checkDiagnostics(none, { ...options, messages: { "schema-type": "no `model` (fixed effect by default)" } });
  });

  it("the defaults are harmless with fixed effect; other values are schema-enum (booleans schema-type)", () => {
    checkDiagnostics(TEXT.replace("    model: random\n    tau2: REML\n    ci: hksj\n    prediction: true\n", "    model: fixed\n    tau2: DL\n    ci: wald\n    prediction: false\n"), options);
    checkDiagnostics(TEXT.replace("    tau2: REML\n    ci: hksj\n    prediction: true\n", "    tau2: ⟨ML|schema-enum⟩\n    ci: ⟨knha|schema-enum⟩\n    prediction: ⟨yes|schema-type⟩\n"), options);
  });
});

describe("random effects: completion and hover explain each method", () => {
  it("completion of tau2, ci and prediction: each value with what it does and its source", () => {
    const tau2 = checkCompletion(TEXT.replace("    tau2: REML\n    ci: hksj", "    tau2: $0\n    ci: hksj"), ["DL", "REML"], [], options);
    assert.match(tau2.find((i) => i.label === "REML")!.documentation!, /restricted likelihood[\s\S]*Source: Viechtbauer 2005/);
    const ci = checkCompletion(TEXT.replace("    ci: hksj\n    prediction: true", "    ci: $0\n    prediction: true"), ["wald", "hksj"], [], options);
    assert.equal(ci.find((i) => i.label === "hksj")!.detail, "Hartung-Knapp-Sidik-Jonkman (t distribution, k − 1 df; random effects only)");
    assert.match(ci.find((i) => i.label === "hksj")!.documentation!, /Source: Hartung & Knapp 2001/);
    const prediction = checkCompletion(TEXT.replace("    ci: hksj\n    prediction: true", "    ci: hksj\n    prediction: $0"), ["true", "false"], [], options);
    assert.match(prediction[0]!.documentation!, /Higgins, Thompson & Spiegelhalter 2009/);
  });

  it("hover on the key or its value lists every method with its source, the analysis's own in bold", () => {
    checkHover(at("ci: hksj", 1), ["**ci** — The pooled CI", "`wald`: Wald (normal distribution; RevMan 5)", "**`hksj`** (this analysis): Hartung-Knapp-Sidik-Jonkman", "_Source: Hartung & Knapp 2001"], options);
    checkHover(at("tau2: REML", 7), ["**`REML`** (this analysis): Restricted maximum likelihood", "_Source: Viechtbauer 2005", "`DL`: DerSimonian-Laird (RevMan 5)"], options);
    checkHover(at("prediction: true", 13), ["**`true`** (this analysis)", "Cochrane Handbook 10.10.4.3"], options);
  });
});

describe("random effects: the numbers where the author looks", () => {
  it("the analysis hover names the methods and gives τ² with its interval, the prediction interval and t with its df; a text forest with the prediction bar", () => {
    checkHover(
      at("id: death-any", 5),
      [
        "Risk ratio · IV, Random (REML, HKSJ), 95% CI",
        "**RR 0.64 \\[0.36, 1.14\\]** · 6 studies",
        "Prediction interval 0.16 to 2.50",
        "Heterogeneity: Tau² = 0.19 \\[0.02, 1.99\\] (REML); Chi² = 15.85, df = 5 (P = 0.007); I² = 74%",
        "Test for overall effect: t = −1.98 (df = 5; P = 0.10)",
        /\nPrediction +=+\|=+ +0\.16 to 2\.50\n/,
      ],
      options,
    );
    // Two studies: no prediction interval, and it says why.
    checkHover(at("id: pain-end", 5), ["IV, Random (DL, HKSJ), 95% CI", "Prediction interval not applicable (fewer than 3 studies)", "Tau² = 0.09 \\[0.00, 127.25\\] (DL)", "t = −2.57 (df = 1; P = 0.24)"], options);
  });

  it("the code lens states the prediction interval", () => {
    const titles = codeLenses(analyseText(TEXT, options)).map((l) => l.title);
    assert.ok(titles.includes("RR 0.64 [0.36, 1.14] · 6 studies · I² 74% · prediction 0.16 to 2.50"), titles.join("\n"));
    assert.ok(titles.includes("MD −0.64 [−3.82, 2.53] · 2 studies · I² 73%"), titles.join("\n"));
  });

  it("RevMan 5's defaults keep RevMan 5's texts: no method named, no τ² interval, Z", () => {
    const dl = TEXT.replace("    method: IV\n    model: random\n    tau2: REML\n    ci: hksj\n    prediction: true\n", "    method: IV\n    model: random\n");
    checkHover(at("id: death-any", 5, dl), ["IV, Random, 95% CI", "Heterogeneity: Tau² = 0.15; Chi² = 15.85, df = 5 (P = 0.007); I² = 68%", "Test for overall effect: Z ="], options);
  });

  it("results JSON: pooled t, df and prediction, heterogeneity tau2_ci and I² from τ²; subgroups pooled with the same settings", () => {
    const [any, byStart, pain] = results(TEXT);
    assert.deepEqual(Object.keys(any!.pooled!), ["effect", "ci", "z", "p", "t", "df", "prediction", "studies"]);
    assert.equal(any!.pooled!.z, null);
    assert.equal(any!.pooled!.df, 5);
    assert.ok(any!.pooled!.t! < 0 && any!.pooled!.prediction![0] < any!.pooled!.ci[0]);
    assert.ok(any!.heterogeneity!.tau2_ci![0] < any!.heterogeneity!.tau2! && any!.heterogeneity!.tau2! < any!.heterogeneity!.tau2_ci![1]);
    assert.ok(Math.abs(any!.heterogeneity!.i2! - 73.7) < 1, String(any!.heterogeneity!.i2));
    // Wald under REML: z, no t.
    assert.ok(byStart!.pooled!.z! > 0 && byStart!.pooled!.t === null && byStart!.pooled!.prediction !== null);
    assert.ok(byStart!.subgroups.every((g) => Array.isArray(g.heterogeneity!.tau2_ci)));
    assert.equal(pain!.pooled!.prediction, null, "two studies: no prediction interval");
    // Fixed effect: the new fields are null.
    const fixed = results(TEXT.replace("    model: random\n    tau2: REML\n    ci: hksj\n    prediction: true\n", ""))[0]!;
    assert.deepEqual([fixed.pooled!.t, fixed.pooled!.df, fixed.pooled!.prediction, fixed.heterogeneity!.tau2_ci], [null, null, null, null]);
  });

  it("one study: its own result, no τ² interval, no prediction interval", () => {
    const one = TEXT.replace(/( {6}Borg 2014: \{ mean.*\n)/, "");
    const pain = results(one)[2]!;
    assert.equal(pain.pooled!.t, null);
    assert.equal(pain.pooled!.prediction, null);
    assert.equal(pain.heterogeneity!.tau2_ci, null);
    assert.ok(Math.abs(pain.pooled!.effect - -0.9) < 1e-12);
  });

  it("REML that gives no number: the results are null with the reason, and the hover, lens and forest plot say so", () => {
    const hostile = TEXT.replace("    measure: MD\n    model: random\n", "    measure: GIV\n    scale: identity\n    model: random\n    tau2: REML\n")
      .replace("      Adeyemi 2011: { mean: [3.1, 4.0], sd: [1.2, 1.4], total: [90, 88] }\n      Borg 2014: { mean: [3.5, 3.9], sd: [1.1, 1.3], total: [95, 97] }", "      Adeyemi 2011: { estimate: 1e200, se: 1 }\n      Borg 2014: { estimate: -1e200, se: 1 }");
    const pain = results(hostile)[2]!;
    assert.deepEqual([pain.pooled, pain.heterogeneity], [null, null]);
    assert.match(pain.reason!, /^REML: .*out of the range/);
    checkHover(at("id: pain-end", 5, hostile), ["2 studies · not computed: REML: the estimates or variances are out of the range it can compute with"], options);
    const analysis = analyseText(hostile, options);
    assert.ok(codeLenses(analysis).some((l) => l.title.startsWith("Estimate · 2 studies · not computed: REML")));
    const a = analysis.metaAnalyses[2]!;
    assert.match(forestSvg(a, forestContext(analysis, a)), /Not computed: REML: the estimates or variances are out of the range/);
  });

  it("the forest plot: the header names the methods, the prediction interval is a bar under the diamond, the overall effect is t with its df", () => {
    const analysis = analyseText(TEXT, options);
    const a = analysis.metaAnalyses[0]!;
    const svg = forestSvg(a, forestContext(analysis, a));
    assert.match(svg, />IV, Random \(REML, HKSJ\), 95% CI</);
    assert.match(svg, /<g class="prediction"><title>95% prediction interval \[0\.16, 2\.50\]<\/title>.*<rect /);
    assert.match(svg, />Test for overall effect: t = −1\.98 \(df = 5; P = 0\.10\)</);
    assert.ok(svg.indexOf('class="pooled"') < svg.indexOf('class="prediction"'), "the bar comes under the diamond");
    const byStart = analysis.metaAnalyses[1]!;
    const sub = forestSvg(byStart, forestContext(analysis, byStart));
    assert.equal(sub.match(/class="prediction"/g)?.length, 2, "a subgroup of 3 and the total have a bar; the subgroup of 2 says why not");
    assert.match(sub, /Prediction interval not applicable \(fewer than 3 studies\)/);
  });
});
