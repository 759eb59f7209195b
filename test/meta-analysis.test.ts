/**
 * The numbers of an analysis against RevMan 5's own: every analysis of every
 * public .rm5 file in ../shared/rm5 is computed from its rows and compared with
 * the results RevMan stored (pooled effect, CI, Z, heterogeneity, τ², the test
 * for subgroup differences, and each row's effect, CI and weight) to 1e-6.
 * A selection of those rows and results is copied into the project
 * (test/fixtures/analyses/revman-stored.json), so the rules are tested even
 * without ../shared; when ../shared is there, the copy is checked against it.
 * Then the rules the public files do not exercise (RD with double zeros,
 * totals), Egger's test against metafor, and how every number is displayed.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { fixed, formatEffect, formatHeterogeneity, formatOverall, formatP, formatSubgroupDifferences } from "../server/src/core/pictures/format";
import { computeMetaAnalysis as computeAnalysis, pNormal, type MetaAnalysisSpec as AnalysisSpec, type DataRow } from "../server/src/core/stats/pooling";
import { decodeRm5, readRm5, rm5Spec, storedMismatches, type Rm5Outcome } from "../server/src/core/revman/rm5";
import { eggerTest } from "../server/src/core/stats/small-study";
import { FIXTURES } from "./helpers/check";

const RM5 = path.resolve(__dirname, "../../../shared/rm5");
const REFERENCE = path.resolve(__dirname, "../../../shared/reference/random-effects.json");

interface StoredFixture {
  analyses: { review: string; outcome: Rm5Outcome }[];
  egger: { review: string; rm5_id: string; egger: { intercept: number; se: number; t: number; df: number; p: number } }[];
}
const STORED: StoredFixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, "analyses/revman-stored.json"), "utf8"));

const close = (got: number | null | undefined, want: number, what: string, tolerance = 1e-6) =>
  assert.ok(got !== null && got !== undefined && Math.abs(got - want) <= tolerance * Math.max(Math.abs(want), 1e-3), `${what}: got ${got}, want ${want}`);

describe("meta-analysis: RevMan 5's stored results (../shared/rm5)", () => {
  const files = fs.existsSync(RM5) ? fs.readdirSync(RM5).filter((f) => f.endsWith(".rm5")).sort() : [];
  before(function () {
    if (files.length) return;
    if (process.env.CI === "true") assert.fail(`no .rm5 files in ${RM5}: ../shared is missing`);
    console.log(`      skipped: no ../shared/rm5 beside the project (CI fails instead); the copied results below still run`);
    this.skip();
  });

  it("every analysis of every public .rm5 file reproduces to 1e-6", () => {
    let total = 0;
    const failures: string[] = [];
    for (const f of files) {
      const review = readRm5(decodeRm5(fs.readFileSync(path.join(RM5, f))));
      for (const o of review.outcomes) {
        total++;
        const bad = storedMismatches(o, computeAnalysis(rm5Spec(o)));
        if (bad.length) failures.push(`${f} ${o.id} (${o.measure} ${o.method} ${o.random ? "random" : "fixed"}): ${bad.slice(0, 3).join("; ")}`);
      }
    }
    console.log(`      ${total - failures.length} of ${total} analyses in ${files.length} files reproduce RevMan's stored results`);
    assert.ok(total > 0);
    assert.deepEqual(failures, []);
  });

  it("the project's copy of rows and results is what the files and metafor's reference say", () => {
    for (const { review, outcome } of STORED.analyses) {
      const original = readRm5(decodeRm5(fs.readFileSync(path.join(RM5, review)))).outcomes.find((o) => o.id === outcome.id);
      // The copy holds what the numbers need; the reader may learn more about an analysis (labels, scale…) without the copy going stale.
      assertCopied(outcome, JSON.parse(JSON.stringify(original)), `${review} ${outcome.id}`);
    }
    const reference: { review: string; rm5_id: string; egger: unknown }[] = JSON.parse(fs.readFileSync(REFERENCE, "utf8"));
    for (const e of STORED.egger) assert.deepStrictEqual(e.egger, reference.find((r) => r.review === e.review && r.rm5_id === e.rm5_id)?.egger);
  });

  it("Egger's test matches metafor's regtest on every analysis of the reference (1e-6 relative); null with fewer than 10 rows", () => {
    const reference: { review: string; rm5_id: string; egger: Record<string, number> | null }[] = JSON.parse(fs.readFileSync(REFERENCE, "utf8"));
    let compared = 0;
    for (const e of reference) {
      const o = readRm5(decodeRm5(fs.readFileSync(path.join(RM5, e.review)))).outcomes.find((x) => x.id === e.rm5_id)!;
      const got = computeAnalysis(rm5Spec(o)).smallStudy;
      if (!e.egger) {
        assert.equal(got, null, `${e.review} ${e.rm5_id}`);
        continue;
      }
      compared++;
      for (const k of ["intercept", "se", "t", "df", "p"] as const) close(got?.[k], e.egger[k]!, `${e.review} ${e.rm5_id} ${k}`);
    }
    assert.ok(compared >= 10, `${compared} analyses with Egger's test`);
  });
});

/** Every value of `copy` is the original's at the same place (objects may hold more in the original; lists are the same length). */
function assertCopied(copy: unknown, original: unknown, where: string): void {
  if (copy === null || typeof copy !== "object") return assert.deepStrictEqual(copy, original, where);
  assert.ok(original !== null && typeof original === "object", `${where}: missing in the file`);
  if (Array.isArray(copy)) assert.equal(copy.length, (original as unknown[]).length, `${where}: length`);
  for (const [k, v] of Object.entries(copy)) assertCopied(v, (original as Record<string, unknown>)[k], `${where}.${k}`);
}

describe("meta-analysis: RevMan's stored results copied into the project", () => {
  it("each copied analysis (every measure, method, model and totals of the public files) reproduces to 1e-6", () => {
    const failures = STORED.analyses.flatMap(({ review, outcome }) => storedMismatches(outcome, computeAnalysis(rm5Spec(outcome))).map((m) => `${review} ${outcome.id}: ${m}`));
    assert.ok(STORED.analyses.length >= 15);
    assert.deepEqual(failures, []);
  });

  it("Egger's test of the copied analyses matches metafor's", () => {
    for (const e of STORED.egger) {
      const o = STORED.analyses.find((a) => a.review === e.review && a.outcome.id === e.rm5_id)!.outcome;
      const got = computeAnalysis(rm5Spec(o)).smallStudy;
      for (const k of ["intercept", "se", "t", "df", "p"] as const) close(got?.[k], e.egger[k], `${e.review} ${e.rm5_id} ${k}`);
    }
  });
});

describe("meta-analysis: the rules", () => {
  const rowsOf = (rows: [number, number, number, number][], from = 0) =>
    rows.map(([e1, n1, e2, n2], i) => ({ study: `S${from + i}`, row: { kind: "dichotomous", events: [e1, e2], total: [n1, n2] } as DataRow }));
  const dich = (rows: [number, number, number, number][], measure = "RR", method = "MH", model: "fixed" | "random" = "fixed"): AnalysisSpec => ({
    measure,
    method,
    model,
    tau2: "DL",
    logScale: false,
    totals: "overall",
    groups: [{ name: null, rows: rowsOf(rows) }],
  });

  it("a study with no events in either arm is not estimable for RR and OR, but is for RD", () => {
    assert.equal(computeAnalysis(dich([[0, 10, 0, 12], [3, 10, 5, 12]])).studies[0]!.estimable, false);
    assert.equal(computeAnalysis(dich([[0, 10, 0, 12], [3, 10, 5, 12]], "OR")).studies[0]!.estimable, false);
    const rd = computeAnalysis(dich([[0, 10, 0, 12], [3, 10, 5, 12]], "RD"));
    assert.equal(rd.studies[0]!.estimable, true);
    assert.equal(rd.studies[0]!.effect, 0);
  });

  it("RD with double zeros (the worked example): 0.00445 [−0.01946, 0.02836], Z 0.364, P 0.716, weights 17.55 / 10.42 / 72.03%", () => {
    const spec = dich([[0, 28, 0, 26], [0, 16, 0, 16], [1, 162, 0, 84]], "RD");
    spec.groups[0]!.rows.forEach((r, i) => (r.study = ["Dutta 1996", "Khan 1995", "Alam 1990"][i]!));
    const r = computeAnalysis(spec);
    assert.equal(fixed(r.pooled!.effect, 5), "0.00445");
    assert.deepEqual(r.pooled!.ci.map((x) => fixed(x, 5)), ["−0.01946", "0.02836"]);
    assert.equal(fixed(r.pooled!.z, 3), "0.364");
    assert.equal(fixed(r.pooled!.p, 3), "0.716");
    assert.deepEqual(r.studies.map((s) => fixed(s.weight, 2)), ["17.55", "10.42", "72.03"]);
    // Each double-zero study: RD 0 with the variance of its corrected cells (0.5 added to each).
    const v = (0.5 * 28.5) / 29 ** 3 + (0.5 * 26.5) / 27 ** 3;
    close(r.studies[0]!.ci![1], 1.959963984540054 * Math.sqrt(v), "Dutta 1996 CI end");
  });

  it("RD where every study has no events: the corrected variance, never a CI of [0, 0]", () => {
    const r = computeAnalysis(dich([[0, 28, 0, 26], [0, 16, 0, 16]], "RD"));
    assert.equal(r.pooled!.effect, 0);
    assert.ok(r.pooled!.ci[0] < -0.01 && r.pooled!.ci[1] > 0.01, `${r.pooled!.ci}`);
    assert.equal(formatOverall(r.pooled), "Test for overall effect: Z = 0.00 (P = 1.00)");
  });

  const subgrouped = (totals: AnalysisSpec["totals"]): AnalysisSpec => ({
    ...dich([]),
    totals,
    groups: [
      { name: "Low dose", rows: rowsOf([[10, 100, 20, 100], [5, 50, 9, 50]]) },
      { name: "High dose", rows: rowsOf([[12, 100, 13, 100], [30, 200, 28, 200]], 2) },
    ],
  });

  it("totals: none pools nothing: no total, no subgroup totals, no test for subgroup differences, no weights", () => {
    const r = computeAnalysis(subgrouped("none"));
    assert.equal(r.pooled, null);
    assert.equal(r.heterogeneity, null);
    assert.deepEqual(r.subgroups.map((g) => [g.pooled, g.heterogeneity]), [[null, null], [null, null]]);
    assert.equal(r.subgroupDifferences, null);
    assert.ok(r.studies.every((s) => s.estimable && s.weight === null && s.effect !== null));
  });

  it("totals: subgroups gives the subgroups' totals and the test for their differences, and no overall total", () => {
    const r = computeAnalysis(subgrouped("subgroups"));
    assert.equal(r.pooled, null);
    assert.ok(r.subgroups.every((g) => g.pooled && g.heterogeneity));
    assert.equal(r.subgroupDifferences!.df, 1);
    // Weights are each study's share of its subgroup.
    close(r.studies[0]!.weight! + r.studies[1]!.weight!, 100, "low-dose weights");
    close(r.studies[2]!.weight! + r.studies[3]!.weight!, 100, "high-dose weights");
    const overall = computeAnalysis(subgrouped("overall"));
    assert.deepEqual(overall.subgroupDifferences, r.subgroupDifferences);
    close(overall.studies.reduce((s, x) => s + x.weight!, 0), 100, "overall weights");
  });

  it("one estimable study: the pooled result is that study's own", () => {
    const r = computeAnalysis(dich([[2, 10, 4, 10], [0, 10, 0, 10]], "RR", "MH", "random"));
    assert.equal(r.pooled!.effect, r.studies[0]!.effect);
    assert.equal(r.heterogeneity!.df, 0);
  });

  it("a zero cell adds 0.5 to each cell of that study", () => {
    const r = computeAnalysis(dich([[0, 10, 4, 10]])).studies[0]!;
    assert.ok(Math.abs(r.effect! - 0.5 / 10.5 / (4.5 / 10.5)) < 1e-12);
  });

  it("Egger's test: null with fewer than 10 rows or when every SE is the same; the intercept's t test with k − 2 df", () => {
    assert.equal(eggerTest([0.1, 0.2, 0.3], [0.1, 0.2, 0.3]), null);
    assert.equal(eggerTest(Array.from({ length: 12 }, (_, i) => i / 10), Array.from({ length: 12 }, () => 0.2)), null);
    // Effects that grow with the SE (small studies show larger effects): a positive intercept.
    const se = Array.from({ length: 12 }, (_, i) => 0.05 + i * 0.03);
    const y = se.map((s, i) => 0.1 + 1.5 * s + (i % 2 ? 0.01 : -0.01));
    const e = eggerTest(y, se)!;
    assert.equal(e.df, 10);
    assert.ok(e.intercept > 1 && e.p < 0.001, JSON.stringify(e));
  });

  it("P values keep their precision far in the tail", () => {
    assert.ok(pNormal(10) > 0 && pNormal(10) < 1e-22);
  });
});

describe("meta-analysis: numbers as RevMan shows them", () => {
  it("P: below 0.00001 as '< 0.00001', one significant digit below 0.01, two decimals otherwise", () => {
    const cases: [number, string][] = [
      [0.000004, "P < 0.00001"],
      [0.00001, "P = 0.00001"],
      [0.0000149, "P = 0.00001"],
      [0.00024, "P = 0.0002"],
      [0.0002, "P = 0.0002"],
      [0.0049, "P = 0.005"],
      [0.009, "P = 0.009"],
      [0.0096, "P = 0.01"],
      [0.01, "P = 0.01"],
      [0.04, "P = 0.04"],
      [0.8812, "P = 0.88"],
      [1, "P = 1.00"],
    ];
    for (const [p, text] of cases) assert.equal(formatP(p), text, String(p));
  });

  it("never 'P = 0.00', NaN, Infinity or undefined: what does not exist is 'Not estimable' / 'Not applicable'", () => {
    for (let i = 0; i < 2000; i++) {
      const p = 10 ** (-8 * Math.random());
      assert.doesNotMatch(formatP(p), /P = 0\.00\b(?!\d)|NaN|Infinity/, String(p));
    }
    assert.equal(formatEffect(NaN, [1, 2]), "Not estimable");
    assert.equal(formatEffect(1, [Infinity, 2]), "Not estimable");
    assert.equal(formatEffect(null, null), "Not estimable");
    assert.equal(formatOverall(null), "Test for overall effect: Not applicable");
    assert.equal(formatHeterogeneity({ q: 0, df: 0, p: null, i2: null, tau2: null }, { model: "random" }), "Heterogeneity: Not applicable");
    assert.equal(formatSubgroupDifferences(null), "Test for subgroup differences: Not applicable");
    assert.equal(fixed(NaN), "Not estimable");
  });

  it("minus signs are U+2212; two decimals; a value that rounds to zero has no sign", () => {
    assert.equal(formatEffect(-2.9, [-4.421, -1.379]), "−2.90 [−4.42, −1.38]");
    assert.equal(fixed(-0.001), "0.00");
    assert.equal(formatHeterogeneity({ q: 85.886, df: 14, p: 3e-12, i2: 83.7, tau2: 0.0597 }, { model: "random" }), "Heterogeneity: Tau² = 0.06; Chi² = 85.89, df = 14 (P < 0.00001); I² = 84%");
    assert.equal(formatSubgroupDifferences({ q: 13.53, df: 4, p: 0.0089, i2: 70.43, tau2: null }), "Test for subgroup differences: Chi² = 13.53, df = 4 (P = 0.009), I² = 70.4%");
  });
});
