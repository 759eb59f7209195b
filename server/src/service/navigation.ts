/**
 * Go to definition and find references, as plain data: places are offsets in
 * this protocol, or a path and offset in a source file.
 */
import type { ProtocolAnalysis, StudyInfo } from "../core/analyzer/analyzer";
import { sameId } from "../core/model/ids";
import { spanOf } from "../core/syntax/span";
import { targetAt } from "./locate";

export type Place = { path?: undefined; start: number; end: number } | { path: string; start: number; end: number };

/** Every citation of a key: in the studies (from their models) and elsewhere. */
function citationPlaces(analysis: ProtocolAnalysis, key: string): Place[] {
  const out: Place[] = [];
  for (const { base, checked } of analysis.studies) {
    const { cite, citations } = checked.model;
    if (cite?.value === key) out.push(spanOf(cite, base));
    for (const c of citations) if (c.key === key) out.push(spanOf(c, base));
  }
  for (const c of analysis.citations) if (c.key === key) out.push({ start: c.start, end: c.end });
  return out.sort((a, b) => a.start - b.start);
}

/** The declaration of an outcome, intervention or comparator id (its `id` value). */
function declaration(analysis: ProtocolAnalysis, kind: "outcome" | "arm", id: string): Place | undefined {
  const declared = (kind === "outcome" ? analysis.outcomes : analysis.arms).find((x) => x.id === id);
  return declared ? { ...declared.idSpan } : undefined;
}

/** Every use of an outcome or arm id in the studies. */
function uses(analysis: ProtocolAnalysis, kind: "outcome" | "arm", id: string): Place[] {
  const out: Place[] = [];
  for (const { model } of analysis.studies) {
    if (kind === "arm") {
      for (const a of model.arms) if (a.value === id) out.push({ start: a.start, end: a.end });
      continue;
    }
    for (const o of model.outcomes ?? []) if (o.id === id) out.push({ ...o.keySpan });
    if (model.bias?.perOutcome) for (const b of model.bias.byOutcome) if (b.outcome === id) out.push({ ...b.keySpan });
  }
  for (const a of analysis.metaAnalyses) {
    if (kind === "outcome" && a.outcome === id && a.outcomeSpan) out.push({ ...a.outcomeSpan });
    if (kind === "arm") for (const c of a.compare) if (c.id === id) out.push({ ...c.span });
  }
  return out;
}

export function definition(analysis: ProtocolAnalysis, offset: number): Place | undefined {
  const target = targetAt(analysis, offset);
  if (!target) return undefined;
  if (target.kind === "citation" || target.kind === "source-key") {
    const def = analysis.sources.get(target.key);
    if (!def) return undefined;
    if (def.path) {
      const at = def.entry ? def.entry.offset : (def.meta.positions.title ?? 0);
      return { path: def.path, start: at, end: at };
    }
    return { start: def.start, end: def.end };
  }
  if (target.kind === "outcome" || target.kind === "arm") return declaration(analysis, target.kind, target.id);
  if (target.kind === "data-row") return studyPlaces(analysis, target.study).find((p) => analysis.studies.some((s) => isStudyId(s, p)));
  // A certainty entry's analysis: the analysis it rates.
  if (target.kind === "certainty" && target.field.length === 1 && target.field[0] === "analysis" && !target.onKey) {
    const rated = analysis.metaAnalyses.find((a) => a.id === target.value);
    return rated ? { ...rated.idSpan } : undefined;
  }
  return undefined;
}

/** Whether `place` is where the study's id is written. */
function isStudyId(s: StudyInfo, place: Place): boolean {
  const id = s.checked.model.id;
  return id !== undefined && s.base + id.start === place.start;
}

/** A study's id and every data row that names it. */
export function studyPlaces(analysis: ProtocolAnalysis, id: string): Place[] {
  const out: Place[] = [];
  for (const { base, checked } of analysis.studies) {
    const study = checked.model.id;
    if (study && sameId(study.value, id)) out.push(spanOf(study, base));
  }
  for (const a of analysis.metaAnalyses) for (const g of a.groups) for (const r of g.rows) if (r.index === 0 && sameId(r.study, id)) out.push({ ...r.key });
  return out.sort((x, y) => x.start - y.start);
}

function studyIdAt(analysis: ProtocolAnalysis, target: NonNullable<ReturnType<typeof targetAt>>): string | undefined {
  if (target.kind === "data-row") return target.study;
  if (target.kind === "study") return analysis.studies[target.index]?.checked.model.id?.value;
  return undefined;
}

export function references(analysis: ProtocolAnalysis, offset: number, includeDeclaration: boolean): Place[] | undefined {
  const target = targetAt(analysis, offset);
  if (!target) return undefined;
  const study = studyIdAt(analysis, target);
  if (study !== undefined) {
    const places = studyPlaces(analysis, study);
    return includeDeclaration ? places : places.filter((p) => !analysis.studies.some((s) => isStudyId(s, p)));
  }
  if (target.kind === "citation" || target.kind === "source-key") {
    const places = citationPlaces(analysis, target.key);
    const def = analysis.sources.get(target.key);
    if (includeDeclaration && def) places.unshift({ start: def.start, end: def.end });
    return places;
  }
  if (target.kind === "outcome" || target.kind === "arm") {
    const places = uses(analysis, target.kind, target.id);
    const decl = declaration(analysis, target.kind, target.id);
    if (includeDeclaration && decl) places.unshift(decl);
    return places;
  }
  return undefined;
}
