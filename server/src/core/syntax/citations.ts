/**
 * Pandoc-style citations in text: `[@key]`, `[@a; @b]`, `[see @key, p. 3]`,
 * `[-@key]`. Only bracketed citations count; a bare `@` (an e-mail address) is
 * not one. Keys start with a letter, digit or `_` and go on with those and the
 * internal punctuation `:.#$%&-+?<>~/` (never at the end).
 */
import type { Span } from "./span";

/** A citation's key, and where the key itself is (without `@`), in the coordinates of the scanned text. */
export interface CitationRef extends Span {
  key: string;
}

const BRACKET = /\[([^\[\]]*)\]/g;
const CITE = /(^|[\s;\[-])-?@([\p{L}\p{N}_][\p{L}\p{N}_:.#$%&\-+?<>~/]*)/gu;
const TRAILING_PUNCTUATION = /[:.#$%&\-+?<>~/]+$/;

/** Citations in `source` (raw text of a scalar, as written); offsets are shifted by `offset`. */
export function textCitations(source: string, offset = 0): CitationRef[] {
  if (!source.includes("@")) return [];
  const out: CitationRef[] = [];
  BRACKET.lastIndex = 0;
  for (let m = BRACKET.exec(source); m; m = BRACKET.exec(source)) {
    const body = m[1]!;
    if (!body.includes("@")) continue;
    if (source[m.index + m[0].length] === "(") continue; // a Markdown link, not a citation
    const bodyStart = m.index + 1;
    CITE.lastIndex = 0;
    for (let c = CITE.exec(body); c; c = CITE.exec(body)) {
      const key = c[2]!.replace(TRAILING_PUNCTUATION, "");
      if (!key) continue;
      const keyStart = bodyStart + c.index + c[0].length - c[2]!.length;
      out.push({ key, start: offset + keyStart, end: offset + keyStart + key.length });
    }
  }
  return out;
}
