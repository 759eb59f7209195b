/**
 * How wide a text is drawn in the plots' font (Helvetica / Arial, or Liberation
 * Sans, which has their metrics), so columns can be as wide as their widest
 * entry without a browser. Widths in thousandths of an em, regular and bold,
 * measured in Chromium; accented letters take their base letter's width, and any
 * other character a full em (wider than any Latin glyph: never an overlap).
 */

/** [regular, bold] of code points 32–126, eight a line from the space. */
const ASCII: readonly (readonly [number, number])[] = [
  [278, 278], [278, 333], [355, 474], [556, 556], [556, 556], [889, 889], [667, 722], [191, 238],
  [333, 333], [333, 333], [389, 389], [584, 584], [278, 278], [333, 333], [278, 278], [278, 278],
  [556, 556], [556, 556], [556, 556], [556, 556], [556, 556], [556, 556], [556, 556], [556, 556],
  [556, 556], [556, 556], [278, 333], [278, 333], [584, 584], [584, 584], [584, 584], [556, 611],
  [1015, 975], [667, 722], [667, 722], [722, 722], [722, 722], [667, 667], [611, 611], [778, 778],
  [722, 722], [278, 278], [500, 556], [667, 722], [556, 611], [833, 833], [722, 722], [778, 778],
  [667, 667], [778, 778], [722, 722], [667, 667], [611, 611], [722, 722], [667, 667], [944, 944],
  [667, 667], [667, 667], [611, 611], [278, 333], [278, 278], [278, 333], [469, 584], [556, 556],
  [333, 333], [556, 556], [556, 611], [500, 556], [556, 611], [556, 556], [278, 333], [556, 611],
  [556, 611], [222, 278], [222, 278], [500, 556], [222, 278], [833, 889], [556, 611], [556, 611],
  [556, 611], [556, 611], [333, 389], [500, 556], [278, 333], [556, 611], [500, 556], [722, 778],
  [500, 556], [500, 556], [500, 500], [334, 389], [260, 280], [334, 389], [584, 584],
];
/** [regular, bold] of the other characters the plots write. */
const OTHER: Readonly<Record<string, [number, number]>> = {
  "\u2212": [584, 584],
  "\u00b2": [333, 333],
  "\u00b7": [278, 278],
  "\u2026": [1000, 1000],
  "\u2013": [556, 556],
  "\u2014": [1000, 1000],
  "\u2265": [549, 549],
  "\u2264": [549, 549],
  "\u00b1": [549, 549],
  "\u00d7": [584, 584],
  "\u2019": [222, 278],
  "\u2018": [222, 278],
  "\u201c": [333, 500],
  "\u201d": [333, 500],
  "\u03c4": [395, 446],
  "\u03c7": [525, 576],
  "\u25c6": [769, 769],
  "\u25a0": [604, 604],
  "\u00a0": [278, 278],
};

const EM = 1000;

function charWidth(ch: string, bold: boolean): number {
  const code = ch.codePointAt(0)!;
  if (code >= 32 && code <= 126) return ASCII[code - 32]![bold ? 1 : 0];
  const other = OTHER[ch];
  if (other) return other[bold ? 1 : 0];
  // é, ü, ñ …: the base letter's width.
  const base = ch.normalize("NFD").replace(/\p{M}/gu, "");
  if (base && base !== ch && [...base].length === 1) return charWidth(base, bold);
  if (/\p{M}/u.test(ch)) return 0;
  return EM;
}

/** The width in pixels of `text` at `size` px. */
export function textWidth(text: string, size: number, bold = false): number {
  let units = 0;
  for (const ch of text) units += charWidth(ch, bold);
  return (units * size) / EM;
}

/** `text` in lines no wider than `width` (a word wider than that stands alone on its line). */
export function wrapText(text: string, width: number, size: number, bold = false): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size, bold) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}
