/**
 * Array helpers for input of any size. `target.push(...items)` and
 * `Math.max(...values)` put every element on the call stack and overflow it
 * past about a hundred thousand (a list of 200,000 citations did); these loop.
 * A lint rule (eslint.config.mjs) keeps spread arguments off the checking path.
 */

/** Appends every item of each list to `target`, in order; returns `target`. */
export function appendAll<T>(target: T[], ...lists: readonly (readonly T[])[]): T[] {
  for (const list of lists) for (const item of list) target.push(item);
  return target;
}

/** The largest of `values` and `floor` (`floor` when there are none). */
export function maxOf(values: Iterable<number>, floor = Number.NEGATIVE_INFINITY): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The smallest of `values` and `ceiling` (`ceiling` when there are none). */
export function minOf(values: Iterable<number>, ceiling = Number.POSITIVE_INFINITY): number {
  let min = ceiling;
  for (const v of values) if (v < min) min = v;
  return min;
}
