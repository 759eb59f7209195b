/**
 * The protocol's own declarations as typed values at the document's offsets:
 * its outcomes, the question's arms, the `sources` entries, its stage, and the
 * citations written outside the studies. Each reader takes a section's value
 * and the section's place (`base`).
 */
import { textCitations, type CitationRef } from "../syntax/citations";
import type { ParsedProtocol, Section } from "../syntax/parse";
import { spanOf, type Span } from "../syntax/span";
import { forEachScalar, scalarText, stringOf, valueOf, type TreeNode } from "../syntax/tree";

/** A protocol outcome (`outcomes:` list item), at the document's offsets. */
export interface OutcomeModel {
  id: string;
  idSpan: Span;
  /** The list item. */
  span: Span;
  name?: string;
  role?: string;
  participant?: string;
  type?: string;
  description?: string;
  harm: boolean;
  /** Which way is good (`lower-is-better` | `higher-is-better`): sets the forest plot's labels. */
  direction?: string;
}

/** An arm of the question (`question.interventions` / `comparators` item), at the document's offsets. */
export interface ArmModel {
  id: string;
  idSpan: Span;
  span: Span;
  list: "interventions" | "comparators";
  description?: string;
}

/** The arms the question declares (its value, offsets shifted by `base`). */
export function readArms(question: TreeNode | null | undefined, base: number): ArmModel[] {
  const out: ArmModel[] = [];
  for (const list of ["interventions", "comparators"] as const) {
    const items = valueOf(question, list);
    if (items?.kind !== "seq") continue;
    for (const item of items.items) {
      const idNode = valueOf(item, "id");
      const id = scalarText(idNode);
      if (!idNode || id === undefined) continue;
      out.push({ id, idSpan: spanOf(idNode, base), span: spanOf(item, base), list, description: scalarText(valueOf(item, "description")) });
    }
  }
  return out;
}

/** The question's population as described (`question.population.description`), for the summary of findings' heading. */
export function readPopulation(question: TreeNode | null | undefined): string | undefined {
  return stringOf(valueOf(valueOf(question, "population"), "description"))?.trim() || undefined;
}

/** The protocol's outcomes (the `outcomes` section's value, its offsets shifted by `base`). */
export function readOutcomes(list: TreeNode | null | undefined, base: number): OutcomeModel[] {
  if (list?.kind !== "seq") return [];
  const out: OutcomeModel[] = [];
  for (const item of list.items) {
    const idNode = valueOf(item, "id");
    const id = stringOf(idNode);
    if (!idNode || id === undefined) continue;
    const harm = valueOf(item, "harm");
    out.push({
      id,
      idSpan: spanOf(idNode, base),
      span: spanOf(item, base),
      name: stringOf(valueOf(item, "name")),
      role: stringOf(valueOf(item, "role")),
      participant: scalarText(valueOf(item, "participant")),
      type: scalarText(valueOf(item, "type")),
      description: scalarText(valueOf(item, "description")),
      harm: harm?.kind === "scalar" && harm.value === true,
      direction: scalarText(valueOf(item, "direction")),
    });
  }
  return out;
}

/** A `sources` entry: a document with its key, or a bibliography. */
export interface SourceEntryModel {
  key?: string;
  file?: string;
  bibliography?: string;
  /** The list item. */
  span: Span;
  /** Its `key`, else its `bibliography` value, else the item. */
  nameSpan: Span;
}

export function readSourceEntries(list: TreeNode | null | undefined, base: number): SourceEntryModel[] {
  if (list?.kind !== "seq") return [];
  return list.items.map((item) => {
    const named = valueOf(item, "key") ?? valueOf(item, "bibliography") ?? item;
    const entry: SourceEntryModel = { span: spanOf(item, base), nameSpan: spanOf(named, base) };
    const key = scalarText(valueOf(item, "key"));
    const file = scalarText(valueOf(item, "file"));
    const bibliography = scalarText(valueOf(item, "bibliography"));
    if (key !== undefined) entry.key = key;
    if (file !== undefined) entry.file = file;
    if (bibliography !== undefined) entry.bibliography = bibliography;
    return entry;
  });
}

/** What the file is (contract section 2): a protocol (the default) or a completed review. */
export interface StageModel {
  review: boolean;
  /** The `stage` value as written, at the document's offsets. */
  value?: Span & { text: string };
}

/** The `stage` section's value (its offsets shifted by `base`). */
export function readStage(node: TreeNode | null | undefined, base: number): StageModel {
  const text = node?.kind === "scalar" ? scalarText(node) : undefined;
  if (!node || text === undefined) return { review: false };
  return { review: text === "review", value: { text, ...spanOf(node, base) } };
}

/** Citations outside the studies (absolute offsets): update_of, excluded studies, [@key] in any text. */
export function readCitations(parsed: ParsedProtocol): CitationRef[] {
  const refs: CitationRef[] = [];
  const bare = (section: Section | undefined, node: TreeNode | null | undefined) => {
    const key = stringOf(node);
    if (section && node && key !== undefined) refs.push({ key, ...spanOf(node, section.base) });
  };
  const inText = (base: number, node: TreeNode | null) => {
    // Most sections hold no `@` at all: their text says so without a walk over every value.
    if (!node || !parsed.text.slice(base + node.start, base + node.end).includes("@")) return;
    forEachScalar(node, (n) => {
      if (typeof n.value !== "string" || !n.value.includes("@")) return;
      for (const c of textCitations(parsed.text.slice(base + n.start, base + n.end), base + n.start)) refs.push(c);
    });
  };
  for (const s of parsed.sections) {
    if (s.key === "studies") continue; // each study's model has its citations
    if (s.key === "update_of") bare(s, s.value);
    if (s.key === "excluded_studies" && s.value?.kind === "seq") for (const item of s.value.items) bare(s, valueOf(item, "cite"));
    // Analyses read item by item are not in their section's value; read whole they are: take the items either way.
    if (s.key !== "analyses" || !parsed.analyses.length) inText(s.base, s.value);
  }
  for (const item of parsed.analyses) inText(item.base, item.node);
  return refs;
}
