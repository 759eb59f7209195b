/**
 * How much memory the server's heap may take ahead of what it holds. V8's
 * defaults suit short programs: its young generation grows to tens of MB while a
 * large review is first parsed (every tree survives), and the old generation
 * collects only after growing a few times over. Each edit of a large review
 * leaves its previous text (megabytes) behind, so a session at 1,000 studies
 * climbed to ~170 MB, nearly all of it headroom and garbage (a full collection
 * brings the heap back to ~20 MB). Set before any document is read, these keep
 * the young generation at its first size and collect once the old generation
 * has grown by 30%: ~140 MB at 1,000 studies, with opens no slower and edits a
 * few ms slower (docs/performance.md). V8's --optimize-for-size keeps memory as
 * low but made edits at 2,000 studies twice as slow.
 */
import { setFlagsFromString } from "node:v8";

const HEAP_FLAGS = ["--semi-space-growth-factor=1", "--heap-growing-percent=30"] as const;
/** V8's own defaults: the heap grows by a factor it picks from how fast the program allocates. */
const GROWING_FLAGS = ["--semi-space-growth-factor=2", "--heap-growing-percent=0"] as const;

export function limitHeapHeadroom(): void {
  for (const flag of HEAP_FLAGS) setFlagsFromString(flag);
}

/** Texts this long are read with V8's own heap growth (see `withRoomToGrow`). */
const LARGE_TEXT = 4 * 1024 * 1024;

/**
 * Runs `f` (the analysis of a text of `length` characters) with V8's own heap
 * growth when the text is large. A first read of a 10 MB protocol builds a few
 * hundred MB of tree that all survives; growing the heap by 30% at a time
 * marks it a dozen times over (1.4 s of a 2.4 s open was the collector).
 * The frugal limits come back as soon as it is built.
 */
export function withRoomToGrow<T>(length: number, f: () => T): T {
  if (length < LARGE_TEXT) return f();
  for (const flag of GROWING_FLAGS) setFlagsFromString(flag);
  try {
    return f();
  } finally {
    for (const flag of HEAP_FLAGS) setFlagsFromString(flag);
  }
}
