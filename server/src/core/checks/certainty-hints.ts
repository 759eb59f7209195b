/**
 * `certainty-hint` where the numbers speak and a domain is rated `no` (or not
 * rated), from the analysis's overall result (contract section 11): risk of
 * bias from the weight of studies at high risk, inconsistency from I²,
 * imprecision from the CI and the optimal information size, publication bias
 * from Egger's test. Each hint states its figure; none changes a rating (no fix).
 */
import { CERTAINTY_HINTS, MEASURE } from "../../../../schemas/src/domain";
import { atHighRisk } from "../model/certainty";
import type { CertaintyEntry } from "../model/evidence";
import { normaliseId } from "../model/ids";
import type { MetaAnalysisModel } from "../model/meta-analyses";
import type { StudyModel } from "../model/studies";
import type { ToolSet } from "../model/tools";
import { toolFor } from "../model/tools";
import type { Span } from "../syntax/span";
import { listOf } from "../syntax/suggest";
import { diagnostic, type Diagnostic } from "./diagnostics";

const round = (x: number, d = 2) => x.toFixed(d).replace(/-/g, "−");

/** Where a hint on a domain goes: its `rating` value, else the entry's `analysis` key; undefined when the domain is rated other than `no`. */
function hintPlace(entry: CertaintyEntry, domain: string): Span | undefined {
  const r = entry.ratings.get(domain);
  if (r?.invalid) return undefined;
  if (r?.rating) return r.rating.value === "no" ? r.rating : undefined;
  return entry.keySpan;
}

/** What the certainty entries are checked against. */
export interface CertaintyContext {
  metaAnalyses: readonly MetaAnalysisModel[];
  /** The studies by their id as compared (`studiesByKey`). */
  studies: ReadonlyMap<string, StudyModel>;
  tools: ToolSet;
  keyDomains?: readonly string[];
}

/** The data hints of one entry whose analysis has an overall result. */
export function certaintyHints(entry: CertaintyEntry, analysis: MetaAnalysisModel, ctx: CertaintyContext): Diagnostic[] {
  const result = analysis.result;
  if (!result?.pooled) return [];
  const out: Diagnostic[] = [];
  const hint = (domain: string, message: string, data: Record<string, unknown>) => {
    const at = hintPlace(entry, domain);
    if (at) out.push(diagnostic("certainty-hint", at.start, at.end, message, { domain, ...data }));
  };
  const risk = highRiskShare(analysis, ctx);
  if (risk && risk.share > CERTAINTY_HINTS.highRiskWeight.share) {
    hint(
      "risk_of_bias",
      `${Math.round(risk.share * 100)}% of the weight from studies at high risk of bias (${listOf(risk.studies)}): consider rating risk of bias down (${CERTAINTY_HINTS.highRiskWeight.source})`,
      { share: risk.share },
    );
  }
  const i2 = result.heterogeneity?.i2;
  if (i2 !== null && i2 !== undefined && Number.isFinite(i2) && i2 >= CERTAINTY_HINTS.i2.atLeast) {
    hint("inconsistency", `I² = ${Math.round(i2)}%: consider rating inconsistency down (${CERTAINTY_HINTS.i2.source})`, { i2 });
  }
  const imprecise = imprecision(analysis);
  if (imprecise) hint("imprecision", imprecise, {});
  const egger = result.smallStudy;
  if (egger && egger.p < CERTAINTY_HINTS.egger.p) {
    hint(
      "publication_bias",
      `Egger's test P = ${egger.p < 0.001 ? egger.p.toExponential(1) : round(egger.p, 3)} (${egger.df + 2} studies): funnel-plot asymmetry; consider rating publication bias down (${CERTAINTY_HINTS.egger.source})`,
      { p: egger.p },
    );
  }
  return out;
}

/** The share of the analysis's weight from studies at high risk of bias for its outcome, and which studies. */
function highRiskShare(analysis: MetaAnalysisModel, ctx: CertaintyContext): { share: number; studies: string[] } | undefined {
  let total = 0;
  let high = 0;
  const names = new Set<string>();
  for (const row of analysis.result?.studies ?? []) {
    const w = row.weight ?? 0;
    if (!(w > 0)) continue;
    total += w;
    const study = ctx.studies.get(normaliseId(row.study));
    if (study && atHighRisk(study, toolFor(ctx.tools, study.design?.value), analysis.outcome, ctx.keyDomains)) {
      high += w;
      names.add(study.id!.value);
    }
  }
  return total > 0 ? { share: high / total, studies: [...names] } : undefined;
}

/** Why the data suggest imprecision (the first reason that holds), or undefined. */
function imprecision(analysis: MetaAnalysisModel): string | undefined {
  const result = analysis.result!;
  const pooled = result.pooled!;
  const { ratioThresholds: t, informationSize: ois } = CERTAINTY_HINTS;
  const [lo, hi] = pooled.ci;
  if (result.ratio && lo < 1 && hi > 1 && (lo < t.benefit || hi > t.harm)) {
    return `The 95% CI ${round(lo)} to ${round(hi)} includes no effect and ${lo < t.benefit ? `a ratio below ${t.benefit}` : `a ratio above ${t.harm}`} (appreciable benefit or harm): consider rating imprecision down (${t.source})`;
  }
  const rows = analysis.groups.flatMap((g) => g.rows).map((r) => r.row);
  const data = analysis.measure?.data;
  if (data === "dichotomous" && analysis.spec?.measure !== MEASURE.GIV) {
    const events = rows.reduce((s, r) => s + (r?.kind === "dichotomous" ? r.events[0] + r.events[1] : 0), 0);
    if (events < ois.events) return `${events} events in total, fewer than ${ois.events}: below the optimal information size; consider rating imprecision down (${ois.source})`;
  }
  if (data === "continuous") {
    const n = rows.reduce((s, r) => s + (r?.kind === "continuous" ? r.total[0] + r.total[1] : 0), 0);
    if (n < ois.participants) return `${n} participants in total, fewer than ${ois.participants}: below the optimal information size; consider rating imprecision down (${ois.source})`;
  }
  return undefined;
}
