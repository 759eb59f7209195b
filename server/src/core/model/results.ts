/**
 * The contract's results JSON (`review-lint --results`, full precision; section
 * 8). How the numbers are shown is format.ts's.
 */
import { MEASURE, RANDOM_EFFECTS } from "../../../../schemas/src/domain";
import type { MetaAnalysisModel } from "./meta-analyses";
import type { Heterogeneity, Pooled } from "../stats/pooling";

interface HeterogeneityJson {
  q: number;
  df: number;
  p: number | null;
  i2: number | null;
  tau2?: number | null;
  tau2_ci?: [number, number] | null;
}

/** Heterogeneity; `tau2` under random effects, `tau2_ci` (section 8.1) on every pool, null where it does not apply. */
const heterogeneityJson = (h: Heterogeneity | null, random: boolean, pool = true): HeterogeneityJson | null =>
  h ? { q: h.q, df: h.df, p: h.p, i2: h.i2, ...(random ? { tau2: h.tau2 } : {}), ...(pool ? { tau2_ci: h.tau2Ci ?? null } : {}) } : null;

/** The pooled result; `t`, `df` (HKSJ) and `prediction` (section 8.1) null where they do not apply. */
const pooledJson = (p: Pooled | null) =>
  p ? { effect: p.effect, ci: p.ci, z: p.z, p: p.p, t: p.t, df: p.df, prediction: p.prediction, studies: p.studies } : null;

/** Why a pooled result that was asked for is null (REML that does not converge): only where there is one. */
const reasonJson = (failure: string | undefined) => (failure ? { reason: failure } : {});

/** `<name>.results.json` of contract section 8. */
export function resultsJson(protocol: string, analyses: readonly MetaAnalysisModel[]): unknown {
  return {
    protocol,
    analyses: analyses.map((a) => {
      const r = a.result;
      const random = r?.model === RANDOM_EFFECTS;
      return {
        id: a.id,
        outcome: a.outcome ?? null,
        measure: a.spec?.measure ?? null,
        method: a.spec?.method ?? null,
        model: a.spec?.model ?? null,
        ...(a.spec?.measure === MEASURE.GIV ? { label: a.label ?? null, scale: a.spec.logScale ? "log" : "identity" } : {}),
        studies: (r?.studies ?? []).map((s) => ({ id: s.study, subgroup: s.subgroup, effect: s.effect, ci: s.ci, weight: s.weight, estimable: s.estimable })),
        subgroups: (r?.subgroups ?? [])
          .filter((g) => g.name !== null)
          .map((g) => ({ name: g.name, effect: g.pooled?.effect ?? null, ci: g.pooled?.ci ?? null, studies: g.studies, heterogeneity: heterogeneityJson(g.heterogeneity, random), ...reasonJson(g.failure) })),
        pooled: pooledJson(r?.pooled ?? null),
        heterogeneity: heterogeneityJson(r?.heterogeneity ?? null, random),
        ...reasonJson(r?.failure),
        subgroup_differences: r?.subgroupDifferences ? heterogeneityJson(r.subgroupDifferences, false, false) : null,
        small_study: r?.smallStudy ? { ...r.smallStudy } : null,
      };
    }),
  };
}
