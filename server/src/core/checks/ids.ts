/**
 * Ids are unique: interventions, comparators and outcomes together (their ids
 * are one namespace), and studies, compared as authors mean them (NFC, every
 * Unicode space a space: model/ids.ts).
 */
import { normaliseId, showInvisible } from "../model/ids";
import type { ParsedProtocol, Section } from "../syntax/parse";
import { shift } from "../syntax/span";
import { scalarText, valueOf, type TreeNode } from "../syntax/tree";
import { diagnostic, type Diagnostic } from "./diagnostics";
import type { StudyAt } from "./studies";

function slugIds(list: TreeNode | null | undefined): { id: string; node: TreeNode }[] {
  if (list?.kind !== "seq") return [];
  const out: { id: string; node: TreeNode }[] = [];
  for (const item of list.items) {
    const node = valueOf(item, "id");
    const id = scalarText(node);
    if (node && id !== undefined) out.push({ id, node });
  }
  return out;
}

/** Ids of interventions, comparators and outcomes are unique together. */
export function duplicateSlugIds(parsed: ParsedProtocol): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  const question = parsed.sections.find((s) => s.key === "question");
  const outcomes = parsed.sections.find((s) => s.key === "outcomes");
  const groups: [Section | undefined, TreeNode | null | undefined, string][] = [
    [question, valueOf(question?.value, "interventions"), "an intervention"],
    [question, valueOf(question?.value, "comparators"), "a comparator"],
    [outcomes, outcomes?.value, "an outcome"],
  ];
  for (const [section, list, what] of groups) {
    if (!section) continue;
    for (const { id, node } of slugIds(list)) {
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, what);
        continue;
      }
      const { start: s, end: e } = shift(node, section.base);
      out.push(diagnostic("duplicate-id", s, e, `Id '${id}' is already used by ${first}; ids must be unique across interventions, comparators and outcomes`, { id }));
    }
  }
  return out;
}

/** Study ids are compared after NFC, every Unicode space taken as a space: `Müller 2019` in two forms is one id. */
export function duplicateStudyIds(studies: readonly StudyAt[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const { base, checked } of studies) {
    const id = checked.model.id;
    if (!id) continue;
    const key = normaliseId(id.value);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, id.value);
      continue;
    }
    const looks = first === id.value ? "" : ` (written differently: '${showInvisible(first)}' and '${showInvisible(id.value)}' are the same id once Unicode forms and spaces are normalised)`;
    out.push(diagnostic("duplicate-id", base + id.start, base + id.end, `Study id '${id.value}' is used twice${looks}; give each study a unique id (e.g. 'Smith 2001a', 'Smith 2001b')`, { id: id.value }));
  }
  return out;
}
