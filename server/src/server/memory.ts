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
/**
 * V8's own growth of the old generation: it grows by a factor it picks from how
 * fast the program allocates. The young generation keeps its first size: letting
 * it grow too (to tens of MB) took a protocol of 400,000 list items from ~85 MB
 * to ~112 MB over an idle server, for no time saved now that long lists are packed.
 */
const GROWING_FLAGS = ["--heap-growing-percent=0"] as const;

export function limitHeapHeadroom(): void {
  for (const flag of HEAP_FLAGS) setFlagsFromString(flag);
}

/** Texts this long are read with V8's own heap growth (see `withRoomToGrow`). */
const LARGE_TEXT = 4 * 1024 * 1024;

/**
 * Runs `f` (the analysis of a text of `length` characters) with V8's own growth
 * of the old generation when the text is large. Before long lists were packed
 * (core/syntax/packed.ts), a first read of a 10 MB protocol built a few hundred
 * MB of tree that all survived, and growing the heap by 30% at a time marked it
 * a dozen times over (1.4 s of a 2.4 s open was the collector). An edit at
 * 2,000 studies (4.6 MB) still gains: its median ~40 ms instead of ~65 ms with
 * the frugal limits. They come back as soon as the analysis is done.
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
