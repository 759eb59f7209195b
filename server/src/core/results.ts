/**
 * The numbers of the analyses as the author sees them: the contract's results
 * JSON (`review-lint --results`, full precision) and text as RevMan shows it
 * (effects with 2 decimals, I² as a whole percent, P as RevMan prints it), for
 * hovers, code lenses and the forest plot.
 */
import { measureById } from "../../../schemas/src/domain";
import type { AnalysisModel } from "./analyses";
import type { AnalysisResult, Heterogeneity, Pooled } from "./meta-analysis";

interface HeterogeneityJson {
  q: number;
  df: number;
  p: number | null;
  i2: number | null;
  tau2?: number | null;
}

const heterogeneityJson = (h: Heterogeneity | null, random: boolean): HeterogeneityJson | null =>
  h ? { q: h.q, df: h.df, p: h.p, i2: h.i2, ...(random ? { tau2: h.tau2 } : {}) } : null;

const pooledJson = (p: Pooled | null) => (p ? { effect: p.effect, ci: p.ci, z: p.z, p: p.p, studies: p.studies } : null);

/** `<name>.results.json` of contract section 8. */
export function resultsJson(protocol: string, analyses: readonly AnalysisModel[]): unknown {
  return {
    protocol,
    analyses: analyses.map((a) => {
      const r = a.result;
      const random = r?.model === "random";
      return {
        id: a.id,
        outcome: a.outcome ?? null,
        measure: a.spec?.measure ?? null,
        method: a.spec?.method ?? null,
        model: a.spec?.model ?? null,
        ...(a.spec?.measure === "GIV" ? { label: a.label ?? null, scale: a.spec.logScale ? "log" : "identity" } : {}),
        studies: (r?.studies ?? []).map((s) => ({ id: s.study, subgroup: s.subgroup, effect: s.effect, ci: s.ci, weight: s.weight, estimable: s.estimable })),
        subgroups: (r?.subgroups ?? [])
          .filter((g) => g.name !== null)
          .map((g) => ({ name: g.name, effect: g.pooled?.effect ?? null, ci: g.pooled?.ci ?? null, studies: g.studies, heterogeneity: heterogeneityJson(g.heterogeneity, random) })),
        pooled: pooledJson(r?.pooled ?? null),
        heterogeneity: heterogeneityJson(r?.heterogeneity ?? null, random),
        subgroup_differences: r?.subgroupDifferences ? heterogeneityJson(r.subgroupDifferences, false) : null,
      };
    }),
  };
}

/** A number as RevMan shows it: fixed decimals, a minus sign. */
export function fixed(x: number, decimals = 2): string {
  const s = x.toFixed(decimals);
  return s.startsWith("-") ? `−${s.slice(1)}` : s;
}

/** P as RevMan prints it: two decimals from 0.01, one significant digit below ("P = 0.009"), "P < 0.00001" in the tail. */
function formatP(p: number | null): string {
  if (p === null) return "P not applicable";
  if (p < 0.00001) return "P < 0.00001";
  if (p < 0.01) return `P = ${Number(p.toPrecision(1)).toFixed(Math.ceil(-Math.log10(Number(p.toPrecision(1)))))}`;
  return `P = ${p.toFixed(2)}`;
}

export function formatEffect(effect: number | null, ci: [number, number] | null): string {
  if (effect === null || !ci) return "Not estimable";
  return `${fixed(effect)} [${fixed(ci[0])}, ${fixed(ci[1])}]`;
}

/** "Heterogeneity: Tau² = 0.06; Chi² = 85.89, df = 14 (P < 0.00001); I² = 84%" */
export function formatHeterogeneity(h: Heterogeneity | null, random: boolean): string {
  if (!h) return "Heterogeneity: not applicable";
  if (h.df === 0) return "Heterogeneity: not applicable";
  const tau = random && h.tau2 !== null ? `Tau² = ${fixed(h.tau2)}; ` : "";
  return `Heterogeneity: ${tau}Chi² = ${fixed(h.q)}, df = ${h.df} (${formatP(h.p)}); I² = ${Math.round(h.i2 ?? 0)}%`;
}

export function formatOverall(p: Pooled | null): string {
  return p ? `Test for overall effect: Z = ${fixed(p.z)} (${formatP(p.p)})` : "Test for overall effect: not applicable";
}

/** What the analysis's effect is called: "RR", "SMD", or a GIV's label. */
export function measureLabel(a: AnalysisModel): string {
  if (!a.spec) return a.measure?.id ?? "?";
  if (a.spec.measure === "GIV") return a.label ?? (a.spec.logScale ? "Ratio" : "Estimate");
  return a.spec.measure;
}

export function methodName(r: AnalysisResult): string {
  const method = r.method === "MH" ? "M-H" : r.method === "PETO" ? "Peto" : "IV";
  return `${method}, ${r.model === "random" ? "Random" : "Fixed"}, 95% CI`;
}

/** "RR 0.68 [0.59, 0.79] · 15 studies · I² 42%" */
export function analysisSummary(a: AnalysisModel): string {
  const r = a.result;
  if (!a.spec || !r) return `${a.id}: cannot be computed (check measure${a.measure?.data === "generic" ? " and scale" : ""})`;
  const studies = r.studies.length;
  const n = `${studies} ${studies === 1 ? "study" : "studies"}`;
  if (!r.pooled) return `${measureLabel(a)} · ${n} · ${r.subgroups.length > 1 ? "subgroup totals only" : "no totals"}`;
  const i2 = r.heterogeneity?.i2;
  return `${measureLabel(a)} ${formatEffect(r.pooled.effect, r.pooled.ci)} · ${n}${i2 !== null && i2 !== undefined && r.heterogeneity!.df > 0 ? ` · I² ${Math.round(i2)}%` : ""}`;
}

/** A measure's long name, for hovers. */
export function measureName(id: string): string {
  return measureById(id)?.name ?? id;
}
