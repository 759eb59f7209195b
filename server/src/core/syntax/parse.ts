/**
 * Parses a protocol into sections and study items, chunk by chunk (chunks.ts),
 * with a cache by chunk text so that an edit re-parses only the chunks it touched.
 * A chunk in plain YAML is read by the fast reader (yaml-subset.ts), any other by `yaml`.
 * Never throws: every problem becomes a syntax error with a place.
 */
import { parseAllDocuments, parseDocument, type Document } from "yaml";
import { shiftSplit, splitDocument, type Split } from "./chunks";
import type { Span } from "./span";
import { lineStartOf } from "./text";
import { buildTree, TreeBudgetExceeded, TreeTooDeep, type BuildState, type ScalarNode, type TreeNode } from "./tree";
import { parseYamlSubset } from "./yaml-subset";
import { appendAll } from "./arrays";

interface SyntaxProblem extends Span {
  message: string;
}

/** A top-level `key: value`. Offsets in `keyNode`/`value` are relative to `base`. */
export interface Section {
  readonly key: string;
  readonly keyNode: ScalarNode;
  readonly value: TreeNode | null;
  readonly base: number;
}

/** One item of `studies`. Offsets in `node` are relative to `base`. */
export interface StudyItem {
  readonly node: TreeNode;
  readonly base: number;
  /** The chunk when the item was parsed alone: its identity keys the cache of the item's checks. */
  readonly chunk?: ParsedChunk;
}

/** An edit from the previous text given to the parser: `deleted` characters at `start` replaced by `inserted`. */
export interface Edit {
  start: number;
  deleted: number;
  inserted: number;
}

export interface ParsedProtocol {
  readonly text: string;
  /** Absolute offsets. Non-empty means the document does not parse. */
  readonly errors: readonly SyntaxProblem[];
  /** The `---` line of a second document (reported on its own, the first is still checked). */
  readonly secondDocument?: Span;
  readonly sections: readonly Section[];
  readonly studies: readonly StudyItem[];
  /** The items of `analyses`, parsed one by one like the studies. */
  readonly analyses: readonly StudyItem[];
  /** Absolute range of the document's first key (where document-level diagnostics go). */
  readonly firstKey: Span;
  /** How many of the chunks this tree is made of each reader read (a whole parse is one `yaml` chunk). */
  readonly readBy: ReadBy;
}

export interface ReadBy {
  fast: number;
  yaml: number;
}

export interface ParsedChunk {
  /** The chunk's own text (a copy, so it does not keep a whole old version of the document alive). */
  readonly text: string;
  readonly tree: TreeNode | null;
  readonly errors: readonly SyntaxProblem[];
  /** It uses an anchor defined elsewhere: the document must be parsed whole. */
  readonly foreignAlias?: boolean;
  /** Read by the fast reader (else by `yaml`). */
  readonly fast?: boolean;
}

/**
 * A copy of a slice: a slice would keep its whole document alive in V8. Not for
 * a chunk that is most of its document (a list of a million items): the copy
 * would cost more than the rest of the document it keeps.
 */
function detach(slice: string, documentLength: number): string {
  return slice.length * 2 > documentLength ? slice : (slice + " ").slice(0, -1);
}

/** At most this many syntax errors are reported; the rest add nothing a user can act on. */
const MAX_SYNTAX_ERRORS = 100;

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, maxAliasCount: 100, strict: true } as const;

/** What to do about the YAML errors authors meet most. */
const HINTS: [RegExp, string][] = [
  [/Nested mappings are not allowed in compact mappings|Implicit keys need to be on a single line/, "a value that contains ': ' must be quoted, e.g. \"adults: children\""],
  [/Map keys must be unique/, "each key may appear once in a mapping"],
  [/Missing closing .?quote/, "close the quote, or leave the value unquoted"],
  [/Tabs are not allowed|tab characters/i, "indent with spaces, not tabs"],
  [/Implicit map keys need to be followed by map values/, "write `key: value`, or indent this line to continue the text above"],
  [/Maximum call stack size exceeded/, "the YAML nests too deeply for its parser to read; no protocol nests that deep"],
];

function withHint(message: string): string {
  const hint = HINTS.find(([re]) => re.test(message));
  return hint ? `${message} — ${hint[1]}` : message;
}

function treeOf(doc: Document.Parsed, errors: SyntaxProblem[], textLength: number, state: BuildState = { left: 0 }): TreeNode | null {
  try {
    // A real protocol has fewer nodes than characters; aliases that expand far beyond that are a bomb.
    state.left = 1000 + 4 * textLength;
    return buildTree(doc, state);
  } catch (e) {
    if (!(e instanceof TreeBudgetExceeded) && !(e instanceof TreeTooDeep)) throw e;
    const r = (doc.contents as { range?: number[] } | null)?.range ?? [0, 0];
    const why = e instanceof TreeTooDeep ? `The document is not checked: ${e.message}` : `${e.message} (an alias bomb?); the document is not checked`;
    errors.push({ start: r[0] ?? 0, end: r[0] ?? 0, message: why });
    return null;
  }
}

/**
 * The parser reports an unclosed `{` or `[` where it gave up (often the next
 * line); the author needs the bracket that was never closed.
 */
function unclosedBracket(text: string, at: number, close: string): number | undefined {
  const open = close === "}" ? "{" : "[";
  const stack: { c: string; at: number }[] = [];
  let quote: string | undefined;
  for (let i = 0; i < Math.min(at, text.length); i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"') i++;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s,[{:]/.test(text[i - 1]!))) quote = c;
    else if (c === "{" || c === "[") stack.push({ c, at: i });
    else if ((c === "}" || c === "]") && stack.length) stack.pop();
  }
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k]!.c === open) return stack[k]!.at;
  return undefined;
}

/** The parser's errors as problems: at the unclosed bracket when that is the cause, each place and message once. */
function problemsOf(errors: readonly { pos: [number, number]; message: string; code?: string }[], text: string): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let [start, end] = e.pos;
    let message = withHint(e.message);
    const close = /end with an? ([}\]])/.exec(e.message)?.[1];
    if (close) {
      const opener = unclosedBracket(text, start, close);
      if (opener !== undefined) {
        [start, end] = [opener, opener + 1];
        message = `This '${text[opener]}' is never closed: add '${close}' where the ${close === "}" ? "mapping" : "list"} ends (${e.message})`;
      }
    }
    const key = `${start}:${end}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ start, end, message });
  }
  return out;
}

/**
 * Which reader parses a protocol. `fast` (the default): chunk by chunk, plain
 * YAML read by the fast reader, the rest by `yaml`. `yaml`: chunk by chunk,
 * every chunk read by `yaml` (the fast reader off). `yaml-whole`: the whole
 * document read by `yaml` in one piece, as a document with anchors is (one that
 * does not parse is then read chunk by chunk by `yaml`). `fast-packed`: as `fast`,
 * with every list's mappings packed however short the list (packed.ts; only
 * lists of hundreds of items are, otherwise). Every
 * feature must answer the same on all three (test/parity.test.ts); the
 * environment variable REVIEW_PROTOCOL_PARSE sets it for the server and the
 * command line, to rule the fast reader out when something looks wrong.
 */
export type ParsePath = "fast" | "fast-packed" | "yaml" | "yaml-whole";

const PARSE_PATHS: readonly ParsePath[] = ["fast", "fast-packed", "yaml", "yaml-whole"];

function pathFromEnvironment(): ParsePath {
  const wanted = typeof process === "undefined" ? undefined : process.env.REVIEW_PROTOCOL_PARSE;
  return PARSE_PATHS.find((p) => p === wanted) ?? "fast";
}

let parsePath: ParsePath = pathFromEnvironment();

/** Sets the reader for every parse that follows (tests compare the paths). */
export function setParsePath(path: ParsePath): void {
  parsePath = path;
}

function parseChunk(slice: string, documentLength: number): ParsedChunk {
  const text = detach(slice, documentLength);
  // Plain YAML (nearly every chunk) is read by the fast reader; anything else by `yaml`, the reference.
  const fast = parsePath === "fast" ? parseYamlSubset(text) : parsePath === "fast-packed" ? parseYamlSubset(text, 1) : undefined;
  if (fast !== undefined) return { text, tree: fast, errors: [], fast: true };
  const errors: SyntaxProblem[] = [];
  let tree: TreeNode | null = null;
  const state: BuildState = { left: 0 };
  try {
    const doc = parseDocument(text, YAML_OPTIONS);
    appendAll(errors, problemsOf(doc.errors, text));
    if (!errors.length) tree = treeOf(doc, errors, text.length, state);
  } catch (e) {
    // The `yaml` library recurses into nested collections: thousands of levels overflow its stack.
    const message = e instanceof RangeError ? "The YAML nests too deeply to be read (its parser ran out of stack); no protocol nests that deep" : `YAML parser failed: ${(e as Error).message}`;
    errors.push({ start: 0, end: 0, message });
  }
  return { text, tree, errors, foreignAlias: state.unresolvedAlias };
}

/**
 * Parses protocol texts; keeps the chunks of the previous parse so the next
 * parse of a slightly edited text re-parses only what changed.
 */
export class ProtocolParser {
  private previous = new Map<string, ParsedChunk>();
  private current = new Map<string, ParsedChunk>();
  /** The chunks of the last parse by start offset, for reuse across an edit without comparing text. */
  private lastSpans = new Map<number, { end: number; chunk: ParsedChunk }>();
  private spans = new Map<number, { end: number; chunk: ParsedChunk }>();
  private edit?: Edit;
  private foreignAlias = false;
  private readBy: ReadBy = { fast: 0, yaml: 0 };
  /** The last text and its split: an edit inside one line moves the split instead of redoing it. */
  private lastSplit?: { text: string; split: Split };

  /** @param chunked false parses every text whole (the reference the chunked parse must equal). */
  constructor(private readonly chunked = true) {}

  /** The parsed chunk of text[start, end): reused across the edit when untouched, else by its text, else parsed. */
  private chunk(text: string, start: number, end: number): ParsedChunk {
    const edit = this.edit;
    let parsed: ParsedChunk | undefined;
    if (edit) {
      const delta = edit.inserted - edit.deleted;
      const old = end <= edit.start ? start : start >= edit.start + edit.inserted ? start - delta : -1;
      const hit = old >= 0 ? this.lastSpans.get(old) : undefined;
      if (hit && hit.end === (old === start ? end : end - delta)) parsed = hit.chunk;
    }
    if (!parsed) {
      const slice = text.slice(start, end);
      parsed = this.current.get(slice) ?? this.previous.get(slice) ?? parseChunk(slice, text.length);
      this.current.set(parsed.text, parsed);
    } else this.current.set(parsed.text, parsed);
    this.spans.set(start, { end, chunk: parsed });
    if (parsed.foreignAlias) this.foreignAlias = true;
    if (parsed.fast) this.readBy.fast++;
    else this.readBy.yaml++;
    return parsed;
  }

  /**
   * @param edit how `text` differs from the text of the previous call, when known
   *   (an editor's incremental change): untouched chunks are reused without reading them.
   */
  parse(text: string, edit?: Edit): ParsedProtocol {
    this.previous = this.current;
    this.current = new Map();
    this.lastSpans = this.spans;
    this.spans = new Map();
    this.edit = edit;
    this.foreignAlias = false;
    this.readBy = { fast: 0, yaml: 0 };
    try {
      return this.parseSplit(text);
    } catch (e) {
      // Never throw on any input: report the failure where the user can see it.
      return {
        text,
        errors: [{ start: 0, end: 0, message: `The document could not be parsed: ${(e as Error).message}` }],
        sections: [],
        studies: [],
        analyses: [],
        firstKey: { start: 0, end: 0 },
        readBy: { fast: 0, yaml: 0 },
      };
    }
  }

  private parseSplit(text: string): ParsedProtocol {
    const previous = this.lastSplit;
    const split = (previous && this.edit && shiftSplit(previous.split, previous.text, text, this.edit)) || splitDocument(text);
    this.lastSplit = { text, split };
    if (split.mode === "whole" || !this.chunked) return parseWhole(text, split.bodyStart, split.bodyEnd, split.secondDocument);
    if (parsePath === "yaml-whole") {
      // The reference path: the whole document by `yaml`; a broken one is read chunk by chunk, so its parts can be compared.
      const whole = parseWhole(text, split.bodyStart, split.bodyEnd, split.secondDocument);
      if (!whole.errors.length) return whole;
    }
    const errors: SyntaxProblem[] = [];
    const sections: Section[] = [];
    const studies: StudyItem[] = [];
    const analyses: StudyItem[] = [];
    const seen = new Set<string>();
    split.sections.forEach((span, index) => {
      const list = split.studies?.section === index ? split.studies : split.analyses?.section === index ? split.analyses : undefined;
      const headerSpan = list ? list.header : span;
      const parsed = this.chunk(text, headerSpan.start, headerSpan.end);
      for (const e of parsed.errors) errors.push({ start: e.start + headerSpan.start, end: e.end + headerSpan.start, message: e.message });
      if (parsed.errors.length) return;
      const root = parsed.tree;
      if (!root || root.kind !== "map" || root.pairs.length !== 1) {
        const end = text.indexOf("\n", span.start);
        errors.push({ start: span.start, end: end < 0 ? span.end : end, message: "Expected `key: value` at the top level" });
        return;
      }
      const pair = root.pairs[0]!;
      const key = String(pair.key.value);
      if (seen.has(key)) {
        errors.push({ start: pair.key.start + span.start, end: pair.key.end + span.start, message: `Map keys must be unique: '${key}' is defined twice` });
        return;
      }
      seen.add(key);
      sections.push({ key, keyNode: pair.key, value: pair.value, base: span.start });
      if (!list) return;
      const items = list === split.studies ? studies : analyses;
      for (const item of list.items) {
        const parsedItem = this.chunk(text, item.start, item.end);
        for (const e of parsedItem.errors) errors.push({ start: e.start + item.start, end: e.end + item.start, message: e.message });
        if (parsedItem.errors.length) continue;
        const tree = parsedItem.tree;
        if (!tree || tree.kind !== "seq" || tree.items.length !== 1) {
          errors.push({ start: item.start, end: item.start, message: "Expected one list item" });
          continue;
        }
        items.push({ node: tree.items[0]!, base: item.start, chunk: parsedItem });
      }
    });
    // An alias into another chunk: only the whole document knows its anchor.
    if (this.foreignAlias) return parseWhole(text, split.bodyStart, split.bodyEnd, split.secondDocument);
    const first = sections[0];
    const firstKey = first ? { start: first.keyNode.start + first.base, end: first.keyNode.end + first.base } : { start: split.bodyStart, end: split.bodyStart };
    // A studies list that was not split (flow style, odd indentation) gives its items here.
    if (!split.studies) {
      const section = sections.find((s) => s.key === "studies");
      if (section?.value?.kind === "seq") for (const node of section.value.items) studies.push({ node, base: section.base });
    }
    if (!split.analyses) {
      const section = sections.find((s) => s.key === "analyses");
      if (section?.value?.kind === "seq") for (const node of section.value.items) analyses.push({ node, base: section.base });
    }
    return { text, errors: clamp(errors, text.length), secondDocument: split.secondDocument, sections, studies, analyses, firstKey, readBy: this.readBy };
  }
}

/** At most MAX_SYNTAX_ERRORS errors, with ranges inside the text (the parser may point just past its end). */
function clamp(errors: readonly SyntaxProblem[], length: number): SyntaxProblem[] {
  return errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => {
    const start = Math.max(0, Math.min(e.start, length));
    return { ...e, start, end: Math.max(start, Math.min(e.end, length)) };
  });
}

/** Parses the first document in one piece (see chunks.ts for when). */
function parseWhole(text: string, bodyStart: number, bodyEnd: number, secondDocument: Span | undefined): ParsedProtocol {
  const errors: SyntaxProblem[] = [];
  const body = text.slice(0, bodyEnd);
  const docs = parseAllDocuments(body, YAML_OPTIONS);
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  let second = secondDocument;
  if (list.length > 1 && !second) {
    const at = list[1]!.range[0];
    const lineStart = lineStartOf(body, at);
    const markerStart = body.startsWith("---", lineStart) ? lineStart : Math.max(0, body.lastIndexOf("\n---", at) + 1);
    const markerEnd = body.indexOf("\n", markerStart);
    second = { start: markerStart, end: markerEnd < 0 ? body.length : markerEnd };
  }
  const sections: Section[] = [];
  const studies: StudyItem[] = [];
  const analyses: StudyItem[] = [];
  let firstKey = { start: bodyStart, end: bodyStart };
  if (doc) {
    appendAll(errors, problemsOf(doc.errors.filter((e) => e.code !== "MULTIPLE_DOCS"), body));
    const root = errors.length ? null : treeOf(doc, errors, body.length);
    if (root && root.kind === "map") {
      for (const pair of root.pairs) sections.push({ key: String(pair.key.value), keyNode: pair.key, value: pair.value, base: 0 });
      const first = root.pairs[0];
      if (first) firstKey = { start: first.key.start, end: first.key.end };
      const studiesValue = sections.find((s) => s.key === "studies")?.value;
      if (studiesValue?.kind === "seq") for (const node of studiesValue.items) studies.push({ node, base: 0 });
      const analysesValue = sections.find((s) => s.key === "analyses")?.value;
      if (analysesValue?.kind === "seq") for (const node of analysesValue.items) analyses.push({ node, base: 0 });
    } else if (root && !errors.length) {
      errors.push({ start: root.start, end: root.end, message: "A protocol is a mapping of `key: value` lines" });
    }
  }
  return { text, errors: clamp(errors, text.length), secondDocument: second, sections, studies, analyses, firstKey, readBy: { fast: 0, yaml: 1 } };
}
