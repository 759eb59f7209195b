/**
 * RevMan's rich text as published: track changes resolved (<INS> kept, <DEL>
 * dropped), each paragraph, list item, heading and table row a line, inline
 * markup (bold, italics, links…) removed without adding or losing a space, HTML
 * entities decoded. The result never holds a tag.
 */
import { decodeHTMLStrict } from "entities";
import type { XmlElement, XmlNode } from "./rm5-xml";

/** Elements whose content is dropped: deleted text (track changes), and RevMan's internal notes. */
const DROPPED = new Set(["DEL"]);
/** Elements that start and end a line. */
const BLOCKS = new Set([
  "P", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "HEADING", "TR", "DIV", "PRE", "BLOCKQUOTE", "UL", "OL", "TABLE", "THEAD", "TBODY", "TFOOT",
  "CAPTION", "TITLE", "SUBSECTION", "FOOTNOTE",
]);
const CELLS = new Set(["TD", "TH"]);
/** Ordered-list numbering by RevMan's list type. */
const NUMBERING: Record<string, (n: number) => string> = {
  LOWER_ALPHA: (n) => String.fromCharCode(96 + ((n - 1) % 26) + 1),
  UPPER_ALPHA: (n) => String.fromCharCode(64 + ((n - 1) % 26) + 1),
  LOWER_ROMAN: (n) => roman(n).toLowerCase(),
  UPPER_ROMAN: (n) => roman(n),
};

function roman(n: number): string {
  const parts: [number, string][] = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
  let out = "";
  for (const [v, s] of parts) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

/** Zero-width characters RevMan leaves in texts (byte-order marks, joiners): never visible, never a space. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/** A text node as published: entities decoded, invisible characters dropped, spaces collapsed. */
function clean(t: string): string {
  return (t.includes("&") ? decodeHTMLStrict(t) : t).replace(INVISIBLE, "").replace(/\s+/g, " ");
}

class Lines {
  readonly lines: string[] = [];
  private current = "";
  /** A list item's marker, written before the item's first line. */
  private prefix = "";

  text(t: string): void {
    this.current += t === " " ? t : clean(t);
  }

  /** Ends the current line (an empty one is dropped). */
  end(): void {
    const line = this.current.trim();
    if (line) {
      this.lines.push(this.prefix + line);
      this.prefix = "";
    }
    this.current = "";
  }

  /** The marker of the next list item ("-", "1."), or none. */
  marker(m: string): void {
    this.end();
    this.prefix = m ? `${m} ` : "";
  }

  done(): string {
    this.end();
    return this.lines.join("\n");
  }
}

/** A section's own headings (as RevMan prints them) for the subsections a text may contain. */
type Headings = Readonly<Record<string, string>>;

function walk(node: XmlNode, out: Lines, headings: Headings | undefined): void {
  if (typeof node === "string") return out.text(node);
  const name = node.name;
  if (DROPPED.has(name)) return;
  if (name === "BR") return out.end();
  const heading = headings?.[name];
  if (heading !== undefined) {
    out.end();
    out.text(heading);
    out.end();
  }
  if (name === "UL" || name === "OL") return list(node, out, headings);
  const block = BLOCKS.has(name) || heading !== undefined;
  if (block) out.end();
  let first = true;
  for (const c of node.children) {
    if (name === "TR" && typeof c !== "string" && CELLS.has(c.name)) {
      if (!first) out.text(" | ");
      first = false;
    }
    walk(c, out, headings);
  }
  if (block) out.end();
}

function list(node: XmlElement, out: Lines, headings: Headings | undefined): void {
  out.end();
  const type = (node.attrs.LIST_TYPE ?? node.attrs.TYPE ?? "").toUpperCase();
  const number = node.name === "OL" ? (NUMBERING[type] ?? String) : undefined;
  let n = 0;
  for (const c of node.children) {
    if (typeof c !== "string" && c.name === "LI") {
      n++;
      out.marker(number ? `${number(n)}.` : "-");
      for (const d of c.children) walk(d, out, headings);
      out.end();
    } else walk(c, out, headings);
  }
  out.marker("");
}

/**
 * The published text of an element: lines joined by "\n", no tag, no entity,
 * no deleted text. `headings` names subsections that print a heading line.
 */
export function publishedText(el: XmlElement | undefined, headings?: Headings): string {
  if (!el) return "";
  const out = new Lines();
  for (const c of el.children) walk(c, out, headings);
  return out.done();
}

/** The published text on one line (names, titles, labels). */
export function lineText(el: XmlElement | undefined): string {
  return publishedText(el).replace(/\n/g, " ");
}

/** An attribute's value as published: entities decoded, spaces collapsed. */
export function attrText(value: string | undefined): string {
  return value === undefined ? "" : clean(value).trim();
}

/** RevMan's template placeholder texts ("[Summary text]") are not the authors' text. */
export function isPlaceholder(text: string): boolean {
  return /^(\[[^\]]*\]\s*)+$/.test(text.trim());
}
