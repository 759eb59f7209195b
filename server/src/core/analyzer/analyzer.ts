/**
 * Analyses a protocol: parse (chunked, cached) → model → checks. It only
 * orchestrates: reading is the model's (model/, sources/), judging the checks'
 * (checks/). What it keeps between edits are its fields: parsed chunks, each
 * study's and each meta-analysis's reading and checks (by chunk and context),
 * pooled results, bibliographies' definitions and citation suggestions. Pure
 * apart from reading source files through the SourceLoader; never throws.
 */
import { checkCertainty } from "../checks/certainty";
import { CODES, compareDiagnostics, diagnostic, type Diagnostic } from "../checks/diagnostics";
import { checkFlow } from "../checks/flow";
import { unresolvedCitations, type SuggestionCache } from "../checks/citations";
import { duplicateSlugIds, duplicateStudyIds } from "../checks/ids";
import { metaAnalysesContext, checkMetaAnalysis, crossCheckMetaAnalyses, duplicateMetaAnalysisIds, explainMeasures, type MetaAnalysesContext } from "../checks/meta-analyses";
import { outcomeReporting } from "../checks/outcome-reporting";
import { prismaP } from "../checks/prisma-p";
import { protocolSchemaDiagnostics } from "../checks/schema";
import { sourceDiagnostics, sourceMismatches } from "../checks/sources";
import { checkStudy, type CheckedStudy } from "../checks/studies";
import { studyContext, type StudyContext } from "../checks/study-context";
import { keyDomainReferences, toolDesignMismatches } from "../checks/tools";
import { studiesByKey } from "../model/certainty";
import { readCertainty, readFlow } from "../model/evidence";
import { normaliseId } from "../model/ids";
import { placeMetaAnalysis, readMetaAnalysis, type MetaAnalysisModel } from "../model/meta-analyses";
import { readArms, readCitations, readOutcomes, readPopulation, readSourceEntries, readStage } from "../model/protocol";
import { placeStudy, type StudyModel } from "../model/studies";
import { keyDomainsOf, toolSetOf } from "../model/tools";
import { DefinitionsCache, readSources } from "../sources/definitions";
import { computeMetaAnalysis, type MetaAnalysisResult } from "../stats/pooling";
import { appendAll } from "../syntax/arrays";
import { SourceText } from "../syntax/edits";
import { ProtocolParser, type Edit, type ParsedChunk, type ParsedProtocol, type StudyItem } from "../syntax/parse";
import { shift, type Span } from "../syntax/span";
import { stringOf } from "../syntax/tree";
import { notChecked, type ProtocolAnalysis, type AnalyzerOptions, type StudyInfo } from "./protocol-analysis";

export type { ProtocolAnalysis, AnalyzerOptions, StudyInfo } from "./protocol-analysis";

/** A meta-analysis read and checked in its chunk's coordinates, and where it was placed last. */
interface CachedAnalysis {
  fingerprint: string;
  model: MetaAnalysisModel;
  diagnostics: Diagnostic[];
  /** The model and diagnostics at the item's last offset: items before an edit keep theirs. */
  placed?: { base: number; model: MetaAnalysisModel; diagnostics: Diagnostic[] };
}

/** Protocols larger than this are not analysed (the biggest real reviews are far below it). */
const MAX_PROTOCOL_CHARS = 32 * 1024 * 1024;

/** A file is text unless its first 8 KB hold a NUL character (as git and grep decide; contract section 6). */
const TEXT_SNIFF_CHARS = 8192;

export class ProtocolAnalyzer {
  private readonly parser: ProtocolParser;
  /** Study checks by parsed chunk (identity) and context fingerprint. */
  private readonly studyChecks = new WeakMap<ParsedChunk, { fingerprint: string; checked: CheckedStudy }>();
  /** Placed study models: a study before an edit keeps its placed model. */
  private readonly placedStudies = new WeakMap<CheckedStudy, { base: number; model: StudyModel }>();
  /** Meta-analyses by chunk: an edit in one analysis re-reads and recomputes only that one. */
  private readonly metaAnalysisChecks = new WeakMap<ParsedChunk, CachedAnalysis>();
  /** Pooled results by the analysis's text (for items that were not parsed alone). */
  private readonly results = new Map<string, MetaAnalysisResult>();
  private readonly definitions = new DefinitionsCache();
  private readonly suggestions: SuggestionCache = new Map();

  /** @param chunked false analyses every text from scratch, whole (for tests that compare). */
  constructor(chunked = true) {
    this.parser = new ProtocolParser(chunked);
  }

  /** @param edit how `text` differs from the previous text analysed, when the editor says so. */
  analyse(text: string, options: AnalyzerOptions, edit?: Edit): ProtocolAnalysis {
    try {
      return this.run(text, options, edit);
    } catch (e) {
      // A bug must never take the editor down: report it where the user sees it.
      return notChecked(this.parser.parse(""), diagnostic("yaml-syntax", 0, 0, `Internal error while checking this protocol: ${(e as Error).message}`));
    }
  }

  private run(text: string, options: AnalyzerOptions, edit: Edit | undefined): ProtocolAnalysis {
    if (text.length > MAX_PROTOCOL_CHARS) return notChecked(this.parser.parse(""), tooLarge(text));
    if (text.slice(0, TEXT_SNIFF_CHARS).includes("\u0000")) {
      return notChecked(this.parser.parse(""), diagnostic("yaml-syntax", 0, 0, "This is not a text file (it has a NUL byte in its first 8 KB): a protocol is YAML text. Is it the right file?"));
    }
    const parsed = this.parser.parse(text, edit);
    const out: Diagnostic[] = [];
    if (parsed.secondDocument) out.push(secondDocument(parsed.secondDocument));
    appendAll(out, protocolSchemaDiagnostics(parsed));
    const section = (key: string) => parsed.sections.find((s) => s.key === key);
    const at = (key: string) => ({ value: section(key)?.value, base: section(key)?.base ?? 0 });

    // The model of the protocol's own declarations, and the context of the study checks.
    const bias = section("bias");
    const tools = toolSetOf(bias?.value, stringOf(section("type")?.value));
    const keyDomains = keyDomainsOf(bias?.value);
    const outcomes = readOutcomes(at("outcomes").value, at("outcomes").base);
    const arms = readArms(at("question").value, at("question").base);
    const ctx = studyContext(tools, outcomes.map((o) => ({ id: o.id, role: o.role, harm: o.harm })), arms.map((a) => a.id), keyDomains.ids);

    const studies = parsed.studies.map((item) => this.study(item, text, ctx, out));
    appendAll(out, toolDesignMismatches(studies, tools, bias));
    appendAll(out, keyDomainReferences(keyDomains.node, bias, tools));
    appendAll(out, duplicateSlugIds(parsed));
    appendAll(out, duplicateStudyIds(studies));

    const sources = readSources(section("sources"), options, this.definitions);
    appendAll(out, sourceDiagnostics(sources.problems));
    const citations = readCitations(parsed);
    // While a library is being indexed its keys are unknown: no citation is called unresolved yet.
    if (!sources.indexing) appendAll(out, unresolvedCitations(citations, studies, sources, this.suggestions));
    appendAll(out, sourceMismatches(studies, sources.definitions));

    const outcomeNames = new Map(outcomes.filter((o) => o.name !== undefined).map((o) => [o.id, o.name!]));
    const metaCtx = metaAnalysesContext(studies, ctx.outcomes.map((o) => o.id), ctx.arms, normaliseId);
    const metaAnalyses = this.metaAnalyses(parsed, metaCtx, outcomeNames, out);
    const cross = crossCheckMetaAnalyses(metaAnalyses, metaCtx);
    appendAll(out, duplicateMetaAnalysisIds(metaAnalyses), cross.diagnostics);
    explainMeasures(out, metaAnalyses);
    appendAll(out, outcomeReporting(outcomes, studies, cross.withData));
    const stage = readStage(at("stage").value, at("stage").base);
    // PRISMA-P is asked of protocols only (contract section 2).
    if (!stage.review) appendAll(out, prismaP(parsed));
    const sourceEntries = readSourceEntries(at("sources").value, at("sources").base);
    const certainty = readCertainty(at("certainty").value, at("certainty").base);
    // Placing every study's model costs on a large review: only certainty entries ask for them.
    if (certainty.length) appendAll(out, checkCertainty(certainty, { metaAnalyses, studies: studiesByKey(studies.map((s) => s.model)), tools, keyDomains: keyDomains.ids }));
    const flow = readFlow(section("flow")?.keyNode, section("flow")?.value, at("flow").base);
    const excluded = section("excluded_studies")?.value;
    appendAll(out, checkFlow(flow, studies.length, excluded?.kind === "seq" ? excluded.items.length : undefined));
    return {
      parsed,
      diagnostics: finish(parsed, out, stage.review),
      context: ctx,
      dependencies: sources.dependencies,
      sources: sources.definitions,
      outcomes,
      arms,
      sourceEntries,
      ...(sources.indexing ? { indexing: true } : {}),
      studies,
      citations,
      metaAnalyses,
      stage,
      certainty,
      ...(flow ? { flow } : {}),
      ...(certainty.length ? { population: readPopulation(at("question").value) } : {}),
    };
  }

  /** One study, read and checked (cached by its chunk and the context); its diagnostics appended to `out` at the document's offsets. */
  private study(item: StudyItem, text: string, ctx: StudyContext, out: Diagnostic[]): StudyInfo {
    let checked: CheckedStudy;
    const hit = item.chunk ? this.studyChecks.get(item.chunk) : undefined;
    if (hit && hit.fingerprint === ctx.fingerprint) checked = hit.checked;
    else {
      checked = checkStudy(item.node, item.chunk ? new SourceText(item.chunk.text) : new SourceText(text, item.base), ctx);
      if (item.chunk) this.studyChecks.set(item.chunk, { fingerprint: ctx.fingerprint, checked });
    }
    for (const d of checked.diagnostics) out.push(shift(d, item.base));
    const placed = this.placedStudies;
    const base = item.base;
    return {
      base,
      checked,
      get model() {
        let p = placed.get(checked);
        if (p?.base !== base) placed.set(checked, (p = { base, model: placeStudy(checked.model, base) }));
        return p.model;
      },
    };
  }

  /** Every item of `analyses`, read, checked and computed (cached by chunk, or results by text); diagnostics appended to `out`. */
  private metaAnalyses(parsed: ParsedProtocol, ctx: MetaAnalysesContext, outcomeNames: ReadonlyMap<string, string>, out: Diagnostic[]): MetaAnalysisModel[] {
    const models: MetaAnalysisModel[] = [];
    const fingerprint = JSON.stringify([ctx.outcomes, [...outcomeNames], ctx.arms, [...ctx.byId.keys()]]);
    for (const item of parsed.analyses) {
      if (item.node.kind !== "map") continue;
      let hit = item.chunk ? this.metaAnalysisChecks.get(item.chunk) : undefined;
      if (!hit || hit.fingerprint !== fingerprint) {
        const model = readMetaAnalysis(item.node, outcomeNames);
        const diagnostics = checkMetaAnalysis(item.node, model, ctx);
        if (model.spec) model.result = this.result(model, item.chunk ? undefined : parsed.text.slice(item.base + model.span.start, item.base + model.span.end));
        hit = { fingerprint, model, diagnostics };
        if (item.chunk) this.metaAnalysisChecks.set(item.chunk, hit);
      }
      if (hit.placed?.base !== item.base) hit.placed = { base: item.base, model: placeMetaAnalysis(hit.model, item.base), diagnostics: hit.diagnostics.map((d) => shift(d, item.base)) };
      models.push(hit.placed.model);
      appendAll(out, hit.placed.diagnostics);
    }
    return models;
  }

  /** An analysis's pooled results; `text` (an item not parsed alone) keys the cache, a chunk's own item is cached with its chunk. */
  private result(model: MetaAnalysisModel, text: string | undefined): MetaAnalysisResult {
    let result = text !== undefined ? this.results.get(text) : undefined;
    if (!result) {
      result = computeMetaAnalysis(model.spec!);
      if (text !== undefined) {
        if (this.results.size > 2000) this.results.clear();
        this.results.set(text, result);
      }
    }
    return result;
  }
}

/**
 * The diagnostics as reported: while the YAML does not parse, only the syntax
 * errors (the checks would judge the parser's guesses; the rest of the analysis
 * still serves hover and navigation); in order; the same problem found twice (by
 * two checks, or through two paths) once.
 */
function finish(parsed: ParsedProtocol, out: Diagnostic[], review: boolean): Diagnostic[] {
  const diagnostics = parsed.errors.length
    ? [...parsed.errors.map((e) => diagnostic("yaml-syntax", e.start, e.end, e.message)), ...out.filter((d) => d.code === "yaml-syntax")]
    : review
      ? out.map(forReview)
      : out;
  diagnostics.sort(compareDiagnostics);
  return diagnostics.filter((d, i) => i === 0 || !sameDiagnostic(d, diagnostics[i - 1]!));
}

/**
 * A completed review never recorded the statuses of outcomes without data
 * (RevMan-era reviews): a missing status is information there, not a warning
 * (contract section 5). Settings still override the severity.
 */
function forReview(d: Diagnostic): Diagnostic {
  return d.code === "missing-outcome-status" && d.severity === CODES["missing-outcome-status"] ? { ...d, severity: "information" } : d;
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.start === b.start && a.end === b.end && a.message === b.message;
}

function tooLarge(text: string): Diagnostic {
  const mb = (text.length / 1024 / 1024).toFixed(1);
  const end = Math.max(0, text.indexOf("\n") < 0 ? Math.min(text.length, 200) : text.indexOf("\n"));
  return diagnostic("yaml-syntax", 0, end, `This file is ${mb} MB; protocols over ${MAX_PROTOCOL_CHARS / 1024 / 1024} MB are not analysed. Split the studies into smaller protocols`);
}

function secondDocument(span: Span): Diagnostic {
  return diagnostic(
    "yaml-syntax",
    span.start,
    span.end,
    "A protocol file holds one YAML document: this `---` starts a second one, which is not checked. Remove it or move the rest to another file",
  );
}
