/** "Did you mean …?" suggestions, by edit distance (fastest-levenshtein). */
import { distance } from "fastest-levenshtein";

/**
 * Candidates close to `value`, best first: an exact case-insensitive match wins,
 * then edit distance up to about a third of the length.
 */
export function nearest(value: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = value.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  const max = Math.max(2, Math.ceil(value.length / 3));
  for (const c of candidates) {
    if (c === value) continue;
    const d = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase());
    if (d <= max) scored.push({ c, d });
  }
  scored.sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, limit).map((s) => s.c);
}

/** " — did you mean 'x'?" or "". */
export function didYouMean(suggestions: readonly string[]): string {
  if (!suggestions.length) return "";
  return ` — did you mean ${suggestions.map((s) => `'${s}'`).join(" or ")}?`;
}

/** A readable list: "a, b and c". */
export function listOf(items: readonly string[], conjunction = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}
