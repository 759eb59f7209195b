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
 * low but made edits at 2,000 studies twice as slow. A protocol of a million
 * list items reads within the same limits: its long lists are packed
 * (core/syntax/packed.ts), so its tree no longer grows by hundreds of MB (when
 * it did, the server let V8 grow the heap its own way while it read one).
 */
import { setFlagsFromString } from "node:v8";

const HEAP_FLAGS = ["--semi-space-growth-factor=1", "--heap-growing-percent=30"] as const;

export function limitHeapHeadroom(): void {
  for (const flag of HEAP_FLAGS) setFlagsFromString(flag);
}
