/**
 * A range of UTF-16 offsets, [start, end): what every chunk, model value and
 * diagnostic has, and the one way such a range moves.
 */
export interface Span {
  start: number;
  end: number;
}

/** The bare range of a node or value, `by` characters on (a chunk's node at the document's offsets). */
export function spanOf(x: Span, by = 0): Span {
  return { start: x.start + by, end: x.end + by };
}

/**
 * The same value `by` characters on: read in a chunk's coordinates and placed at
 * the document's (`by` is the chunk's start), or made relative to a place (`by`
 * is minus that place). Everything else is kept; `by = 0` returns the value itself.
 */
export function shift<T extends Span>(x: T, by: number): T;
export function shift<T extends Span>(x: T | undefined, by: number): T | undefined;
export function shift<T extends Span>(x: T | undefined, by: number): T | undefined {
  return x === undefined || by === 0 ? x : { ...x, start: x.start + by, end: x.end + by };
}
