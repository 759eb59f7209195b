/**
 * Quick fixes as the checks attach them: a diagnostic carries its fixes in
 * `data.fixes`, each edit relative to the diagnostic's start (so it stays valid
 * when its chunk moves); the edits that add a block of lines to a study; and
 * where a new key goes to keep the author's order.
 */
import type { Diagnostic } from "./diagnostics";
import { shiftEdits, type Fix, type SourceText, type TextEdit } from "../syntax/edits";
import type { MapNode, PairNode } from "../syntax/tree";

/** The diagnostic with its quick fixes; the edits are in the coordinates of a chunk that starts at `base`. */
export function withFixes(d: Diagnostic, fixes: readonly Fix[], base = 0): Diagnostic {
  if (!fixes.length) return d;
  return { ...d, data: { ...d.data, fixes: fixes.map((f) => ({ title: f.title, edits: shiftEdits(f.edits, base - d.start), ...(f.safe === false ? { safe: false } : {}) })) } };
}

/** Where a study is, for fixes that add to it. */
export interface StudyPlace {
  node: MapNode;
  src: SourceText;
}

/** Edits (tree coordinates) that add `key:` with block `lines` at the end of the study, or into a key that has no value. */
export function addBlock(study: StudyPlace, key: string, lines: string[], emptyPair?: PairNode): TextEdit[] {
  const { src, node } = study;
  const eol = src.eol;
  if (emptyPair) {
    const indent = " ".repeat(src.column(emptyPair.key.start) + 2);
    const at = src.nextLineStart(emptyPair.key.end);
    const text = lines.map((l) => indent + l).join(eol) + eol;
    return [{ from: at, to: at, text: src.atEnd(at) && !src.slice(at - 1, at).endsWith("\n") ? eol + text : text }];
  }
  const last = node.pairs[node.pairs.length - 1]!;
  const indent = " ".repeat(src.column(node.pairs[0]!.key.start));
  const end = last.value ? last.value.end : last.key.end;
  const at = src.nextLineStart(Math.max(end - 1, last.key.end));
  const text = [`${key}:`, ...lines.map((l) => `  ${l}`)].map((l) => indent + l).join(eol) + eol;
  return [{ from: at, to: at, text: src.atEnd(at) && !src.slice(at - 1, at).endsWith("\n") ? eol + text : text }];
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
