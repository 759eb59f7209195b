/**
 * Anticipated absolute effects of a summary of findings table (contract
 * section 11; Cochrane Handbook 14.1.5): the risk with the intervention from a
 * comparator risk p_c and a relative effect — RR: p_e = RR·p_c; OR (and Peto
 * OR): p_e = OR·p_c / (1 − p_c + OR·p_c); RD: p_e = p_c + RD — each CI bound
 * likewise, as whole people per 1,000. Pure numbers.
 */
import { MEASURE } from "../../../../schemas/src/domain";

export interface AbsoluteEffect {
  /** Comparator risk per 1,000. */
  comparator: number;
  /** Intervention risk per 1,000, and its 95% CI. */
  intervention: number;
  ci: [number, number];
}

/** Measures whose absolute effects the table gives from a comparator risk. */
export type RiskMeasure = typeof MEASURE.RR | typeof MEASURE.OR | typeof MEASURE.RD;

/** The intervention risk (0–1) for a comparator risk and an effect on the measure's natural scale. */
export function interventionRisk(measure: RiskMeasure, effect: number, pc: number): number {
  const p = measure === MEASURE.RR ? effect * pc : measure === MEASURE.OR ? (effect * pc) / (1 - pc + effect * pc) : pc + effect;
  // A risk is a proportion: an RD or RR that would take it past 0 or 1 stops there.
  return Math.min(1, Math.max(0, p));
}

/** Per 1,000, rounded to whole people. */
function per1000(p: number): number {
  return Math.round(p * 1000);
}

/** The absolute effects of a relative effect with its CI at comparator risk `pc` (0–1); null when a number is not finite. */
export function absoluteEffect(measure: RiskMeasure, effect: number, ci: readonly [number, number], pc: number): AbsoluteEffect | null {
  if (![effect, ci[0], ci[1], pc].every(Number.isFinite) || pc < 0 || pc > 1) return null;
  const lo = per1000(interventionRisk(measure, ci[0], pc));
  const hi = per1000(interventionRisk(measure, ci[1], pc));
  return { comparator: per1000(pc), intervention: per1000(interventionRisk(measure, effect, pc)), ci: [Math.min(lo, hi), Math.max(lo, hi)] };
}
