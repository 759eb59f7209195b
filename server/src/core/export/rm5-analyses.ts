/**
 * The analyses of a RevMan 5 export: comparisons, outcomes, subgroups and data
 * rows with every result attribute RevMan stores, filled from our results. One
 * element per line, headers in RevMan's order (NAME, GROUP_LABEL_1/2,
 * GRAPH_LABEL_1/2, and for generic analyses EFFECT_MEASURE): R meta's read.rm5
 * reads the file line by line and finds each element's head so.
 */
import { MEASURE, NO_TOTALS, OVERALL_TOTAL, SUBGROUP_TOTALS } from "../../../../schemas/src/domain";
import type { DataRow, Heterogeneity, MetaAnalysisResult, Pooled, StudyResult } from "../stats/pooling";
import { numbering, type ExportAnalysis, type ExportRow } from "./review";
import { appendAll } from "../syntax/arrays";
import { attrs, el } from "./xml";

const TAGS: Record<DataRow["kind"], string> = { dichotomous: "DICH", continuous: "CONT", generic: "IV" };
const TOTALS: Record<string, string> = { [OVERALL_TOTAL]: "YES", [SUBGROUP_TOTALS]: "SUB", [NO_TOTALS]: "NO" };

/** Pooled results and heterogeneity as RevMan's attributes. */
function pooledAttrs(p: Pooled | null, h: Heterogeneity | null, ratio: boolean, rows: readonly ExportRow[]): Record<string, number | string | undefined> {
  // Not pooled (totals off, nothing estimable): RevMan still writes every attribute, with ESTIMABLE="NO" (readers read DF and the rest).
  const studies = rows.filter((r) => r.result?.estimable).length;
  if (!p) return { ESTIMABLE: "NO", EFFECT_SIZE: 0, CI_START: 0, CI_END: 0, Z: 0, P_Z: 1, STUDIES: studies, CHI2: h?.q ?? 0, DF: h?.df ?? Math.max(0, studies - 1), P_CHI2: h?.p ?? 1, I2: h?.i2 ?? 0, TAU2: h?.tau2 ?? 0 };
  const log = (x: number) => (ratio ? Math.log(x) : undefined);
  return {
    ESTIMABLE: "YES",
    EFFECT_SIZE: p.effect,
    CI_START: p.ci[0],
    CI_END: p.ci[1],
    LOG_EFFECT_SIZE: log(p.effect),
    LOG_CI_START: log(p.ci[0]),
    LOG_CI_END: log(p.ci[1]),
    // Wald results only reach here (review.ts recomputes HKSJ analyses), so z is a number.
    Z: p.z ?? undefined,
    P_Z: p.p ?? undefined,
    STUDIES: p.studies,
    CHI2: h?.q,
    DF: h?.df,
    // With one study RevMan stores Chi² 0, P 1 (df 0: "not applicable" on screen).
    P_CHI2: h ? (h.p ?? 1) : undefined,
    I2: h?.i2 ?? 0,
    TAU2: h?.tau2 ?? 0,
  };
}

/** Sums of events and participants (dichotomous), participants (continuous, generic with totals). */
function sums(rows: readonly ExportRow[]): Record<string, number | undefined> {
  const sum = (f: (r: DataRow) => number | undefined) => {
    const xs = rows.map((r) => f(r.row));
    return xs.every((x) => x !== undefined && Number.isFinite(x)) && xs.length ? xs.reduce((a, b) => a! + b!, 0) : undefined;
  };
  const total = (i: 0 | 1) => sum((r) => ("total" in r && r.total ? r.total[i] : undefined));
  const events = (i: 0 | 1) => sum((r) => (r.kind === "dichotomous" ? r.events[i] : undefined));
  return { TOTAL_1: total(0), TOTAL_2: total(1), EVENTS_1: events(0), EVENTS_2: events(1) };
}

function rowLine(tag: string, r: ExportRow, studyId: string, order: number, ratio: boolean): string {
  const row = r.row;
  const s: StudyResult | undefined = r.result;
  const data: Record<string, number | string | undefined> = { STUDY_ID: studyId, ORDER: order };
  if (row.kind === "dichotomous") Object.assign(data, { EVENTS_1: row.events[0], EVENTS_2: row.events[1], TOTAL_1: row.total[0], TOTAL_2: row.total[1] });
  else if (row.kind === "continuous") Object.assign(data, { MEAN_1: row.mean[0], MEAN_2: row.mean[1], SD_1: row.sd[0], SD_2: row.sd[1], TOTAL_1: row.total[0], TOTAL_2: row.total[1] });
  else Object.assign(data, { ESTIMATE: row.estimate, SE: row.se, TOTAL_1: row.total?.[0], TOTAL_2: row.total?.[1] });
  if (s?.estimable && s.ci && s.effect !== null) {
    Object.assign(data, { ESTIMABLE: "YES", EFFECT_SIZE: s.effect, CI_START: s.ci[0], CI_END: s.ci[1], WEIGHT: s.weight ?? 0 });
    if (ratio) Object.assign(data, { LOG_EFFECT_SIZE: Math.log(s.effect), LOG_CI_START: Math.log(s.ci[0]), LOG_CI_END: Math.log(s.ci[1]) });
    if (row.kind !== "generic" && s.v !== undefined) Object.assign(data, { SE: Math.sqrt(s.v), VAR: s.v });
  } else Object.assign(data, { ESTIMABLE: "NO", WEIGHT: 0 });
  const note = r.note ? el("FOOTNOTE", r.note) : "";
  return note ? `<${tag}_DATA ${attrs(data)}>${note}</${tag}_DATA>` : `<${tag}_DATA ${attrs(data)}/>`;
}

/** The test for subgroup differences; with subgroups but no test (one subgroup estimable, no totals) RevMan's zeros. */
function subgroupTest(result: MetaAnalysisResult, subgrouped: boolean): Record<string, number | undefined> {
  const d = result.subgroupDifferences;
  if (!subgrouped) return {};
  return { Q: d?.q ?? 0, P_Q: d ? (d.p ?? 1) : 1, I2_Q: d?.i2 ?? 0 };
}

/** One outcome (analysis) with its subgroups and rows. `studyIds`: protocol study id -> RevMan's STUDY_ID. */
function outcomeLines(a: ExportAnalysis, cmp: number, no: number, studyIds: ReadonlyMap<string, string>): string[] {
  const kind = a.groups.flatMap((g) => g.rows)[0]?.row.kind ?? (a.measure === MEASURE.GIV ? "generic" : a.measure === MEASURE.MD || a.measure === MEASURE.SMD ? "continuous" : "dichotomous");
  const tag = TAGS[kind];
  const r = a.result;
  const subgrouped = a.groups.some((g) => g.name !== null);
  const all = a.groups.flatMap((g) => g.rows);
  const id = `CMP-${String(cmp).padStart(3, "0")}.${String(no).padStart(2, "0")}`;
  const generic = kind === "generic";
  const head = attrs({
    ID: id,
    NO: no,
    ...(generic ? { LOG_DATA: a.logScale ? "YES" : "NO" } : { EFFECT_MEASURE: a.measure === MEASURE.PETO_OR ? "PETO_OR" : a.measure }),
    METHOD: a.method,
    RANDOM: a.random ? "YES" : "NO",
    TOTALS: TOTALS[a.totals],
    SUBGROUPS: subgrouped ? "YES" : "NO",
    SUBGROUP_TEST: subgrouped ? "YES" : "NO",
    SWAP_EVENTS: generic ? undefined : "NO",
    CI_STUDY: 95,
    CI_TOTAL: 95,
    SORT_BY: "STUDY",
    SCALE: a.scale,
    WEIGHT: r.pooled ? 100 : 0,
    ...sums(all),
    ...pooledAttrs(r.pooled, r.heterogeneity, r.ratio, all),
    ...subgroupTest(r, subgrouped),
  });
  const out = [`<${tag}_OUTCOME ${head}>`, el("NAME", a.name), el("GROUP_LABEL_1", a.arms[0]), el("GROUP_LABEL_2", a.arms[1]), el("GRAPH_LABEL_1", a.graphLabels?.[0] ?? ""), el("GRAPH_LABEL_2", a.graphLabels?.[1] ?? "")];
  if (generic) out.push(el("EFFECT_MEASURE", a.label ?? ""));
  let order = 1;
  const rows = (list: readonly ExportRow[]) => list.map((row) => rowLine(tag, row, studyIds.get(row.study) ?? row.study, order++, r.ratio));
  if (!subgrouped) appendAll(out, rows(all));
  a.groups.forEach((g, i) => {
    if (g.name === null) return;
    const res = r.subgroups[i];
    const weight = g.rows.reduce((w, row) => w + (row.result?.weight ?? 0), 0);
    const head = attrs({ ID: `${id}.${String(i + 1).padStart(2, "0")}`, NO: i + 1, WEIGHT: weight, ...sums(g.rows), ...pooledAttrs(res?.pooled ?? null, res?.heterogeneity ?? null, r.ratio, g.rows) });
    appendAll(out, [`<${tag}_SUBGROUP ${head}>`, el("NAME", g.name)], rows(g.rows), [`</${tag}_SUBGROUP>`]);
  });
  out.push(`</${tag}_OUTCOME>`);
  return out;
}

/** ANALYSES_AND_DATA: comparisons and their analyses as `numbering` numbers them. */
export function analysesXml(analyses: readonly ExportAnalysis[], studyIds: ReadonlyMap<string, string>): string[] {
  const out = ["<ANALYSES_AND_DATA>"];
  for (const c of numbering(analyses)) {
    out.push(`<COMPARISON ID="CMP-${String(c.no).padStart(3, "0")}" NO="${c.no}">`, el("NAME", c.name));
    for (const { no, analysis } of c.analyses) appendAll(out, outcomeLines(analysis, c.no, no, studyIds));
    out.push("</COMPARISON>");
  }
  out.push("</ANALYSES_AND_DATA>");
  return out;
}
