/**
 * A RevMan 5 file as a small element tree (saxes, with line numbers), and the
 * errors a reader can act on: not RevMan XML, not well-formed, truncated.
 * RevMan's texts may carry HTML entities (`&uuml;`) that XML does not define:
 * they are decoded with the `entities` library rather than refused.
 */
import { decodeHTMLStrict } from "entities";
import { SaxesParser } from "saxes";

export interface XmlElement {
  name: string;
  attrs: Readonly<Record<string, string>>;
  children: XmlNode[];
  /** 1-based line of the start tag. */
  line: number;
}

export type XmlNode = XmlElement | string;

export class Rm5Error extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** An HTML entity name as its text (`uuml` → ü); undefined for a name HTML does not define. */
function htmlEntity(name: string): string | undefined {
  const text = decodeHTMLStrict(`&${name};`);
  return text === `&${name};` ? undefined : text;
}

/** Entity lookups for saxes: XML's five, then every HTML entity. */
const ENTITIES: Record<string, string> = new Proxy({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>, {
  get: (target, name) => (typeof name !== "string" ? undefined : (target[name] ?? htmlEntity(name))),
});

const BLANK = /^\s+$/;
/** RevMan nests a dozen elements deep; far deeper is no review (and would overflow the readers' recursion). */
const MAX_DEPTH = 500;

/** Parses the whole file; throws Rm5Error (with the line) when it is not well-formed, truncated or not RevMan's. */
export function parseRm5Xml(text: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  (parser as unknown as { ENTITIES: Record<string, string> }).ENTITIES = ENTITIES;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on("opentag", (tag) => {
    const element: XmlElement = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [], line: parser.line };
    if (!root) {
      if (tag.name !== "COCHRANE_REVIEW") throw new Rm5Error(`not a RevMan 5 review: the root element is <${tag.name}>, not <COCHRANE_REVIEW>`, parser.line);
      root = element;
    } else stack[stack.length - 1]?.children.push(element);
    if (stack.length >= MAX_DEPTH) throw new Rm5Error(`elements nested more than ${MAX_DEPTH} deep: not a RevMan 5 review`, parser.line);
    stack.push(element);
  });
  parser.on("closetag", () => void stack.pop());
  const onText = (t: string) => {
    const parent = stack[stack.length - 1];
    // Line breaks and indentation between elements read as one space: one shared string keeps the tree small.
    if (parent) parent.children.push(BLANK.test(t) ? " " : t);
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  try {
    parser.write(text);
  } catch (e) {
    throw asRm5Error(e, parser.line);
  }
  try {
    parser.close();
  } catch (e) {
    if (e instanceof Rm5Error) throw e;
    // What the end of the input left open: the file was cut short.
    const open = stack[stack.length - 1];
    if (open) throw new Rm5Error(`truncated (<${open.name}> from line ${open.line} is not closed at end of file)`, lineCount(text));
    if (root) throw new Rm5Error(`truncated (the file ends inside a tag, at end of file)`, lineCount(text));
    throw asRm5Error(e, parser.line);
  }
  if (!root) throw new Rm5Error("empty file: no RevMan XML", 1);
  return root;
}

function asRm5Error(e: unknown, line: number): Rm5Error {
  if (e instanceof Rm5Error) return e;
  const m = /^(\d+):(\d+): (.*)$/s.exec((e as Error).message);
  return new Rm5Error(`not well-formed XML: ${(m ? m[3]! : (e as Error).message).replace(/\.$/, "")}`, m ? Number(m[1]) : line);
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n - 1 : n;
}

/** The element children of a node. */
export function elements(el: XmlElement | undefined): XmlElement[] {
  return el ? (el.children.filter((c) => typeof c !== "string") as XmlElement[]) : [];
}

/** The first child element of that name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== "string" && c.name === name) return c;
  return undefined;
}

/** The element at a path of child names. */
export function at(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const name of path) cur = child(cur, name);
  return cur;
}

/** Every descendant element of that name (document order), not looking inside matches. */
export function descendants(el: XmlElement | undefined, name: string, out: XmlElement[] = []): XmlElement[] {
  if (!el) return out;
  for (const c of el.children) {
    if (typeof c === "string") continue;
    if (c.name === name) out.push(c);
    else descendants(c, name, out);
  }
  return out;
}
