/**
 * Which imported outcomes the review itself calls primary. RevMan records no
 * roles; a review's methods list its primary and secondary outcomes in text
 * (CRIT_OUTCOMES_PRIMARY, CRIT_OUTCOMES_SECONDARY). An outcome is primary only
 * when that list names it — its name is an item, or an item followed by a time
 * point or qualifier ("Pain at 24 hours" for the item "Pain"), or the other way
 * round — and the secondary list does not name it as closely. Anything looser
 * stays secondary: a wrong primary outcome is worse than a missing one.
 */

export interface OutcomeRole {
  role: "primary" | "secondary";
  /** The item of the methods' list the outcome was matched with. */
  item?: string;
}

/** Words and marks after which the rest of a name only qualifies it (time point, measure, population). */
const QUALIFIER = /^(\s*[,:;(\u2013\u2014]|\s+-\s|\s+(at|by|in|within|up to|after|during|over|from|until|measured|assessed|as)\s)/;

/** Lower case, accents dropped, spaces collapsed; punctuation kept (it separates qualifiers). */
function normalise(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[.\s]+$/, "")
    .trim();
}

/** The outcome names a list names: one per line or list item, numbering and markers stripped. */
function outcomeItems(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split("\n")
    .map((l) => l.replace(/^\s*(\(?(\d+|[ivxlc]+|[a-z])[.)]|[-•*\u2013])\s+/i, "").trim())
    .filter((l) => l.length > 0);
}

/** 2: the same name; 1: one is the other plus a qualifier; 0: no match. */
function closeness(outcome: string, item: string): number {
  const o = normalise(outcome);
  const i = normalise(item);
  if (!o || !i) return 0;
  if (o === i) return 2;
  if (o.startsWith(i) && QUALIFIER.test(o.slice(i.length))) return 1;
  if (i.startsWith(o) && QUALIFIER.test(i.slice(o.length))) return 1;
  return 0;
}

function best(outcome: string, items: readonly string[]): { score: number; item?: string } {
  let out: { score: number; item?: string } = { score: 0 };
  for (const item of items) {
    const score = closeness(outcome, item);
    if (score > out.score) out = { score, item };
  }
  return out;
}

/** The role of each outcome name, from the methods' lists of primary and secondary outcomes. */
export function outcomeRoles(names: readonly string[], primaryText: string | undefined, secondaryText: string | undefined): Map<string, OutcomeRole> {
  const primary = outcomeItems(primaryText);
  const secondary = outcomeItems(secondaryText);
  const out = new Map<string, OutcomeRole>();
  for (const name of names) {
    const p = best(name, primary);
    const s = best(name, secondary);
    out.set(name, p.score > 0 && p.score > s.score ? { role: "primary", item: p.item } : { role: "secondary", ...(s.item ? { item: s.item } : {}) });
  }
  return out;
}
