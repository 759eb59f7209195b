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
}

const heterogeneityJson = (h: Heterogeneity | null, random: boolean): HeterogeneityJson | null =>
  h ? { q: h.q, df: h.df, p: h.p, i2: h.i2, ...(random ? { tau2: h.tau2 } : {}) } : null;

const pooledJson = (p: Pooled | null) => (p ? { effect: p.effect, ci: p.ci, z: p.z, p: p.p, studies: p.studies } : null);

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
          .map((g) => ({ name: g.name, effect: g.pooled?.effect ?? null, ci: g.pooled?.ci ?? null, studies: g.studies, heterogeneity: heterogeneityJson(g.heterogeneity, random) })),
        pooled: pooledJson(r?.pooled ?? null),
        heterogeneity: heterogeneityJson(r?.heterogeneity ?? null, random),
        subgroup_differences: r?.subgroupDifferences ? heterogeneityJson(r.subgroupDifferences, false) : null,
        small_study: r?.smallStudy ? { ...r.smallStudy } : null,
      };
    }),
  };
}
