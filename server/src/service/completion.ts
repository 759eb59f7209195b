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
import { contextAt, fieldAround, type CompletionItem, type Context, type Segment } from "./completion-context";

export type { CompletionItem };
import { evidenceItems } from "./evidence-completion";
import { authorList } from "./markdown";
import { plotKeyValues } from "./plot-keys";
import { methodKeyValues } from "./random-effects-keys";

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

/** The items at the cursor, snippets as they are. */
function completeSnippets(analysis: ProtocolAnalysis, offset: number, snippets: boolean): CompletionItem[] {
  const text = analysis.parsed.text;
  const ctx = contextAt(text, offset);
  if (!ctx) return [];
  if ("citation" in ctx) return citationItems(analysis, ctx.start, ctx.end);
  const { path, position, start, end } = ctx;
  const last = path[path.length - 1];
  // Citation keys: cite, update_of, excluded_studies[].cite
  if (position === "value" && (last === "cite" || (path.length === 1 && last === "update_of"))) return citationItems(analysis, start, end);
  const out: CompletionItem[] = [];
  const add = (item: Omit<CompletionItem, "start" | "end">) => out.push({ ...item, start, end });
  const asked = { analysis, ctx, text, offset, out, add };
  if (path[0] === "studies" && path[1] === "[]" && studyItems(asked)) return out;
  if (path[0] === "analyses" && path[1] === "[]" && analysisItems(asked, snippets)) return out;
  if ((path[0] === "certainty" || path[0] === "flow") && evidenceItems(analysis, ctx, offset, add)) return out;
  if (path.length === 2 && path[0] === "bias" && last === "tool" && position === "value") {
    for (const t of TOOLS) add({ label: t.id, kind: "value", detail: t.name, documentation: `${t.per === "study" ? "Judged per study" : "Judged per study and outcome"}. Domains: ${t.domains.map((d) => d.id).join(", ")}`, insertText: t.id, sortText: `1${TOOLS.indexOf(t)}` });
    add({ label: CUSTOM_TOOL_ID, kind: "value", detail: "Custom tool: domains from bias.domains", insertText: CUSTOM_TOOL_ID, sortText: "9" });
    return out;
  }
  if (path.length === 1 && last === "stage" && position === "value") {
    for (const s of REVIEW_STAGES) add({ label: s.id, kind: "value", detail: s.name, insertText: s.id, sortText: `1${REVIEW_STAGES.indexOf(s)}` });
    return out;
  }
  // Section 8.1's random-effects settings: each method explained, with its source.
  const methodValues = position === "value" ? methodKeyValues(path) : undefined;
  if (methodValues) {
    methodValues.forEach((v, i) => add({ label: v.label, kind: "value", detail: v.detail, documentation: v.documentation, insertText: v.insertText, sortText: `1${i}` }));
    return out;
  }
  // The keys that shape a forest plot: values that say what each gives.
  const plotValues = position === "value" ? plotKeyValues(analysis, offset, path, fieldAround(text, offset, "analyses", "measure")) : undefined;
  if (plotValues) {
    plotValues.forEach((v, i) => add({ label: v.label, kind: "value", detail: v.detail, insertText: v.insertText, sortText: `1${i}` }));
    return out;
  }
  // Items added above (a certainty entry's domains) come first; the schema adds the keys they do not cover.
  const own = new Set(out.map((i) => i.label));
  const items = schemaItems(asked);
  return items.filter((item, i) => i < own.size || !own.has(item.label));
}

/** What a completion is asked: about which protocol, where, and where its items go. */
interface Asked {
  analysis: ProtocolAnalysis;
  ctx: Context;
  text: string;
  offset: number;
  out: CompletionItem[];
  add(item: Omit<CompletionItem, "start" | "end">): void;
}

/** A key of the mapping the cursor is in. */
function keyItem({ ctx, add }: Asked, key: string, detail?: string, documentation?: string, sort = "1"): void {
  add({ label: key, kind: "key", detail, documentation, insertText: ctx.hasColon ? key : `${key}: `, sortText: `${sort}${key}` });
}

/** Inside a study: risk-of-bias domains, judgements, outcome statuses, ORBIT letters, arms, a new study. True when it answered. */
function studyItems(asked: Asked): boolean {
  const { analysis, ctx, text, offset, out, add } = asked;
  const { path, position, start, end } = ctx;
  // A study's own tool (by its design, read from the text: mid-typing the study may not parse); a new study item gets the protocol's.
  const tool = path.length > 2 ? toolFor(analysis.context.tools, fieldAround(text, offset, "studies", "design")) : analysis.context.tool;
  if (!tool) return false;
  const r = path.slice(2);
  if (r[0] === "risk_of_bias" && biasItems(asked, tool, r)) return true;
  if (r[0] === "outcomes") {
    if (position === "key" && r.length === 1) {
      outcomeKeys(analysis, ctx, out, false);
      return true;
    }
    if (position === "value" && (r.length === 2 || (r.length === 3 && r[2] === "status"))) {
      for (const s of OUTCOME_STATUSES) add({ label: s.id, kind: "value", detail: s.meaning, insertText: s.id, sortText: `1${OUTCOME_STATUSES.indexOf(s)}` });
      return true;
    }
    if (position === "value" && r.length === 3 && r[2] === "orbit") {
      for (const o of ORBIT) add({ label: o.letter, kind: "value", detail: ORBIT_MEANING.get(o.letter), insertText: o.letter, sortText: `1${o.letter}` });
      return true;
    }
  }
  if (r[0] === "arms" && position === "value") {
    for (const id of analysis.context.arms) add({ label: id, kind: "reference", detail: armDetail(analysis, id), insertText: id, sortText: `1${id}` });
    return true;
  }
  if (position === "key" && r.length === 0 && ctx.newItem && path.length === 2) out.push(studySnippet(tool, analysis, start, end));
  return false;
}

/** Under `risk_of_bias`: outcome keys (per-outcome tools), domain keys, a judgement's keys, judgement values. True when it answered. */
function biasItems(asked: Asked, tool: ToolView, r: readonly Segment[]): boolean {
  const { analysis, ctx, out } = asked;
  const position = ctx.position;
  const perOutcome = tool.per === "outcome";
  const domainDepth = perOutcome ? 3 : 2;
  if (position === "key" && r.length === 1 && perOutcome) {
    outcomeKeys(analysis, ctx, out, true);
    return true;
  }
  if (position === "key" && r.length === domainDepth - 1) {
    domainKeys(tool, ctx, out);
    return true;
  }
  if (position === "key" && r.length === domainDepth) {
    const domain = tool.domains.find((d) => d.id === r[domainDepth - 1]);
    for (const k of ["judgement", "support", ...(domain?.applicability ? ["applicability"] : [])].filter((k) => !ctx.present.has(k))) keyItem(asked, k);
    return true;
  }
  // Values: judgements of the tool (the domain's own allowed values).
  const domainId = r[domainDepth - 1];
  const isJudgement =
    position === "value" && ((r.length === domainDepth && domainId !== undefined) || (r.length === domainDepth + 1 && (r[domainDepth] === "judgement" || r[domainDepth] === "applicability")));
  if (isJudgement) judgementItems(tool, domainId === OVERALL_KEY ? undefined : domainId, ctx, out);
  return isJudgement;
}

/** Inside an analysis: its outcome, the arms it compares, the studies of its data rows. True when it answered. */
function analysisItems(asked: Asked, snippets: boolean): boolean {
  const { analysis, ctx, text, offset, add } = asked;
  const r = ctx.path.slice(2);
  const position = ctx.position;
  if (position === "value" && r.length === 1 && r[0] === "outcome") {
    for (const o of analysis.context.outcomes) add({ label: o.id, kind: "reference", detail: o.role, insertText: o.id, sortText: `1${o.id}` });
    return true;
  }
  if (position === "value" && r[0] === "compare") {
    analysis.context.arms.forEach((id, i) => add({ label: id, kind: "reference", detail: armDetail(analysis, id), insertText: id, sortText: `1${i}` }));
    return true;
  }
  const inData = (r.length === 1 && r[0] === "data") || (r.length === 4 && r[0] === "subgroups" && r[3] === "data");
  if (!inData || position !== "key") return false;
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
  return true;
}

/** Anywhere else: the schema's keys, or its values (enums, booleans, literals). */
function schemaItems(asked: Asked): CompletionItem[] {
  const { ctx, out, add } = asked;
  const schema = schemaFor(ctx.path);
  if (ctx.position === "key") {
    for (const key of objectKeys(schema)) {
      if (ctx.present.has(key)) continue;
      const child = schemaAt(schema, [key]);
      const required = !(child instanceof z.ZodOptional);
      keyItem(asked, key, required ? "required" : undefined, descriptionOf(child), required ? "0" : "1");
    }
    return out;
  }
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
