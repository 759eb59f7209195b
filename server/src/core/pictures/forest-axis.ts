/**
 * A forest plot's axis and the labels under it (contract section 8): the
 * analysis's numeric `scale` when given (RevMan's SCALE: 100 → 0.01 to 100 for
 * ratios, −100 to 100 for differences), else the smallest standard range that
 * holds every CI shown; `labels` as written, else from the outcome's
 * `direction`, else RevMan's default.
 */
import { DIFFERENCE_AXIS_STEPS, OUTCOME_DIRECTIONS, RATIO_AXES } from "../../../../schemas/src/domain";
import { MINUS } from "./format";
import { maxOf, minOf } from "../syntax/arrays";

export interface Axis {
  /** Ends on the analysis scale (natural logs for ratios). */
  lo: number;
  hi: number;
  ticks: { at: number; label: string }[];
}

/** A tick's label: up to three significant digits, never an exponent, a true minus sign. */
function tickLabel(v: number): string {
  if (v === 0) return "0";
  const decimals = Math.max(0, Math.min(12, 2 - Math.floor(Math.log10(Math.abs(v)) + 1e-9)));
  const s = Number(v.toPrecision(3)).toFixed(decimals).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  return s.replace("-", MINUS);
}

function ratioAxis(max: number, ticks?: readonly number[]): Axis {
  const shown = ticks ?? ratioTicks(max);
  return { lo: -Math.log(max), hi: Math.log(max), ticks: shown.map((t) => ({ at: Math.log(t), label: tickLabel(t) })) };
}

/** Ticks of a ratio axis from 1/max to max: its ends, 1, and powers of ten in between (every other one on a wide axis). */
function ratioTicks(max: number): number[] {
  const decades = Math.log10(max);
  const step = Math.max(1, Math.ceil(decades / 3));
  const out = [1 / max, 1, max];
  for (let k = step; k < decades - 0.15 * decades; k += step) out.push(10 ** k, 10 ** -k);
  return [...new Set(out)].sort((a, b) => a - b);
}

function differenceAxis(max: number): Axis {
  return { lo: -max, hi: max, ticks: [-max, -max / 2, 0, max / 2, max].map((t) => ({ at: t, label: tickLabel(t) })) };
}

/**
 * The axis for CIs on the natural scale. `scale`: the analysis's numeric
 * `scale` (a ratio scale below 1 is taken as its reciprocal; 1 gives no range
 * and the default rule applies).
 */
export function forestAxis(cis: readonly (readonly [number, number])[], ratio: boolean, scale?: number): Axis {
  const finite = cis.filter(([lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi) && (!ratio || (lo > 0 && hi > 0)));
  if (scale !== undefined && Number.isFinite(scale) && scale > 0) {
    if (!ratio) return differenceAxis(scale);
    const max = Math.max(scale, 1 / scale);
    if (max > 1) {
      const standard = RATIO_AXES.find((a) => Math.abs(a.max - max) < 1e-9);
      return ratioAxis(max, standard?.ticks);
    }
  }
  if (ratio) {
    const lo = minOf(finite.map(([l]) => l), 1);
    const hi = maxOf(finite.map(([, h]) => h), 1);
    const fit = RATIO_AXES.find((a) => lo >= 1 / a.max - 1e-12 && hi <= a.max + 1e-12) ?? RATIO_AXES[RATIO_AXES.length - 1]!;
    return ratioAxis(fit.max, fit.ticks);
  }
  const m = maxOf(finite.map(([l, h]) => Math.max(Math.abs(l), Math.abs(h))), 0);
  if (!(m > 0)) return differenceAxis(1);
  // The smallest of ±1, ±2, ±5 × 10ⁿ at or above m.
  let magnitude = 10 ** Math.floor(Math.log10(m));
  for (;;) {
    for (const step of DIFFERENCE_AXIS_STEPS) if (step * magnitude >= m * (1 - 1e-12)) return differenceAxis(step * magnitude);
    magnitude *= 10;
  }
}

/**
 * The labels under the axis, [left, right]: `labels` as written; else from the
 * outcome's direction (the left side holds effects below the line of no effect:
 * fewer events, lower means); else RevMan's default.
 */
export function favoursLabels(labels: readonly [string, string] | undefined, direction: string | undefined, arms: readonly [string, string]): [string, string] {
  if (labels) return [labels[0], labels[1]];
  const [experimental, control] = arms;
  const side = OUTCOME_DIRECTIONS.find((d) => d.id === direction)?.experimentalSide;
  if (side === "left") return [`Favours ${experimental}`, `Favours ${control}`];
  if (side === "right") return [`Favours ${control}`, `Favours ${experimental}`];
  return ["Favours [experimental]", "Favours [control]"];
}
