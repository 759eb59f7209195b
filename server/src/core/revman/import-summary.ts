/**
 * What `review-import` says when it is done (contract section 9): the
 * references written, what the file holds that the format has no place for
 * (with counts), what was merged, and how many analyses reproduce the results
 * RevMan stored — those it never stored are counted apart, never as reproducing.
 */

/** Things counted by name: "Results (12 paragraphs)", "4 figures", "2 dates (last search, up to date)". */
export class Tally {
  private readonly items = new Map<string, { count: number; text: (n: number) => string }>();

  private put(key: string, count: number, text: (n: number) => string): void {
    if (count <= 0) return;
    const item = this.items.get(key);
    if (item) item.count += count;
    else this.items.set(key, { count, text });
  }

  /** A part counted in units ([singular, plural]): "Results (12 paragraphs)". */
  add(what: string, count: number, unit: readonly [string, string]): void {
    this.put(what, count, (n) => `${what} (${n} ${n === 1 ? unit[0] : unit[1]})`);
  }

  /** Things counted: "1 figure", "4 figures", with an optional detail in brackets. */
  count(n: number, one: string, many: string, detail?: string): void {
    this.put(many, n, (k) => `${k} ${k === 1 ? one : many}${detail ? ` (${detail})` : ""}`);
  }

  addAll(other: Tally): void {
    for (const [key, item] of other.items) this.put(key, item.count, item.text);
  }

  get size(): number {
    return this.items.size;
  }

  text(): string {
    return [...this.items.values()].map((i) => i.text(i.count)).join(", ");
  }
}

/** "21 analyses; 20 reproduce the results stored in the file; 1 has no stored results". */
function analysesLine(total: number, reproducing: number, unstored: number): string {
  const parts = [`${total} ${total === 1 ? "analysis" : "analyses"}`, `${reproducing} ${reproducing === 1 ? "reproduces" : "reproduce"} the results stored in the file`];
  if (unstored) parts.push(`${unstored} ${unstored === 1 ? "has" : "have"} no stored results`);
  return parts.join("; ");
}

export interface ImportCheck {
  analyses: number;
  /** Analyses RevMan stored no results for: not compared. */
  unstored: number;
  failures: string[];
}

/** The lines the command line prints (and the editor shows) after an import. */
export function summaryLines(references: string | undefined, notMapped: Tally, merged: readonly string[], check: ImportCheck): string[] {
  const out: string[] = [];
  if (references) out.push(`references: ${references}`);
  if (notMapped.size) out.push(`not mapped (in the file, no place in the format): ${notMapped.text()}`);
  for (const m of merged) out.push(`${m} merged`);
  out.push(analysesLine(check.analyses, check.analyses - check.unstored - check.failures.length, check.unstored));
  for (const f of check.failures) out.push(`  does not reproduce: ${f}`);
  return out;
}
