/**
 * Quick fixes as the checks describe them. A diagnostic carries in
 * `data.fixes` what each of its fixes needs — a small typed description, never
 * edits — with every offset relative to the diagnostic's start (so it stays
 * valid when its chunk moves). The edits are built only when an editor asks for
 * code actions, by `buildFix` (fix-edits.ts), from the description and the
 * document as it is then.
 */
import type { Diagnostic } from "./diagnostics";
import type { NewPair } from "../syntax/edits";

/** Replace the node at `at` (`length` characters long, holding `value` when a scalar) with `text`, already in the node's quoting style. */
export interface ReplaceFix {
  kind: "replace";
  title: string;
  at: number;
  length: number;
  value?: string;
  text: string;
  /** false: offered, but never preferred and never applied by "fix all" (a guess between values). */
  safe?: false;
}

/** Add pairs to the mappings that start at each `map`, each pair after its `after` key, in the mapping's style. */
export interface AddPairsFix {
  kind: "add-pairs";
  title: string;
  into: { map: number; pairs: NewPair[] }[];
}

/** Add `key:` with block `lines` at the end of the study mapping at `study`, or (`into`: where the study's `key` is) on the lines under that key. */
export interface AddBlockFix {
  kind: "add-block";
  title: string;
  study: number;
  key: string;
  lines: string[];
  into?: number;
}

/** Add the line `key: value` after the line of the key at `holder` (`nested`: indented under it; else at the top level). */
export interface AddLineFix {
  kind: "add-line";
  title: string;
  holder: number;
  nested: boolean;
  key: string;
  value: string;
}

/**
 * Give the study holding the diagnostic a status for each protocol outcome it
 * leaves out, in the protocol's order: the list is read from the document when
 * the fix is asked for (a review of 591 studies each lacking 110 statuses would
 * otherwise publish every list on every keystroke), and so is the title.
 */
interface AddOutcomeStatusesFix {
  kind: "add-outcome-statuses";
}

/** What a quick fix does, as a diagnostic's data carries it. */
export type FixDescription = ReplaceFix | AddPairsFix | AddBlockFix | AddLineFix | AddOutcomeStatusesFix;

/** One fix per candidate, each replacing the node's text with it, in the node's quoting style (offsets as the node's). */
export function replacements(
  node: { start: number; end: number; style?: string; value?: unknown },
  candidates: readonly string[],
  title: (c: string) => string = (c) => `Change to '${c}'`,
  safe = true,
): ReplaceFix[] {
  return candidates.map((c) => replaceWith(node, inStyle(c, node.style), title(c), safe));
}

/** The fix that replaces a node's text with `text` as given (offsets as the node's). */
export function replaceWith(node: { start: number; end: number; value?: unknown }, text: string, title: string, safe = true): ReplaceFix {
  const value = node.value !== undefined && node.value !== null && typeof node.value !== "object" ? { value: String(node.value) } : {};
  return { kind: "replace", title, at: node.start, length: node.end - node.start, ...value, text, ...(safe ? {} : { safe: false }) };
}

/** A value written in the quoting style of the scalar it replaces ("…" stays "…", '…' stays '…'). */
function inStyle(value: string, style: string | undefined): string {
  if (style === "QUOTE_DOUBLE") return JSON.stringify(value);
  if (style === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
  return value;
}

/** The same description with its offsets `by` characters on. */
function moved(fix: FixDescription, by: number): FixDescription {
  switch (fix.kind) {
    case "replace":
      return { ...fix, at: fix.at + by };
    case "add-pairs":
      return { ...fix, into: fix.into.map((x) => ({ map: x.map + by, pairs: x.pairs })) };
    case "add-block":
      return { ...fix, study: fix.study + by, ...(fix.into !== undefined ? { into: fix.into + by } : {}) };
    case "add-line":
      return { ...fix, holder: fix.holder + by };
    case "add-outcome-statuses":
      return fix;
  }
}

/**
 * The diagnostic with its quick fixes, whose offsets are in the coordinates of
 * a chunk that starts at `base` in the diagnostic's (the one place they are
 * made relative to the diagnostic's start).
 */
export function withFixes(d: Diagnostic, fixes: readonly FixDescription[], base = 0): Diagnostic {
  if (!fixes.length) return d;
  return { ...d, data: { ...d.data, fixes: fixes.map((f) => moved(f, base - d.start)) } };
}

/** The fix descriptions a diagnostic's data holds (as it comes back from an editor: malformed ones dropped). */
export function fixesOf(data: unknown): FixDescription[] {
  const fixes = (data as { fixes?: unknown } | undefined)?.fixes;
  return Array.isArray(fixes) ? fixes.filter(isFixDescription) : [];
}

const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
const isString = (x: unknown): x is string => typeof x === "string";
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every(isString);
const isNewPair = (p: unknown): p is NewPair => {
  const x = p as NewPair | undefined;
  return Boolean(x) && isString(x!.key) && isString(x!.flow) && (x!.block === undefined || isStrings(x!.block)) && (x!.after === undefined || isString(x!.after));
};

/** Whether a value from an editor is a well-formed fix description. */
function isFixDescription(f: unknown): f is FixDescription {
  const x = f as Record<string, unknown> | undefined;
  if (!x || typeof x !== "object") return false;
  if (x.kind === "add-outcome-statuses") return true;
  if (!isString(x.title)) return false;
  switch (x.kind) {
    case "replace":
      return isNumber(x.at) && isNumber(x.length) && x.length >= 0 && isString(x.text) && (x.value === undefined || isString(x.value));
    case "add-pairs":
      return Array.isArray(x.into) && x.into.every((i: { map?: unknown; pairs?: unknown }) => isNumber(i?.map) && Array.isArray(i.pairs) && i.pairs.every(isNewPair));
    case "add-block":
      return isNumber(x.study) && isString(x.key) && isStrings(x.lines) && (x.into === undefined || isNumber(x.into));
    case "add-line":
      return isNumber(x.holder) && typeof x.nested === "boolean" && isString(x.key) && isString(x.value);
    default:
      return false;
  }
}

/**
 * For each id of `order`, the key after which it goes to keep `order`: the
 * nearest earlier one that is `present`. One pass, asked once per fix: a
 * protocol may declare thousands of outcomes.
 */
export function precedingKeys(order: readonly string[], present: ReadonlySet<string>): ReadonlyMap<string, string | undefined> {
  const before = new Map<string, string | undefined>();
  let last: string | undefined;
  for (const o of order) {
    if (!before.has(o)) before.set(o, last);
    if (present.has(o)) last = o;
  }
  return before;
}
