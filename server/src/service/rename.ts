/**
 * Rename of outcome, intervention and comparator ids and of source keys: every
 * use in the file. Other places refuse with a reason (prepareRename).
 */
import { SLUG_PATTERN } from "../../../schemas/src/protocol";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";
import type { TextEdit } from "../core/syntax/edits";
import { targetAt } from "./locate";
import { sameId } from "../core/model/ids";
import { references, studyPlaces } from "./navigation";

const CITATION_KEY = /^[\p{L}\p{N}_]([\p{L}\p{N}_:.#$%&\-+?<>~/]*[\p{L}\p{N}_])?$/u;

export type Prepared = { start: number; end: number; placeholder: string } | { error: string };

export function prepareRename(analysis: ProtocolAnalysis, offset: number): Prepared {
  const target = targetAt(analysis, offset);
  if (target?.kind === "outcome" || target?.kind === "arm") {
    return { start: target.start, end: target.end, placeholder: target.id };
  }
  if (target?.kind === "citation" || target?.kind === "source-key") {
    const def = analysis.sources.get(target.key);
    if (!def) return { error: `No source defines '${target.key}'` };
    if (def.kind === "bibliography") return { error: `'${target.key}' is defined in a bibliography file: rename it there` };
    return { start: target.start, end: target.end, placeholder: target.key };
  }
  if (target?.kind === "study" || target?.kind === "data-row") {
    const id = target.kind === "study" ? analysis.studies[target.index]?.checked.model.id?.value : target.study;
    if (id !== undefined) return { start: target.start, end: target.end, placeholder: id };
  }
  return { error: "Only study, outcome, intervention and comparator ids and source keys can be renamed" };
}

export function rename(analysis: ProtocolAnalysis, offset: number, newName: string): TextEdit[] | { error: string } {
  const prepared = prepareRename(analysis, offset);
  if ("error" in prepared) return prepared;
  const target = targetAt(analysis, offset)!;
  if (newName === prepared.placeholder) return [];
  if (target.kind === "study" || target.kind === "data-row") {
    if (!newName.trim()) return { error: "A study id cannot be empty" };
    if (analysis.studies.some((s) => s.checked.model.id && sameId(s.checked.model.id.value, newName))) return { error: `'${newName}' is already a study id` };
    // The id and every data row that names it; keys are quoted when YAML would read them otherwise.
    const places = studyPlaces(analysis, prepared.placeholder);
    const keyText = /^[\p{L}\p{N}_][\p{L}\p{N}_ ().'-]*$/u.test(newName) && !/ $/.test(newName) ? newName : JSON.stringify(newName);
    return places.map((p) => ({ from: p.start, to: p.end, text: keyText }));
  }
  if (target.kind === "outcome" || target.kind === "arm") {
    if (!SLUG_PATTERN.test(newName)) return { error: `'${newName}' is not a valid id: use lower-case letters, digits and hyphens` };
    const taken = [...analysis.context.outcomes.map((o) => o.id), ...analysis.context.arms];
    if (taken.includes(newName)) return { error: `'${newName}' is already an id in this protocol` };
  } else {
    if (!CITATION_KEY.test(newName)) return { error: `'${newName}' is not a valid citation key` };
    if (analysis.sources.has(newName)) return { error: `'${newName}' is already a citation key` };
  }
  const places = references(analysis, offset, true) ?? [];
  return places.filter((p) => p.path === undefined).map((p) => ({ from: p.start, to: p.end, text: newName }));
}
