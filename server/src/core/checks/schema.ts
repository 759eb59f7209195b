/**
 * Validates plain values with the zod schemas (the source of truth) and maps
 * every issue to the node the contract prescribes: wrong values to the value,
 * unknown keys to the key, missing keys to the key that holds the mapping (a
 * list item's first key; the document's first key at the top).
 */
import { z } from "zod";
import { diagnostic, type Diagnostic } from "./diagnostics";
import { yamlScalar } from "../syntax/edits";
import { replacements, withFixes, type FixDescription } from "./fixes";
import { didYouMean, listOf, nearest } from "../syntax/suggest";
import { nodeAtPath, toPlain, type PairNode, type PathSegment, type SeqNode, type TreeNode } from "../syntax/tree";
import type { ParsedProtocol, Section } from "../syntax/parse";
import { appendAll } from "../syntax/arrays";
import { Protocol } from "../../../../schemas/src/protocol";
import { spanOf, type Span } from "../syntax/span";

/** Where a path's node is: the node (relative offsets), the pair holding it, and its chunk's base. */
interface Located {
  node: TreeNode | null | undefined;
  pair?: PairNode;
  base: number;
}

export interface SchemaTarget {
  schema: z.ZodType;
  /** The plain value validated (the tree's `toPlain`). */
  value: unknown;
  /** What `value` is, for messages (e.g. "study 'Baxter 2025'"); the protocol when absent. */
  label?: string;
  /** Issues at these paths are left to other checks. */
  ignore?(path: readonly PathSegment[]): boolean;
  locate(path: readonly PathSegment[]): Located;
  /** Validate only the value at this path (its issues keep their whole path); the root when absent. */
  at?: readonly PathSegment[];
  /** Absolute span where a missing key of the root mapping is reported. */
  rootHolder: Span;
}

/** A value to write for a missing key: valid where it can be, an obvious blank otherwise. */
function placeholder(schema: z.ZodType | undefined): string {
  const t = unwrap(schema);
  if (t instanceof z.ZodLiteral) return String((t.values as Set<unknown>).values().next().value);
  if (t instanceof z.ZodEnum) return String(t.options[0]);
  if (t instanceof z.ZodArray) return "[]";
  if (t instanceof z.ZodNumber) return "1";
  if (t instanceof z.ZodBoolean) return "false";
  if (t instanceof z.ZodObject) {
    const required = Object.entries(t.shape as Record<string, z.ZodType>).filter(([, v]) => !(v instanceof z.ZodOptional));
    return required.length ? `{ ${required.map(([k, v]) => `${k}: ${placeholder(v)}`).join(", ")} }` : "{}";
  }
  return '""';
}

interface Leaf {
  code: string;
  path: PathSegment[];
  schema: z.ZodType | undefined;
  expected?: string[];
  values?: unknown[];
  keys?: string[];
  message: string;
  format?: string;
  minimum?: unknown;
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  let t = s;
  while (t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap() as z.ZodType;
  return t;
}

function child(s: z.ZodType | undefined, seg: PathSegment): z.ZodType | undefined {
  const t = unwrap(s);
  if (t instanceof z.ZodObject) return (t.shape as Record<string, z.ZodType>)[String(seg)];
  if (t instanceof z.ZodArray) return t.element as z.ZodType;
  if (t instanceof z.ZodRecord) return t.valueType as z.ZodType;
  if (t instanceof z.ZodUnion) {
    for (const option of t.options as z.ZodType[]) {
      const found = child(option, seg);
      if (found) return found;
    }
  }
  return undefined;
}

export function schemaAt(s: z.ZodType | undefined, path: readonly PathSegment[]): z.ZodType | undefined {
  let t = s;
  for (const seg of path) t = child(t, seg);
  return t;
}

/** The description of a schema, looking through optional wrappers. */
export function descriptionOf(s: z.ZodType | undefined): string | undefined {
  let t = s;
  while (t) {
    if (t.description) return t.description;
    if (t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap() as z.ZodType;
    else return undefined;
  }
  return undefined;
}

/** Keys an object schema allows (after unwrapping optionals). */
export function objectKeys(s: z.ZodType | undefined): string[] {
  const t = unwrap(s);
  if (t instanceof z.ZodObject) return Object.keys(t.shape);
  if (t instanceof z.ZodUnion) return [...new Set((t.options as z.ZodType[]).flatMap(objectKeys))];
  return [];
}

function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return v;
}

/** Turns zod issues into leaves, choosing for each failed union the branch the author meant. */
function flatten(issues: readonly z.core.$ZodIssue[], schema: z.ZodType | undefined, prefix: PathSegment[], root: unknown, out: Leaf[]): void {
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    const at = schemaAt(schema, issue.path as PathSegment[]);
    if (issue.code === "invalid_union") {
      const options = ((unwrap(at) as z.ZodUnion | undefined)?.options ?? []) as z.ZodType[];
      const value = valueAt(root, path);
      const branches = issue.errors.map((errs, i) => ({ errs, schema: options[i], i }));
      const fitting = branches.filter(
        (b) => !b.errs.some((e) => e.path.length === 0 && (e.code === "invalid_type" || (e.code === "invalid_value" && typeof value !== "string"))),
      );
      if (fitting.length) {
        fitting.sort((a, b) => a.errs.length - b.errs.length || a.i - b.i);
        flatten(fitting[0]!.errs, fitting[0]!.schema, path, root, out);
      } else {
        const expected = branches.flatMap((b) =>
          b.errs.filter((e) => e.path.length === 0).map((e) => (e.code === "invalid_type" ? String(e.expected) : e.code === "invalid_value" ? `one of ${e.values.join(", ")}` : "")),
        );
        out.push({ code: "invalid_type", path, schema: at, expected: [...new Set(expected.filter(Boolean))], message: issue.message });
      }
      continue;
    }
    const leaf: Leaf = { code: issue.code, path, schema: at, message: issue.message };
    if (issue.code === "invalid_type") leaf.expected = [String(issue.expected)];
    if (issue.code === "invalid_value") leaf.values = issue.values as unknown[];
    if (issue.code === "unrecognized_keys") leaf.keys = issue.keys;
    if (issue.code === "invalid_format") leaf.format = issue.message;
    if (issue.code === "too_small") leaf.minimum = issue.minimum;
    out.push(leaf);
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping (key: value lines)",
  record: "a mapping (key: value lines)",
};

function typeWord(t: string, schema: z.ZodType | undefined): string {
  const s = unwrap(schema);
  if (t === "number" && s instanceof z.ZodNumber && s.format === "safeint") return (s.minValue ?? 0) > 0 ? "a positive whole number" : "a whole number";
  return TYPE_WORDS[t] ?? t;
}

function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "an empty value";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `'${v.length > 40 ? v.slice(0, 40) + "…" : v}'`;
  return String(v);
}

/** "outcomes[1] ('adverse-events')" style names for messages. */
function describePath(path: readonly PathSegment[], root: unknown, label?: string): string {
  if (!path.length) return label ?? "the protocol";
  let s = "";
  for (const seg of path) s += typeof seg === "number" ? `[${seg}]` : s ? `.${seg}` : seg;
  if (label) s = `${label}, ${s}`;
  const last = path[path.length - 1];
  if (typeof last === "number") {
    const item = valueAt(root, path);
    const name = item && typeof item === "object" ? ((item as Record<string, unknown>).id ?? (item as Record<string, unknown>).key ?? (item as Record<string, unknown>).name) : undefined;
    if (typeof name === "string" || typeof name === "number") s += ` ('${name}')`;
  }
  return s;
}

function keyName(path: readonly PathSegment[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === "string") return String(path[i]);
  return "value";
}

export function schemaDiagnostics(target: SchemaTarget): Diagnostic[] {
  const at = target.at ?? [];
  const schema = at.length ? schemaAt(target.schema, at) : target.schema;
  if (!schema) return [];
  const result = schema.safeParse(at.length ? valueAt(target.value, at) : target.value);
  if (result.success) return [];
  const leaves: Leaf[] = [];
  flatten(result.error.issues, schema, [...at], target.value, leaves);
  const out: Diagnostic[] = [];
  for (const leaf of leaves) {
    if (target.ignore?.(leaf.path)) continue;
    const value = valueAt(target.value, leaf.path);
    if (leaf.code === "unrecognized_keys") unknownKeys(target, leaf, out);
    else if ((leaf.code === "invalid_type" || leaf.code === "invalid_value") && value === undefined && leaf.path.length) out.push(missingKey(target, leaf));
    else {
      const d = wrongValue(target, leaf, value);
      if (d) out.push(d);
    }
  }
  return out;
}

/** "outcomes[1] ('adverse-events')", or the target's label, for messages. */
function nameOf(target: SchemaTarget, path: readonly PathSegment[]): string {
  return describePath(path, target.value, target.label);
}

/** Each key the schema does not know, on the key, with the nearest allowed keys as fixes. */
function unknownKeys(target: SchemaTarget, leaf: Leaf, out: Diagnostic[]): void {
  const allowed = objectKeys(leaf.schema);
  for (const key of leaf.keys ?? []) {
    const keyLoc = target.locate([...leaf.path, key]);
    if (!keyLoc.pair) continue;
    const suggestions = nearest(key, allowed);
    const where = leaf.path.length || target.label ? ` in ${nameOf(target, leaf.path)}` : "";
    const at = keyLoc.pair.key;
    const d = diagnostic("schema-unknown-key", keyLoc.base + at.start, keyLoc.base + at.end, `Unknown key '${key}'${where}${didYouMean(suggestions)}`, { key, suggestions, allowed });
    out.push(withFixes(d, replacements(at, suggestions), keyLoc.base));
  }
}

/** A required key that is absent: on the key that holds its mapping, with a fix that adds it. */
function missingKey(target: SchemaTarget, leaf: Leaf): Diagnostic {
  const missing = String(leaf.path[leaf.path.length - 1]);
  const container = leaf.path.slice(0, -1);
  const span = holderSpan(target, container);
  const value = placeholder(leaf.schema);
  const d = diagnostic("schema-required", span.start, span.end, `Missing required key '${missing}' in ${nameOf(target, container)}: add \`${missing}:\``, {
    key: missing,
    path: container,
    placeholder: value,
  });
  return withFixes(d, [requiredFix(target, container, missing, value)]);
}

/** A value of the wrong kind, form or size, or not one of the allowed values: on the value. */
function wrongValue(target: SchemaTarget, leaf: Leaf, value: unknown): Diagnostic | undefined {
  const loc = target.locate(leaf.path);
  const node = loc.node ?? loc.pair?.key;
  if (!node) return undefined;
  const [s, e] = [loc.base + node.start, loc.base + node.end];
  const subject = `'${keyName(leaf.path)}'` + (leaf.path.length > 1 || target.label ? ` (${nameOf(target, leaf.path)})` : "");
  if (leaf.code === "too_small" && Array.isArray(value) && value.length === 0) {
    // A required list that is empty (`outcomes: []`): reported on its key, as a missing key is.
    const holder = loc.pair?.key ?? node;
    return diagnostic("schema-required", loc.base + holder.start, loc.base + holder.end, `${subject} needs at least one item${keyName(leaf.path) === "outcomes" ? ": a protocol needs at least one outcome" : ""}`, {
      key: keyName(leaf.path),
      minimum: leaf.minimum,
    });
  }
  const literal = unwrap(leaf.schema);
  if (leaf.code === "invalid_value" && literal instanceof z.ZodLiteral && typeof value === "string") {
    const expected = [...(literal.values as Set<unknown>)];
    if (expected.some((x) => typeof x === "number" && String(x) === value.trim())) {
      const d = diagnostic("schema-type", s, e, `${subject} must be the integer ${value.trim()}, not the string "${value}": remove the quotes`, { expected: "integer", value });
      return withFixes(d, replacements(node, [value.trim()], (c) => `Write ${c} without quotes`), loc.base);
    }
  }
  if (leaf.code === "invalid_value") {
    const expected = (leaf.values ?? []).map(String);
    const suggestions = typeof value === "string" ? nearest(value, expected) : [];
    // Without a near value, the few allowed ones are offered as guesses: never preferred, never in fix-all.
    const candidates = suggestions.length ? suggestions : expected.length <= 8 ? expected : [];
    const message = `${describeValue(value)} is not allowed for ${subject}; expected ${expected.length > 1 ? "one of " : ""}${listOf(expected, "or")}${didYouMean(suggestions)}`;
    const quoted = node.kind === "scalar" && node.style.startsWith("QUOTE");
    return withFixes(diagnostic("schema-enum", s, e, message, { value, expected, suggestions }), replacements(node, quoted ? candidates : candidates.map(yamlScalar), undefined, suggestions.length > 0), loc.base);
  }
  const expectation = expectationOf(leaf);
  const data: Record<string, unknown> = { expected: expectation };
  let hint = "";
  if (leaf.code === "invalid_format" && typeof value === "string") {
    const slug = value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (slug && slug !== value && /slug/.test(expectation)) {
      data.suggestions = [slug];
      hint = ` — e.g. '${slug}'`;
    }
  }
  const d = diagnostic("schema-type", s, e, `${subject} must be ${expectation}; found ${describeValue(value)}${hint}`, data);
  return withFixes(d, replacements(node, (data.suggestions as string[] | undefined) ?? []), loc.base);
}

/** What the value must be, in words. */
function expectationOf(leaf: Leaf): string {
  if (leaf.code === "invalid_format") return leaf.format ?? "a different form";
  if (leaf.code === "too_small") return leaf.minimum === 0 ? "positive" : `at least ${String(leaf.minimum)}`;
  if (leaf.expected?.length) return listOf(leaf.expected.map((t) => typeWord(t, leaf.schema)), "or");
  return leaf.message;
}

/** The fix (in the target's absolute coordinates) that adds `key: value` to the mapping at `container`. */
function requiredFix(target: SchemaTarget, container: readonly PathSegment[], key: string, value: string): FixDescription {
  const title = `Add '${key}: ${value}'`;
  const loc = target.locate(container);
  const map = loc.node;
  if (map?.kind === "map" && (map.pairs.length || map.flow)) {
    return { kind: "add-pairs", title, into: [{ map: loc.base + map.start, pairs: [{ key, flow: value, after: String(map.pairs[map.pairs.length - 1]?.key.value) }] }] };
  }
  // The top level (or an empty mapping): a new line after the holder's line.
  return { kind: "add-line", title, holder: holderSpan(target, container).start, nested: container.length > 0, key, value };
}

/** Where a missing key of the mapping at `container` is reported. */
function holderSpan(target: SchemaTarget, container: readonly PathSegment[]): Span {
  if (!container.length) return target.rootHolder;
  const loc = target.locate(container);
  const last = container[container.length - 1];
  if (typeof last === "number") {
    const first = loc.node?.kind === "map" ? loc.node.pairs[0] : undefined;
    const n = first ? first.key : loc.node;
    if (n) return spanOf(n, loc.base);
  }
  if (loc.pair) return spanOf(loc.pair.key, loc.base);
  if (loc.node) return spanOf(loc.node, loc.base);
  return target.rootHolder;
}

/**
 * Lists this long are validated item by item (the same issues, paths and
 * messages): one plain copy of a list of a million items, and zod's copy of it,
 * were hundreds of MB at once.
 */
const ITEM_BY_ITEM = 512;

/** The top level of a protocol against the schema; `studies` and `analyses` items are validated one by one, with their own checks. */
export function protocolSchemaDiagnostics(parsed: ParsedProtocol): Diagnostic[] {
  const plain: Record<string, unknown> = {};
  const long: Section[] = [];
  for (const s of parsed.sections) {
    // An empty `studies:` is an empty list.
    if ((s.key === "studies" || s.key === "analyses") && (s.value === null || s.value.kind === "seq" || (s.value.kind === "scalar" && s.value.value === null))) continue;
    if (s.value?.kind === "seq" && s.value.items.length >= ITEM_BY_ITEM && unwrap(schemaAt(Protocol, [s.key])) instanceof z.ZodArray) {
      long.push(s);
      plain[s.key] = [];
    } else plain[s.key] = toPlain(s.value);
  }
  const target: SchemaTarget = {
    schema: Protocol,
    value: plain,
    locate(path) {
      const s = parsed.sections.find((x) => x.key === path[0]);
      if (!s) return { node: undefined, base: 0 };
      if (path.length === 1) return { node: s.value, pair: { key: s.keyNode, value: s.value }, base: s.base };
      return { ...nodeAtPath(s.value, path.slice(1)), base: s.base };
    },
    // A long list stands in as empty: its own length is not in question.
    ignore: (path) => path.length === 1 && long.some((s) => s.key === path[0]),
    rootHolder: parsed.firstKey,
  };
  const out = schemaDiagnostics(target);
  for (const s of long) longListDiagnostics(target, s, out);
  return out;
}

/** A long list's items one at a time (each plain copy dropped before the next); the same diagnostics as the list at once. */
function longListDiagnostics(target: SchemaTarget, section: Section, out: Diagnostic[]): void {
  const element = schemaAt(Protocol, [section.key, 0])!;
  const items = (section.value as SeqNode).items;
  for (let i = 0; i < items.length; i++) {
    const value = toPlain(items[i]);
    if (element.safeParse(value).success) continue;
    // Only the item is there: messages that name it find it at its index.
    const list: unknown[] = [];
    list[i] = value;
    appendAll(out, schemaDiagnostics({ ...target, ignore: undefined, value: { ...(target.value as object), [section.key]: list }, at: [section.key, i] }));
  }
}
