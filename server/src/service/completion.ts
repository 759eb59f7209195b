/**
 * Completion as plain data, driven by the schema and the domain data. The
 * context at the cursor is read from the text (indentation and flow brackets),
 * not from the parse, so completion works while the line being typed is broken
 * (`other-bias: { judgement: ` on an otherwise valid file).
 */
import { z } from "zod";
import { CUSTOM_TOOL_ID, measureById, type MeasureDef, ORBIT, OUTCOME_STATUSES, OVERALL_KEY, REVIEW_STAGES, TOOLS } from "../../../schemas/src/domain";
import { rowTemplate } from "../core/model/meta-analyses";
import { Protocol } from "../../../schemas/src/protocol";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";
import type { SourceDefinition } from "../core/sources/definitions";
import { descriptionOf, objectKeys, schemaAt } from "../core/checks/schema";
import { studyRecordLines } from "../core/model/templates";
import { toolFor } from "../core/model/tools";
import type { ToolView } from "../core/model/tools";
import { lineStartOf } from "../core/syntax/text";
import { authorList } from "./markdown";
import { plotKeyValues } from "./plot-keys";

export interface CompletionItem {
  label: string;
  kind: "key" | "value" | "reference" | "citation" | "snippet";
  detail?: string;
  documentation?: string;
  insertText: string;
  /** insertText is a snippet with $1… placeholders. */
  snippet?: boolean;
  sortText?: string;
  /** The text the item replaces (absolute offsets). */
  start: number;
  end: number;
}

type Segment = string;

interface Context {
  /** Keys from the top level to the mapping (or list) the cursor is in; "[]" is a list item. */
  path: Segment[];
  /** key: completing a key of the mapping at `path`; value: the value of `path`'s last key or a list item. */
  position: "key" | "value";
  /** Keys already present next to the cursor. */
  present: Set<string>;
  start: number;
  end: number;
  /** The key line already has `: ` after the word (do not insert another). */
  hasColon: boolean;
  /** A new list item's first key (`- ` then the cursor). */
  newItem: boolean;
}

const WORD = /[\p{L}\p{N}_.\-]/u;
const KEY_LINE = /^(\s*)((?:-\s+)*)(["']?)([^\s:#"'{}\[\],][^:#"'{}\[\],]*?)\3\s*:(\s|$)/;

function lineAt(text: string, offset: number): { start: number; end: number } {
  const start = lineStartOf(text, offset);
  const nl = text.indexOf("\n", offset);
  return { start, end: nl < 0 ? text.length : nl };
}

interface LineInfo {
  indent: number;
  dashes: number;
  keyCol: number;
  key?: string;
  /** Text after `key:` (trimmed, without comment). */
  rest: string;
  blank: boolean;
}

function info(line: string): LineInfo {
  const trimmed = line.trimStart();
  const indent = line.length - trimmed.length;
  if (!trimmed || trimmed.startsWith("#")) return { indent, dashes: 0, keyCol: indent, rest: "", blank: true };
  const m = KEY_LINE.exec(line);
  const dashMatch = /^(\s*)((?:-(?:\s+|$))*)/.exec(line)!;
  const dashes = (dashMatch[2] ?? "").length;
  if (!m) return { indent, dashes, keyCol: indent + dashes, rest: trimmed.slice(dashes), blank: false };
  const keyCol = m[1]!.length + m[2]!.length;
  const rest = line.slice(m[0].length).replace(/\s+#.*$/, "").trim();
  return { indent, dashes: m[2]!.length, keyCol, key: m[4]!.trim(), rest, blank: false };
}

/** Line-by-line walks from a line, without splitting the whole text (protocols can be megabytes). */
function* linesUp(text: string, lineStart: number): Generator<string> {
  let end = lineStart - 1;
  while (end >= 0) {
    const start = lineStartOf(text, end);
    yield text.slice(start, end).replace(/\r$/, "");
    end = start - 1;
  }
}

function* linesDown(text: string, lineEnd: number): Generator<string> {
  let start = lineEnd + 1;
  while (start <= text.length && lineEnd < text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    yield text.slice(start, end).replace(/\r$/, "");
    if (nl < 0) return;
    start = end + 1;
  }
}

/** Leading spaces, counted up to `limit` (enough to tell deeper lines apart cheaply). */
function indentOf(line: string, limit: number): number {
  let i = 0;
  while (i < line.length && i <= limit && line.charCodeAt(i) === 32) i++;
  return i;
}

/** Parent keys of a key at column `col` on the line starting at `lineStart`, from the lines above. */
function ancestors(text: string, lineStart: number, col: number, listItem: boolean): Segment[] {
  const path: Segment[] = [];
  let target = col;
  let wantList = false;
  if (listItem) {
    path.unshift("[]");
    wantList = true;
    // The list is found by its dash's column: the item's keys (col) sit deeper, where a sibling's content is.
    let i = lineStart;
    while (text.charCodeAt(i) === 32) i++;
    target = i - lineStart;
  }
  for (const line of linesUp(text, lineStart)) {
    // Lines deeper than what we look for are content of siblings: skip them without parsing.
    if (indentOf(line, target) > target) continue;
    const l = info(line);
    if (l.blank) continue;
    if (wantList) {
      // Looking for the key whose value is the list whose items start at column `target`.
      if (l.dashes && l.indent === target) continue; // an earlier item of the same list
      if (l.key && l.keyCol <= target && l.rest === "") {
        path.unshift(l.key);
        wantList = false;
        if (l.dashes) {
          path.unshift("[]");
          wantList = true;
          target = l.indent;
        } else target = l.keyCol;
        if (target === 0 && !wantList) break;
      } else if (l.indent < target) break;
      continue;
    }
    if (l.dashes && l.keyCol === target) {
      // A key of the same list item, started on this line.
      path.unshift("[]");
      wantList = true;
      target = l.indent;
      continue;
    }
    if (l.keyCol < target && l.key) {
      path.unshift(l.key);
      if (l.dashes) {
        path.unshift("[]");
        wantList = true;
        target = l.indent;
      } else target = l.keyCol;
      if (target === 0 && !wantList) break;
    } else if (l.keyCol < target && !l.key) break;
  }
  return path;
}

/** Keys at column `col` in the block around the line (same parent). */
function siblingKeys(text: string, lineStart: number, lineEnd: number, col: number): Set<string> {
  const keys = new Set<string>();
  for (const line of linesUp(text, lineStart)) {
    if (indentOf(line, col) > col) continue;
    const l = info(line);
    if (l.blank) continue;
    if (l.keyCol === col && l.key) keys.add(l.key);
    if (l.keyCol < col || (l.dashes && l.indent < col)) break;
  }
  for (const line of linesDown(text, lineEnd)) {
    if (indentOf(line, col) > col) continue;
    const l = info(line);
    if (l.blank) continue;
    if (l.keyCol < col || (l.dashes && l.indent <= col)) break;
    if (l.keyCol === col && l.key) keys.add(l.key);
  }
  return keys;
}

/** Open flow brackets on the line before the cursor: their columns and the keys that own them. */
function flowStack(prefix: string): { open: string; at: number; key?: string; segmentStart: number }[] {
  const stack: { open: string; at: number; key?: string; segmentStart: number }[] = [];
  let quote: string | undefined;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(prefix[i - 1]!))) break;
    if (c === '"' || c === "'") quote = c;
    else if (c === "{" || c === "[") {
      const before = prefix.slice(stack.length ? stack[stack.length - 1]!.segmentStart : 0, i);
      const key = /([^\s:,{}\[\]"']+)["']?\s*:\s*$/.exec(before)?.[1];
      stack.push({ open: c, at: i, key, segmentStart: i + 1 });
    } else if (c === "}" || c === "]") stack.pop();
    else if (c === "," && stack.length) stack[stack.length - 1]!.segmentStart = i + 1;
  }
  return stack;
}

function contextAt(text: string, offset: number): Context | { citation: true; start: number; end: number } | undefined {
  const { start: lineStart, end: lineEnd } = lineAt(text, offset);
  const prefix = text.slice(lineStart, offset);
  let wordStart = offset;
  while (wordStart > lineStart && WORD.test(text[wordStart - 1]!)) wordStart--;
  let wordEnd = offset;
  while (wordEnd < lineEnd && WORD.test(text[wordEnd]!)) wordEnd++;

  const citation = /\[[^\[\]]*@([\p{L}\p{N}_:.#$%&\-+?<>~/]*)$/u.exec(prefix);
  if (citation) {
    let end = offset;
    while (end < lineEnd && /[\p{L}\p{N}_:.#$%&\-+?<>~/]/u.test(text[end]!)) end++;
    return { citation: true, start: offset - citation[1]!.length, end };
  }

  const here = info(prefix);
  const stack = flowStack(prefix);
  const after = text.slice(offset, lineEnd);
  const hasColon = /^[\p{L}\p{N}_.\-]*\s*:/u.test(after);

  if (stack.length) {
    // Inside flow brackets: the block key of the line, then each bracket's key.
    const blockCol = here.keyCol;
    const first = stack[0]!;
    const lineKey = here.key && prefix.indexOf(here.key) < first.at ? here.key : undefined;
    const base = ancestors(text, lineStart, blockCol, here.dashes > 0 && blockCol === here.keyCol && !!lineKey);
    const path: Segment[] = [...base];
    if (lineKey) path.push(lineKey);
    stack.forEach((s, i) => {
      if (i > 0 && s.key) path.push(s.key);
      if (s.open === "[") path.push("[]");
    });
    const inner = stack[stack.length - 1]!;
    const segment = prefix.slice(inner.segmentStart);
    if (inner.open === "[") return { path, position: "value", present: new Set(), start: wordStart, end: wordEnd, hasColon, newItem: false };
    const kv = /^\s*["']?([^\s:,{}\[\]"']+)["']?\s*:\s*[^,{}\[\]]*$/.exec(segment);
    const present = new Set<string>();
    const body = text.slice(lineStart + inner.at + 1, lineEnd);
    for (const m of body.matchAll(/(?:^|,)\s*["']?([^\s:,{}\[\]"']+)["']?\s*:/g)) present.add(m[1]!);
    if (kv) return { path: [...path, kv[1]!], position: "value", present, start: wordStart, end: wordEnd, hasColon, newItem: false };
    return { path, position: "key", present, start: wordStart, end: wordEnd, hasColon, newItem: false };
  }

  const valueMatch = KEY_LINE.exec(prefix);
  if (valueMatch) {
    // After `key: ` on a block line: the key's value.
    const col = valueMatch[1]!.length + valueMatch[2]!.length;
    const base = ancestors(text, lineStart, col, valueMatch[2]!.length > 0);
    return { path: [...base, valueMatch[4]!.trim()], position: "value", present: new Set(), start: wordStart, end: wordEnd, hasColon, newItem: false };
  }
  // Typing a key (or a scalar list item) at this column.
  const dash = /^(\s*)((?:-\s+)*)\S*$/.exec(prefix);
  if (!dash) return undefined;
  const col = dash[1]!.length + dash[2]!.length;
  const listItem = dash[2]!.length > 0;
  const path = ancestors(text, lineStart, col, listItem);
  const present = listItem ? new Set<string>() : siblingKeys(text, lineStart, lineEnd, col);
  return { path, position: "key", present, start: wordStart, end: wordEnd, hasColon, newItem: listItem };
}

/**
 * A field of the list item of a top-level section around an offset, read from
 * the text (the item may not parse while it is typed): a study's `design`, an
 * analysis's `measure`.
 */
function fieldAround(text: string, offset: number, section: string, field: string): string | undefined {
  const head = new RegExp(`^${section}:[ \\t]*(?:#.*)?$`, "m").exec(text);
  if (!head || head.index > offset) return undefined;
  const body = text.slice(head.index, offset);
  const itemIndent = /\n([ \t]*)- /.exec(body)?.[1];
  if (itemIndent === undefined) return undefined;
  let start = -1;
  for (const m of body.matchAll(new RegExp(`\\n${itemIndent}- `, "g"))) start = head.index + m.index! + 1;
  if (start < 0) return undefined;
  const next = new RegExp(`\\n${itemIndent}- |\\n\\S`).exec(text.slice(offset));
  const record = text.slice(start, next ? offset + next.index : text.length);
  return new RegExp(`^[ \\t-]*${field}:[ \\t]*["']?([\\w-]+)`, "m").exec(record)?.[1];
}

function schemaFor(path: Segment[]): z.ZodType | undefined {
  return schemaAt(Protocol, path.map((p) => (p === "[]" ? 0 : p)));
}

function unwrapAll(s: z.ZodType | undefined): z.ZodType | undefined {
  let t = s;
  while (t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap() as z.ZodType;
  return t;
}

function enumValues(s: z.ZodType | undefined): string[] {
  const t = unwrapAll(s);
  if (t instanceof z.ZodEnum) return t.options.map(String);
  if (t instanceof z.ZodBoolean) return ["true", "false"];
  if (t instanceof z.ZodLiteral) return [...(t.values as Set<unknown>)].map(String);
  if (t instanceof z.ZodUnion) return [...new Set((t.options as z.ZodType[]).flatMap(enumValues))];
  return [];
}

const STATUS_MEANING = new Map(OUTCOME_STATUSES.map((s) => [s.id, s.meaning]));
const ORBIT_MEANING = new Map(ORBIT.map((o) => [o.letter, `${o.situation} (risk: ${o.risk})`]));

/** A row of the measure's form with a tab stop for each number (plain empty brackets without snippets). */
function rowSkeleton(measure: MeasureDef): string {
  let n = 1;
  const pair = () => `[\${${n++}}, \${${n++}}]`;
  if (measure.data === "dichotomous") return `{ events: ${pair()}, total: ${pair()} }`;
  if (measure.data === "continuous") return `{ mean: ${pair()}, sd: ${pair()}, total: ${pair()} }`;
  return "{ estimate: ${1}, se: ${2} }";
}

/** A study id as a mapping key: quoted when YAML would read it otherwise. */
function yamlKey(id: string): string {
  return /^[\p{L}\p{N}_][\p{L}\p{N}_ ().'-]*$/u.test(id) && !/ $/.test(id) ? id : JSON.stringify(id);
}

/** A snippet's plain text: tab stops and choices replaced by their defaults. */
function plainText(snippet: string): string {
  return snippet.replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, "$1").replace(/\$\{\d+:?([^}]*)\}/g, "$1").replace(/\$\d+/g, "");
}

/**
 * Completion items at an offset. For a client without snippet support every
 * item is plain text, its later lines indented for the position (a client
 * indents a snippet's lines itself, but never plain text).
 */
export function complete(analysis: ProtocolAnalysis, offset: number, snippets = true): CompletionItem[] {
  const items = completeSnippets(analysis, offset, snippets);
  if (snippets) return items;
  const text = analysis.parsed.text;
  let i = lineStartOf(text, offset);
  const lineStart = i;
  while (text[i] === " " || text[i] === "\t") i++;
  const indent = text.slice(lineStart, i);
  return items.map((item) => (item.snippet ? { ...item, snippet: false, insertText: plainText(item.insertText).split("\n").join(`\n${indent}`) } : item));
}

function completeSnippets(analysis: ProtocolAnalysis, offset: number, snippets: boolean): CompletionItem[] {
  const text = analysis.parsed.text;
  const ctx = contextAt(text, offset);
  if (!ctx) return [];
  if ("citation" in ctx) return citationItems(analysis, ctx.start, ctx.end);
  const { path, position, start, end } = ctx;
  const inAStudy = path[0] === "studies" && path[1] === "[]" && path.length > 2;
  // A study's own tool (by its design, read from the text: mid-typing the study may not parse); a new study item gets the protocol's.
  const tool = inAStudy ? toolFor(analysis.context.tools, fieldAround(text, offset, "studies", "design")) : analysis.context.tool;
  const out: CompletionItem[] = [];
  const add = (item: Omit<CompletionItem, "start" | "end">) => out.push({ ...item, start, end });
  const keyItem = (key: string, detail?: string, documentation?: string, sort = "1") =>
    add({ label: key, kind: "key", detail, documentation, insertText: ctx.hasColon ? key : `${key}: `, sortText: `${sort}${key}` });
  const inStudy = path[0] === "studies" && path[1] === "[]";
  const r = inStudy ? path.slice(2) : [];
  const last = path[path.length - 1];

  // Citation keys: cite, update_of, excluded_studies[].cite
  if (position === "value" && (last === "cite" || (path.length === 1 && last === "update_of"))) return citationItems(analysis, start, end);

  if (inStudy && tool) {
    const perOutcome = tool.per === "outcome";
    const domainDepth = perOutcome ? 3 : 2;
    if (r[0] === "risk_of_bias") {
      // Keys: domains (and outcomes for per-outcome tools).
      if (position === "key" && r.length === 1 && perOutcome) return outcomeKeys(analysis, ctx, out, true);
      if (position === "key" && r.length === domainDepth - 1) return domainKeys(tool, ctx, out);
      if (position === "key" && r.length === domainDepth) {
        const domain = tool.domains.find((d) => d.id === r[domainDepth - 1]);
        for (const k of ["judgement", "support", ...(domain?.applicability ? ["applicability"] : [])].filter((k) => !ctx.present.has(k))) keyItem(k);
        return out;
      }
      // Values: judgements of the tool (the domain's own allowed values).
      const domainId = r[domainDepth - 1];
      const isJudgement =
        position === "value" && ((r.length === domainDepth && domainId !== undefined) || (r.length === domainDepth + 1 && (r[domainDepth] === "judgement" || r[domainDepth] === "applicability")));
      if (isJudgement) return judgementItems(tool, domainId === OVERALL_KEY ? undefined : domainId, ctx, out);
    }
    if (r[0] === "outcomes") {
      if (position === "key" && r.length === 1) return outcomeKeys(analysis, ctx, out, false);
      if (position === "value" && (r.length === 2 || (r.length === 3 && r[2] === "status"))) {
        for (const s of OUTCOME_STATUSES) add({ label: s.id, kind: "value", detail: s.meaning, insertText: s.id, sortText: `1${OUTCOME_STATUSES.indexOf(s)}` });
        return out;
      }
      if (position === "value" && r.length === 3 && r[2] === "orbit") {
        for (const o of ORBIT) add({ label: o.letter, kind: "value", detail: ORBIT_MEANING.get(o.letter), insertText: o.letter, sortText: `1${o.letter}` });
        return out;
      }
    }
    if (r[0] === "arms" && position === "value") {
      for (const id of analysis.context.arms) add({ label: id, kind: "reference", detail: armDetail(analysis, id), insertText: id, sortText: `1${id}` });
      return out;
    }
    if (position === "key" && r.length === 0 && ctx.newItem && path.length === 2) {
      out.push(studySnippet(tool, analysis, start, end));
    }
  }
  if (path[0] === "analyses" && path[1] === "[]") {
    const r2 = path.slice(2);
    if (position === "value" && r2.length === 1 && r2[0] === "outcome") {
      for (const o of analysis.context.outcomes) add({ label: o.id, kind: "reference", detail: o.role, insertText: o.id, sortText: `1${o.id}` });
      return out;
    }
    if (position === "value" && r2[0] === "compare") {
      analysis.context.arms.forEach((id, i) => add({ label: id, kind: "reference", detail: armDetail(analysis, id), insertText: id, sortText: `1${i}` }));
      return out;
    }
    const inData = (r2.length === 1 && r2[0] === "data") || (r2.length === 4 && r2[0] === "subgroups" && r2[3] === "data");
    if (inData && position === "key") {
      const measure = measureById(fieldAround(text, offset, "analyses", "measure") ?? "");
      const ids = analysis.studies.map((s) => s.checked.model.id?.value).filter((x): x is string => x !== undefined && !ctx.present.has(x));
      ids.forEach((id, i) => {
        // A row skeleton only where the client fills tab stops: plain empty brackets would not parse.
        const row = measure && snippets ? rowSkeleton(measure) : undefined;
        add({
          label: id,
          kind: "reference",
          detail: measure ? `${id}: ${rowTemplate(measure)}` : "a study",
          insertText: ctx.hasColon ? yamlKey(id) : row ? `${yamlKey(id)}: ${row}` : `${yamlKey(id)}: `,
          snippet: Boolean(row && !ctx.hasColon),
          sortText: `1${String(i).padStart(5, "0")}`,
        });
      });
      return out;
    }
  }
  if (path.length === 2 && path[0] === "bias" && last === "tool" && position === "value") {
    for (const t of TOOLS) add({ label: t.id, kind: "value", detail: t.name, documentation: `${t.per === "study" ? "Judged per study" : "Judged per study and outcome"}. Domains: ${t.domains.map((d) => d.id).join(", ")}`, insertText: t.id, sortText: `1${TOOLS.indexOf(t)}` });
    add({ label: CUSTOM_TOOL_ID, kind: "value", detail: "Custom tool: domains from bias.domains", insertText: CUSTOM_TOOL_ID, sortText: "9" });
    return out;
  }

  if (path.length === 1 && last === "stage" && position === "value") {
    for (const s of REVIEW_STAGES) add({ label: s.id, kind: "value", detail: s.name, insertText: s.id, sortText: `1${REVIEW_STAGES.indexOf(s)}` });
    return out;
  }

  // The keys that shape a forest plot: values that say what each gives.
  const plotValues = position === "value" ? plotKeyValues(analysis, offset, path, fieldAround(text, offset, "analyses", "measure")) : undefined;
  if (plotValues) {
    plotValues.forEach((v, i) => add({ label: v.label, kind: "value", detail: v.detail, insertText: v.insertText, sortText: `1${i}` }));
    return out;
  }

  // Generic: the schema's keys and enum values.
  if (position === "key") {
    const schema = schemaFor(path);
    for (const key of objectKeys(schema)) {
      if (ctx.present.has(key)) continue;
      const child = schemaAt(schema, [key]);
      const required = !(child instanceof z.ZodOptional);
      keyItem(key, required ? "required" : undefined, descriptionOf(child), required ? "0" : "1");
    }
    return out;
  }
  const schema = schemaFor(path);
  for (const v of enumValues(schema)) add({ label: v, kind: "value", detail: STATUS_MEANING.get(v), insertText: v, sortText: `1${v}` });
  return out;
}

/** At most this many citation keys are offered (a library has tens of thousands; typing narrows them). */
const MAX_CITATION_ITEMS = 200;

function citationItems(analysis: ProtocolAnalysis, start: number, end: number): CompletionItem[] {
  // Keys that start with what is typed first, then those that contain it; an entry's fields are read only for those shown.
  const typed = analysis.parsed.text.slice(start, end).toLowerCase();
  const keys = [...analysis.sources.keys()];
  if (keys.length <= MAX_CITATION_ITEMS) return keys.map((key) => citationItem(key, analysis.sources.get(key)!, start, end));
  const first = keys.filter((k) => k.toLowerCase().startsWith(typed));
  const then = typed ? keys.filter((k) => !k.toLowerCase().startsWith(typed) && k.toLowerCase().includes(typed)) : [];
  const chosen = [...first, ...then].slice(0, MAX_CITATION_ITEMS);
  return chosen.map((key) => citationItem(key, analysis.sources.get(key)!, start, end));
}

function citationItem(key: string, def: SourceDefinition, start: number, end: number): CompletionItem {
  const m = def.meta;
  {
    const first = m.authors.length ? authorList(m.authors.slice(0, 1)) + (m.authors.length > 1 ? " et al." : "") : m.journal;
    return {
      label: key,
      kind: "citation" as const,
      detail: [first, m.year ?? m.date?.slice(0, 4)].filter(Boolean).join(", ") || undefined,
      documentation: m.title,
      insertText: key,
      sortText: `1${key}`,
      start,
      end,
    };
  }
}

function armDetail(analysis: ProtocolAnalysis, id: string): string | undefined {
  const arm = analysis.arms.find((a) => a.id === id);
  if (!arm) return undefined;
  return `${arm.list === "interventions" ? "intervention" : "comparator"}${arm.description ? `: ${arm.description}` : ""}`;
}

/** Outcome ids for a study's `outcomes` (or a per-outcome tool's `risk_of_bias`): the missing ones first. */
function outcomeKeys(analysis: ProtocolAnalysis, ctx: Context, out: CompletionItem[], withResultsFirst: boolean): CompletionItem[] {
  analysis.context.outcomes.forEach((o, i) => {
    if (ctx.present.has(o.id)) return;
    const sort = withResultsFirst ? "1" : "0";
    out.push({
      label: o.id,
      kind: "reference",
      detail: [o.role, o.harm ? "harm" : undefined].filter(Boolean).join(" · ") || undefined,
      insertText: ctx.hasColon ? o.id : `${o.id}: `,
      sortText: `${sort}${String(i).padStart(4, "0")}`,
      start: ctx.start,
      end: ctx.end,
    });
  });
  return out;
}

/** Domain ids of the tool that the block does not have yet, in the tool's order, and `overall`. */
function domainKeys(tool: ToolView, ctx: Context, out: CompletionItem[]): CompletionItem[] {
  tool.domains.forEach((d, i) => {
    if (ctx.present.has(d.id)) return;
    const label = tool.def?.domains.find((x) => x.id === d.id)?.label;
    out.push({
      label: d.id,
      kind: "key",
      detail: `${label ? `${label} · ` : ""}${d.name}`,
      documentation: `Judgements: ${d.allowed.join(", ")}`,
      insertText: ctx.hasColon ? d.id : `${d.id}: { judgement: $1, support: "$2" }`,
      snippet: !ctx.hasColon,
      sortText: `0${String(i).padStart(3, "0")}`,
      start: ctx.start,
      end: ctx.end,
    });
  });
  if (!ctx.present.has(OVERALL_KEY) && tool.severity.size) {
    out.push({ label: OVERALL_KEY, kind: "key", detail: "Overall judgement", documentation: tool.overallRule, insertText: ctx.hasColon ? OVERALL_KEY : `${OVERALL_KEY}: `, sortText: "1overall", start: ctx.start, end: ctx.end });
  }
  return out;
}

function judgementItems(tool: ToolView, domainId: string | undefined, ctx: Context, out: CompletionItem[]): CompletionItem[] {
  const domain = domainId ? tool.domains.find((d) => d.id === domainId) : undefined;
  const allowed = domain?.allowed ?? tool.judgements;
  allowed.forEach((j, i) => {
    const def = tool.def?.judgements.find((x) => x.id === j);
    out.push({ label: j, kind: "value", detail: def?.meaning ?? (j === "not-applicable" ? "Not applicable" : undefined), insertText: j, sortText: `0${i}`, start: ctx.start, end: ctx.end });
  });
  return out;
}

/** A whole study record with every domain of the file's tool. */
function studySnippet(tool: ToolView, analysis: ProtocolAnalysis, start: number, end: number): CompletionItem {
  const lines = studyRecordLines(tool, { outcomes: analysis.context.outcomes.map((o) => o.id), arms: analysis.context.arms, snippet: true });
  return {
    label: `study (${tool.id})`,
    kind: "snippet",
    detail: `A new study record with every ${tool.id} domain`,
    insertText: lines.join("\n"),
    snippet: true,
    sortText: "0",
    start,
    end,
  };
}
