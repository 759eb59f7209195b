/**
 * The body of evidence (contract sections 11 and 12): absolute effects from
 * known numbers, GRADE certainty computed and hinted, the flow's arithmetic,
 * the summary of findings table and the PRISMA 2020 diagram as pure
 * functions, hover and completion in both sections, and the one quick fix.
 */
import * as assert from "node:assert/strict";
import { absoluteEffect, interventionRisk } from "../server/src/core/stats/absolute-effects";
import { summaryOfFindings, summaryOfFindingsPage } from "../server/src/core/pictures/summary-of-findings";
import { prismaFlowSvg } from "../server/src/core/pictures/prisma-flow";
import { applyEdits, quickFixes } from "../server/src/service/code-actions";
import { analyseText, checkDiagnostics } from "./helpers/check";
import { checkCompletion, checkDefinition, checkHover } from "./helpers/features";

/** A completed review with two trials and one RR analysis; `rest` is appended (certainty, flow…). */
export function review(rest: string, opts: { design?: string; rob?: string; rows?: string; measure?: string } = {}): string {
  const rob = opts.rob ?? "low";
  const trial = (id: string) => `  - id: ${id}
    design: ${opts.design ?? "rct"}
    outcomes: { death: reported }
    risk_of_bias:
      random-sequence-generation: { judgement: ${rob}, support: s }
      allocation-concealment: { judgement: low, support: s }
      blinding-of-participants-and-personnel: { judgement: low, support: s }
      blinding-of-outcome-assessment: { judgement: low, support: s }
      incomplete-outcome-data: { judgement: low, support: s }
      selective-reporting: { judgement: low, support: s }
      other-bias: { judgement: low, support: s }
`;
  return `protocol: 1
stage: review
title: Cooling - a systematic review
type: intervention
question:
  population: { description: Adults }
  interventions: [ { id: cooling, description: Cooling } ]
  comparators: [ { id: usual, description: Usual care } ]
outcomes:
  - { id: death, name: Death, role: primary, type: dichotomous }
bias: { tool: rob1 }
studies:
${trial("Ames 2001")}${trial("Bell 2002")}analyses:
  - id: death-any
    outcome: death
    compare: [cooling, usual]
    measure: ${opts.measure ?? "RR"}
    data:
${opts.rows ?? "      Ames 2001: { events: [150, 200], total: [1000, 1000] }\n      Bell 2002: { events: [160, 200], total: [1000, 1000] }\n"}${rest}`;
}

const FIVE_NO = `    risk_of_bias: { rating: no }
    inconsistency: { rating: no }
    indirectness: { rating: no }
    imprecision: { rating: no }
    publication_bias: { rating: no }
`;

describe("absolute effects (contract section 11)", () => {
  it("RR 0.72 at a comparator risk of 0.12: 86 per 1,000 against 120, and its CI bounds likewise", () => {
    const e = absoluteEffect("RR", 0.72, [0.55, 0.94], 0.12)!;
    assert.deepEqual(e, { comparator: 120, intervention: 86, ci: [66, 113] });
  });
  it("OR: p_e = OR·p_c / (1 − p_c + OR·p_c), each bound likewise", () => {
    // 0.72·0.12 / (1 − 0.12 + 0.0864) = 0.0894…; 0.55 → 0.0698…; 0.94 → 0.1136…
    const e = absoluteEffect("OR", 0.72, [0.55, 0.94], 0.12)!;
    assert.deepEqual(e, { comparator: 120, intervention: 89, ci: [70, 114] });
  });
  it("RD: p_e = p_c + RD, each bound likewise; a risk stops at 0 and 1", () => {
    assert.deepEqual(absoluteEffect("RD", -0.03, [-0.05, -0.01], 0.12), { comparator: 120, intervention: 90, ci: [70, 110] });
    assert.equal(interventionRisk("RD", -0.2, 0.12), 0);
    assert.equal(interventionRisk("RR", 12, 0.12), 1);
  });
  it("a number that is not finite gives no absolute effect", () => {
    assert.equal(absoluteEffect("RR", Number.NaN, [0.5, 1], 0.1), null);
    assert.equal(absoluteEffect("RR", 1, [0.5, 1], 1.5), null);
  });
});

describe("certainty checks", () => {
  it("a stated level the ratings do not give is certainty-inconsistent on the value, with the arithmetic; the fix writes the computed level", () => {
    const text = review(`certainty:\n  - analysis: death-any\n${FIVE_NO.replace("imprecision: { rating: no }", 'imprecision: { rating: very-serious, reason: "few events" }')}    certainty: ⟨"high"|certainty-inconsistent⟩  # as published\n`);
    const ds = checkDiagnostics(text, { messages: { "certainty-inconsistent": "high (4) − 2 imprecision = low (2)" } });
    const d = ds.find((x) => x.code === "certainty-inconsistent")!;
    const [fix] = quickFixes(analyseText(text.replace(/⟨|\|certainty-inconsistent⟩/g, "")), [d]);
    assert.ok(fix && fix.preferred, "the fix is offered and preferred");
    const fixed = applyEdits(text.replace(/⟨|\|certainty-inconsistent⟩/g, ""), fix.edits);
    assert.match(fixed, /certainty: "low" {2}# as published\n/, "only the value changes, in its quoting style, the comment kept");
    assert.ok(!analyseText(fixed).diagnostics.some((x) => x.code === "certainty-inconsistent"));
  });
  it("checked only when all five domains are rated; a domain without a rating is a hint on the analysis key", () => {
    const text = review(`certainty:\n  - ⟨analysis|certainty-hint⟩: death-any\n    risk_of_bias: { rating: no }\n    certainty: high\n`);
    checkDiagnostics(text, { messages: { "certainty-hint": "Not rated: inconsistency, indirectness, imprecision and publication_bias" } });
  });
  it("a non-randomised design starts low and upgrades count; randomised evidence is not rated up (a hint on the upgrade)", () => {
    const low = review(`certainty:\n  - analysis: death-any\n${FIVE_NO}    upgrade: { large_effect: 1 }\n    certainty: ⟨moderate|certainty-inconsistent⟩\n`, { design: "cohort" });
    assert.ok(analyseText(low.replace(/⟨|\|certainty-inconsistent⟩/g, "")).diagnostics.every((d) => d.code !== "certainty-inconsistent"), "low (2) + 1 large effect = moderate");
    const high = review(`certainty:\n  - analysis: death-any\n${FIVE_NO}    upgrade: { large_effect: ⟨1|certainty-hint⟩ }\n    certainty: high\n`);
    checkDiagnostics(high, { messages: { "certainty-hint": "randomised evidence is not rated up" } });
  });
  it("an analysis id that is not declared is unknown-reference, with the nearest id as its fix", () => {
    const text = review(`certainty:\n  - analysis: ⟨death-anyy|unknown-reference⟩\n${FIVE_NO}`);
    const ds = checkDiagnostics(text);
    assert.equal(quickFixes(analyseText(text.replace(/⟨|\|unknown-reference⟩/g, "")), ds.filter((d) => d.code === "unknown-reference"))[0]?.title, "Change to 'death-any'");
  });
});

describe("certainty hints from the data", () => {
  it("risk of bias: the weight of studies at high risk, stated as a share", () => {
    const text = review(`certainty:\n  - analysis: death-any\n${FIVE_NO.replace("risk_of_bias: { rating: no }", "risk_of_bias: { rating: ⟨no|certainty-hint⟩ }")}`, { rob: "high" });
    checkDiagnostics(text, { messages: { "certainty-hint": /^100% of the weight from studies at high risk of bias \(Ames 2001 and Bell 2002\)/ } });
  });
  it("inconsistency: I² of 50% or more", () => {
    const rows = "      Ames 2001: { events: [50, 200], total: [1000, 1000] }\n      Bell 2002: { events: [260, 200], total: [1000, 1000] }\n";
    const text = review(`certainty:\n  - analysis: death-any\n${FIVE_NO.replace("inconsistency: { rating: no }", "inconsistency: { rating: ⟨no|certainty-hint⟩ }")}`, { rows });
    checkDiagnostics(text, { messages: { "certainty-hint": /^I² = \d+%: consider rating inconsistency down/ } });
  });
  it("imprecision: a ratio's CI that crosses no effect and 0.75 or 1.25, or fewer than 300 events", () => {
    const few = "      Ames 2001: { events: [10, 12], total: [100, 100] }\n      Bell 2002: { events: [9, 11], total: [100, 100] }\n";
    const text = review(`certainty:\n  - analysis: death-any\n${FIVE_NO.replace("imprecision: { rating: no }", "imprecision: { rating: ⟨no|certainty-hint⟩ }")}`, { rows: few });
    checkDiagnostics(text, { messages: { "certainty-hint": /includes no effect and a ratio below 0\.75/ } });
    const precise = "      Ames 2001: { events: [40, 100], total: [1000, 1000] }\n      Bell 2002: { events: [40, 100], total: [1000, 1000] }\n";
    const events = review(`certainty:\n  - analysis: death-any\n${FIVE_NO.replace("imprecision: { rating: no }", "imprecision: { rating: ⟨no|certainty-hint⟩ }")}`, { rows: precise });
    checkDiagnostics(events, { messages: { "certainty-hint": /^280 events in total, fewer than 300/ } });
  });
  it("publication bias: Egger's P below 0.10 with 10 or more studies, on the rating", () => {
    const sizes = [20, 30, 40, 50, 60, 80, 100, 150, 200, 400, 800];
    const rows = sizes.map((n, i) => `      S${i}: { events: [${Math.max(1, Math.round(n * 0.3 * (0.4 + (0.6 * i) / 10)))}, ${Math.round(n * 0.3)}], total: [${n}, ${n}] }\n`).join("");
    const text = review(`certainty:\n  - analysis: death-any\n${FIVE_NO}`, { rows });
    const hints = analyseText(text).diagnostics.filter((d) => d.code === "certainty-hint" && d.data?.domain === "publication_bias");
    assert.equal(hints.length, 1);
    assert.match(hints[0]!.message, /^Egger's test P = [\d.e−-]+ \(11 studies\): funnel-plot asymmetry/);
    assert.equal(text.slice(hints[0]!.start, hints[0]!.end), "no");
    const nine = review(`certainty:\n  - analysis: death-any\n${FIVE_NO}`, { rows: rows.split("\n").slice(2).join("\n") });
    assert.ok(!analyseText(nine).diagnostics.some((d) => d.data?.domain === "publication_bias"), "fewer than 10 studies: no test, no hint");
  });
  it("no hint where the rating already says so, and none without an overall result", () => {
    const text = review(`certainty:\n  - analysis: death-any\n${FIVE_NO.replace("risk_of_bias: { rating: no }", "risk_of_bias: { rating: serious }")}`, { rob: "high" });
    assert.ok(!analyseText(text).diagnostics.some((d) => d.code === "certainty-hint" && d.message.includes("high risk")));
    const noTotal = review(`certainty:\n  - analysis: death-any\n${FIVE_NO}`, { rob: "high", measure: "RR\n    totals: none" });
    assert.ok(!analyseText(noTotal).diagnostics.some((d) => d.code === "certainty-hint"), "totals: none gives no overall result to read");
  });
});

const FLOW = `flow:
  database_results: { MEDLINE: 1000, Embase: 310 }
  register_results: 45
  duplicates: 402
  records_screened: 953
  records_excluded: 880
  dbr_sought_reports: 73
  dbr_notretrieved_reports: 3
  dbr_assessed: 70
  dbr_excluded: { wrong population: 30, wrong comparator: 18, not randomised: 20 }
  new_studies: 2
  new_reports: 2
`;

describe("flow checks (contract section 12)", () => {
  it("counts that add up give nothing; a map stands for its sum", () => {
    checkDiagnostics(review(FLOW));
  });
  it("a box that does not follow is flow-arithmetic on that count, with the equation and numbers; the boxes after it are judged on the counts as stated", () => {
    const text = review(FLOW.replace("records_screened: 953", "records_screened: ⟨950|flow-arithmetic⟩").replace("records_excluded: 880", "records_excluded: 877"));
    checkDiagnostics(text, { messages: { "flow-arithmetic": "950 records screened ≠ 1310 + 45 − 402 = 953 (records_screened = database_results + register_results − duplicates)" } });
  });
  it("the other-methods term only when other_assessed is given; total_studies from previous_studies", () => {
    const other = FLOW.replace("new_reports: 2", "new_reports: ⟨2|flow-arithmetic⟩\n  other_sought_reports: 4\n  other_notretrieved_reports: 1\n  other_assessed: 3");
    checkDiagnostics(review(other), { messages: { "flow-arithmetic": "2 reports of new included studies ≠ 70 − 68 + 3 = 5" } });
    checkDiagnostics(review(FLOW + "  previous_studies: 3\n  total_studies: ⟨4|flow-arithmetic,flow-included-mismatch⟩\n"));
  });
  it("flow-included-mismatch: the included count against `studies`, and excluded_studies against the full-text exclusions", () => {
    checkDiagnostics(review(FLOW.replace("new_studies: 2", "new_studies: ⟨3|flow-included-mismatch⟩")), { messages: { "flow-included-mismatch": "includes 3 studies (new_studies) but the file lists 2" } });
    const small = FLOW.replace("dbr_excluded: { wrong population: 30, wrong comparator: 18, not randomised: 20 }", "dbr_excluded: 1").replace("dbr_assessed: 70", "dbr_assessed: 3").replace("dbr_sought_reports: 73", "dbr_sought_reports: 6").replace("records_excluded: 880", "records_excluded: 947").replace("new_studies: 2", "new_studies: ⟨2|flow-included-mismatch⟩");
    const excluded = "excluded_studies:\n  - { id: Cole 2003, reason: not randomised }\n  - { id: Dunn 2004, reason: wrong population }\n";
    checkDiagnostics(review(small + excluded), { messages: { "flow-included-mismatch": "`excluded_studies` lists 2 studies but the flow excludes 1 reports at full text" } });
  });
});

describe("summary of findings table", () => {
  it("per 1,000 from the control arms' risk, the relative effect, participants, ⊕ certainty with footnoted reasons, the click target", () => {
    const text = review(`certainty:\n  - analysis: death-any\n${FIVE_NO.replace("imprecision: { rating: no }", 'imprecision: { rating: serious, reason: "CI includes no effect" }')}    comment: Two trials\n`);
    const analysis = analyseText(text);
    const [table] = summaryOfFindings(analysis);
    assert.ok(table);
    assert.equal(table.title, "Cooling compared with Usual care");
    const row = table.rows[0]!;
    assert.equal(row.comparator, "200 per 1,000");
    // M-H RR of 310/2000 against 400/2000 is 0.775.
    assert.match(row.intervention, /^155 per 1,000 \(\d+ to \d+\)\n45 fewer per 1,000/);
    assert.match(row.relative, /^RR 0\.78 \(0\.\d\d to 0\.\d\d\)$/);
    assert.equal(row.participants, "4,000 (2 studies)");
    assert.equal(row.certainty, "⊕⊕⊕◯ MODERATE");
    assert.deepEqual(table.footnotes, ["Imprecision: rated down one level — CI includes no effect."]);
    assert.equal(text.slice(row.offset, row.offset + 9), "death-any");
    const page = summaryOfFindingsPage(table);
    assert.match(page, /^<!doctype html>/);
    assert.doesNotMatch(page, /<script|<link|src=/, "self-contained, no scripts");
  });
  it("assumed_risk sets the comparator risk; MD in words", () => {
    const analysis = analyseText(review(`certainty:\n  - analysis: death-any\n    assumed_risk: 0.12\n${FIVE_NO}`));
    assert.equal(summaryOfFindings(analysis)[0]!.rows[0]!.comparator, "120 per 1,000 (assumed)");
    const md = review(`certainty:\n  - analysis: death-any\n${FIVE_NO}`, {
      measure: "MD",
      rows: "      Ames 2001: { mean: [10, 13], sd: [4, 4], total: [100, 100] }\n      Bell 2002: { mean: [11, 14], sd: [4, 4], total: [100, 100] }\n",
    });
    assert.match(summaryOfFindings(analyseText(md))[0]!.rows[0]!.intervention, /^MD 3\.00 lower \(3\.\d\d lower to 2\.\d\d lower\)$/);
  });
});

describe("PRISMA 2020 flow diagram", () => {
  it("every count in a box, the reasons listed, a broken count marked with its equation as tooltip", () => {
    const analysis = analyseText(review(FLOW.replace("records_screened: 953", "records_screened: 950")));
    const svg = prismaFlowSvg(analysis.flow!);
    for (const n of ["1310", "MEDLINE (n = 1000)", "45", "402", "950", "880", "73", "70", "wrong population (n = 30)", "not randomised (n = 20)", "New studies included in review (n = 2)"]) assert.ok(svg.includes(n), n);
    assert.match(svg, /<g data-offset="\d+" data-problem="flow-arithmetic"><title>records_screened 950 ≠ database_results \+ register_results − duplicates = 1310 \+ 45 − 402 = 953<\/title>/);
    assert.ok(!svg.includes("other methods"), "no other-methods column without its counts");
    const other = prismaFlowSvg(analyseText(review(FLOW + "  citations_results: 6\n  previous_studies: 1\n")).flow!);
    assert.ok(other.includes("Identification of studies via other methods") && other.includes("Citation searching (n = 6)") && other.includes("Previous studies"));
    const reasons = Array.from({ length: 50 }, (_, i) => `r${i}: 1`).join(", ");
    const many = prismaFlowSvg(analyseText(review(`flow:\n  dbr_excluded: { ${reasons} }\n`)).flow!);
    assert.ok(many.includes("r39 (n = 1)") && !many.includes("r40 (n = 1)") && many.includes("10 more (n = 10)"), "at most 40 reasons listed, the rest summed");
  });
});

describe("hover and completion in certainty and flow", () => {
  const base = review(`certainty:\n  - analysis: death-any\n${FIVE_NO.replace("imprecision: { rating: no }", "imprecision: { rating: serious }")}    certainty: moderate\n${FLOW}`);
  const at = (needle: string, offset = 0) => {
    const i = base.indexOf(needle) + offset;
    return base.slice(0, i) + "$0" + base.slice(i);
  };
  it("a GRADE domain with its meaning and source; a rating; a level with what the ratings give", () => {
    checkHover(at("inconsistency:", 2), ["**Inconsistency**", "Source: GRADE Handbook 5.2.3"]);
    checkHover(at("serious }", 2), ["**serious** — Serious concern: rated down one level."]);
    checkHover(at("certainty: moderate", 13), ["⊕⊕⊕◯ **moderate**", "The ratings give ⊕⊕⊕◯ **moderate**: high (4) − 1 imprecision = moderate (3)"]);
  });
  it("a flow count's box and its equation worked on the file's counts; a reason", () => {
    checkHover(at("records_screened:", 3), ["**Records screened** (PRISMA 2020)", "`records_screened` = database\\_results + register\\_results − duplicates = 1310 + 45 − 402 = 953 ✓"]);
    checkHover(at("wrong population", 2), ["**wrong population** — 30 of the 68 counted in reports excluded"]);
  });
  it("completes the domains with their ratings, the analyses, the levels (computed first) and the flow's counts in the template's order", () => {
    const items = checkCompletion(review(`certainty:\n  - analysis: death-any\n    $0\n`), ["risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"]);
    assert.equal(items.filter((i) => i.label === "risk_of_bias").length, 1, "once, not again from the schema");
    assert.ok(items.some((i) => i.label === "certainty") && items.some((i) => i.label === "upgrade"), "the schema's other keys follow");
    checkCompletion(review(`certainty:\n  - analysis: $0\n`), ["death-any"]);
    checkCompletion(review(`certainty:\n  - analysis: death-any\n    imprecision: { rating: $0 }\n`), ["no", "serious", "very-serious"]);
    checkCompletion(review(`certainty:\n  - analysis: death-any\n${FIVE_NO.replace("imprecision: { rating: no }", "imprecision: { rating: serious }")}    certainty: $0\n`), ["moderate", "high", "low", "very-low"]);
    checkCompletion(review(`flow:\n  database_results: 3\n  $0\n`), ["register_results", "duplicates", "records_screened", "new_studies"], ["database_results"]);
  });
});

describe("navigation from a certainty entry", () => {
  it("definition on the entry's analysis lands on the analysis's id", () => {
    checkDefinition(review(`certainty:\n  - analysis: death-$0any\n`), "death-any");
  });
});

describe("a second certainty entry for an analysis", () => {
  it("is duplicate-id, not rated again and not a second row", () => {
    const text = review(`certainty:\n  - analysis: death-any\n${FIVE_NO}  - analysis: ⟨death-any|duplicate-id⟩\n    certainty: low\n`);
    checkDiagnostics(text);
    assert.equal(summaryOfFindings(analyseText(text.replace(/⟨|\|duplicate-id⟩/g, "")))[0]!.rows.length, 1);
  });
});
