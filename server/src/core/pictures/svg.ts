/**
 * What the SVG pictures share: the frame of a picture (`svgDocument`), escaping,
 * coordinates, and the tones of the risk-of-bias and reporting pictures —
 * colour-blind safe (Okabe–Ito), each with a symbol, so that no cell is told by
 * its colour alone.
 */

/** What a picture writes for a cell without a judgement or status: its tone, and its `data-status`. */
export const NONE = "none";

export type Tone = "good" | "concern" | "bad" | "severe" | typeof NONE | "unassessed";

export const COLOUR: Record<Tone, string> = { good: "#009E73", concern: "#E69F00", bad: "#D55E00", severe: "#CC79A7", none: "#BBBBBB", unassessed: "#FFFFFF" };
export const SYMBOL: Record<Tone, string> = { good: "+", concern: "?", bad: "−", severe: "!", none: "·", unassessed: "…" };

const FONT = `font-family="Helvetica, Arial, 'Liberation Sans', sans-serif"`;

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A coordinate with at most one decimal. */
export function px(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** A whole picture: white background, a title for screen readers. */
export function svgDocument(width: number, height: number, title: string, body: readonly string[], attributes = ""): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}"${attributes} ${FONT} font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${w}" height="${h}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
