/**
 * The root of a decreasing function on [0, ∞), for the Q-profile interval of τ²
 * (core/random-effects.ts): the bracket grows until it holds the root (no cap:
 * an upper bound of τ² near 500,000 occurs in a published review), then Brent's
 * method (Brent 1973, "Algorithms for minimization without derivatives", ch. 4)
 * narrows it to 1e-10 relative.
 */

const RELATIVE_TOLERANCE = 1e-10;
/** Brent converges in far fewer; the bound only turns a pathological function into a failure. */
const MAX_ITERATIONS = 1000;

export type Root = { ok: true; x: number } | { ok: false; reason: string };

/**
 * The x ≥ 0 where the decreasing `f` crosses 0, or 0 when f(0) ≤ 0 (the root
 * would be below 0).
 */
export function findDecreasingRoot(f: (x: number) => number): Root {
  const f0 = f(0);
  if (Number.isNaN(f0)) return { ok: false, reason: "not computable at 0" };
  if (f0 <= 0) return { ok: true, x: 0 };
  let lo = 0;
  let fLo = f0;
  let hi = 1;
  let fHi = f(hi);
  while (fHi > 0) {
    lo = hi;
    fLo = fHi;
    hi *= 4;
    if (!Number.isFinite(hi)) return { ok: false, reason: "no root below the largest number" };
    fHi = f(hi);
  }
  if (Number.isNaN(fHi)) return { ok: false, reason: `not computable at ${hi}` };
  if (fHi === 0) return { ok: true, x: hi };
  return brent(f, lo, fLo, hi, fHi);
}

/** Brent's method on a bracket [a, b] whose ends have opposite signs. */
function brent(f: (x: number) => number, a: number, fa: number, b: number, fb: number): Root {
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      // Keep b the best estimate so far.
      [a, b, c] = [b, c, b];
      [fa, fb, fc] = [fb, fc, fb];
    }
    const tolerance = 2 * Number.EPSILON * Math.abs(b) + 0.5 * RELATIVE_TOLERANCE * Math.abs(b) + Number.MIN_VALUE;
    const half = (c - b) / 2;
    if (Math.abs(half) <= tolerance || fb === 0) return { ok: true, x: b };
    if (Math.abs(e) >= tolerance && Math.abs(fa) > Math.abs(fb)) {
      // Secant (a = c) or inverse quadratic interpolation, kept only when it stays well inside the bracket.
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * half * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        p = s * (2 * half * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * half * q - Math.abs(tolerance * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = half;
        e = d;
      }
    } else {
      d = half;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tolerance ? d : Math.sign(half) * tolerance;
    fb = f(b);
    if (Number.isNaN(fb)) return { ok: false, reason: `not computable at ${b}` };
  }
  return { ok: false, reason: `no convergence in ${MAX_ITERATIONS} iterations` };
}
