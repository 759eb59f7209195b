/**
 * The small pieces of XML the RevMan 5 export writes: escaped text and
 * attributes, numbers as RevMan writes them, and text as paragraphs.
 */

/** Text and attribute values escaped; characters XML 1.0 forbids dropped. */
export function esc(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;");
}

/** A number as an attribute value ("" for none). */
function num(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? "" : String(n);
}

/** Attributes in RevMan's order (alphabetical), without the empty ones. */
export function attrs(values: Record<string, string | number | null | undefined>): string {
  return Object.keys(values)
    .sort()
    .flatMap((k) => {
      const v = values[k];
      const t = typeof v === "number" ? num(v) : (v ?? "");
      return t === "" ? [] : [`${k}="${esc(t)}"`];
    })
    .join(" ");
}

/** A text of several lines as RevMan's paragraphs. */
export function paragraphs(text: string): string {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => `<P>${esc(l)}</P>`)
    .join("");
}

/** One element with text on one line. */
export function el(name: string, text: string): string {
  return `<${name}>${esc(text)}</${name}>`;
}
