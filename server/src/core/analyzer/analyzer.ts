/**
 * Analyses a protocol: parse (chunked, cached), schema, studies (cached by text
 * and context), then the cheap cross-file checks from per-study summaries:
 * duplicate ids, sources and citations, outcome reporting, PRISMA-P.
 * Pure apart from reading source files through the SourceLoader; never throws.
 */
import * as nodePath from "node:path";
import { CUSTOM_TOOL_ID, PRISMA_P, statusById } from "../../../../schemas/src/domain";
import { Protocol } from "../../../../schemas/src/protocol";
import type { BibEntry } from "../sources/bibliography";
import { entryMetadata, extractDocument, withOverrides, type SourceMetadata, type SourceOverrides } from "../sources/source-index";
import { textCitations, type CitationRef } from "../syntax/citations";
import { AnalysesCache, crossCheckAnalyses, readAnalyses, type AnalysisModel } from "../model/meta-analyses";
import { CODES, compareDiagnostics, diagnostic, shift, type Diagnostic } from "../checks/diagnostics";
import { transliterate } from "transliteration";
import { normaliseId, sameDoi, showInvisible } from "../model/ids";
import { insertPairs, SourceText, type TextEdit } from "../syntax/edits";
import { ProtocolParser, type Edit, type ParsedChunk, type ParsedProtocol, type Section } from "../syntax/parse";
import { schemaDiagnostics } from "../checks/schema";
import { SourceLoader } from "../sources/loader";
import { checkStudy, studyContext, type OutcomeDecl, type StudyContext, type StudyResult, type StudySummary } from "../checks/studies";
import { placeStudy, readArms, readOutcomes, readSourceEntries, readStage, type ArmModel, type OutcomeModel, type SourceEntryModel, type StageModel, type StudyModel } from "../model/studies";
import { didYouMean, listOf, nearest } from "../syntax/suggest";
import { designMismatch, toolFor, toolSetOf, type ToolSet } from "../model/tools";
import { forEachScalar, nodeAtPath, pairOf, scalarText, stringOf, toPlain, valueOf, type PathSegment, type TreeNode } from "../syntax/tree";
import { appendAll } from "../syntax/arrays";

export interface AnalysisOptions {
  /** Absolute path of the protocol file: sources are relative to its folder. */
  path: string;
  /** The workspace root: nothing outside it is read. */
  root: string;
  loader: SourceLoader;
}

export interface SourceDefinition {
  key: string;
  kind: "file" | "bibliography";
  /** Absolute offsets of the `sources` value that defines the key. */
  start: number;
  end: number;
  /** Absolute path of the file, when it is inside the workspace. */
  path?: string;
  entry?: BibEntry;
  /** What the source states (from the file, with the entry's overrides). */
  meta: SourceMetadata;
}

export interface StudyInfo {
  base: number;
  summary: StudySummary;
  /** The study as typed values at the document's offsets (placed when first read). */
  readonly model: StudyModel;
}

/** Placed models by study result: a study before an edit keeps its placed model. */
const PLACED = new WeakMap<StudyResult, { base: number; model: StudyModel }>();

function studyInfo(base: number, result: StudyResult): StudyInfo {
  return {
    base,
    summary: result.summary,
    get model() {
      let placed = PLACED.get(result);
      if (placed?.base !== base) PLACED.set(result, (placed = { base, model: placeStudy(result.model, base) }));
      return placed.model;
    },
  };
}

export interface Analysis {
  parsed: ParsedProtocol;
  diagnostics: Diagnostic[];
  /** The protocol's tool, outcomes and arms (what the study checks were given). */
  context: StudyContext;
  /** Absolute paths of the source files and bibliographies the protocol names. */
  dependencies: string[];
  sources: Map<string, SourceDefinition>;
  /** The protocol's outcomes, as declared. */
  outcomes: OutcomeModel[];
  /** The question's arms (interventions and comparators), as declared. */
  arms: ArmModel[];
  /** The `sources` entries, as written. */
  sourceEntries: SourceEntryModel[];
  /** A whole library is being indexed (in the background): its keys are not in `sources` yet. */
  indexing?: boolean;
  studies: StudyInfo[];
  /** Citations outside the studies (the studies' are in their summaries). Absolute offsets. */
  citations: CitationRef[];
  /** The `analyses` section: each analysis with its rows and results. */
  analyses: AnalysisModel[];
  /** A protocol (the default) or a completed review (`stage: review`). */
  stage: StageModel;
}

/** Absolute span of a node in a section. */
function spanIn(section: { base: number }, node: { start: number; end: number }): [number, number] {
  return [section.base + node.start, section.base + node.end];
}

export class ProtocolAnalyzer {
  private readonly parser: ProtocolParser;
  /** Study results by parsed chunk (identity) and context fingerprint. */
  private studyResults = new WeakMap<ParsedChunk, { fingerprint: string; result: StudyResult }>();
  /** Analyses' checks and results by chunk: an edit in one analysis re-reads and recomputes only that one. */
  private analysesCache = new AnalysesCache();

  /** @param chunked false analyses every text from scratch, whole (for tests that compare). */
  constructor(chunked = true) {
    this.parser = new ProtocolParser(chunked);
  }


  /** @param edit how `text` differs from the previous text analysed, when the editor says so. */
  analyse(text: string, options: AnalysisOptions, edit?: Edit): Analysis {
    try {
      return this.run(text, options, edit);
    } catch (e) {
      // A bug must never take the editor down: report it where the user sees it.
      const parsed = this.parser.parse("");
      return {
        parsed,
        diagnostics: [diagnostic("yaml-syntax", 0, 0, `Internal error while checking this protocol: ${(e as Error).message}`)],
        context: studyContext(),
        citations: [],
        dependencies: [],
        sources: new Map(),
        outcomes: [],
        arms: [],
        sourceEntries: [],
        studies: [],
        analyses: [],
        stage: { review: false },
      };
    }
  }

  private run(text: string, options: AnalysisOptions, edit: Edit | undefined): Analysis {
    if (text.length > MAX_PROTOCOL_CHARS) return tooLarge(text, this.parser);
    if (isBinary(text)) return notText(this.parser);
    const parsed = this.parser.parse(text, edit);
    const out: Diagnostic[] = [];
    if (parsed.secondDocument) out.push(secondDocument(parsed.secondDocument));
    const section = (key: string) => parsed.sections.find((s) => s.key === key);

    appendAll(out, topLevelSchema(parsed));

    // Context of the study checks.
    const reviewType = stringOf(section("type")?.value);
    const bias = section("bias");
    const tools = toolSetOf(bias?.value, reviewType);
    const keyDomainsNode = valueOf(bias?.value, "key_domains");
    const keyDomains = keyDomainsNode?.kind === "seq" ? keyDomainsNode.items.map(stringOf).filter((x): x is string => x !== undefined) : undefined;
    const outcomesSection = section("outcomes");
    const outcomeModels = readOutcomes(outcomesSection?.value, outcomesSection?.base ?? 0);
    const outcomes: OutcomeDecl[] = outcomeModels.map((o) => ({ id: o.id, role: o.role, harm: o.harm }));
    const questionSection = section("question");
    const question = questionSection?.value;
    const armModels = readArms(question, questionSection?.base ?? 0);
    const arms = armModels.map((a) => a.id);
    const ctx = studyContext(tools, outcomes, arms, keyDomains);

    const studies: StudyInfo[] = [];
    for (const item of parsed.studies) {
      const result = this.study(item.node, item.base, item.chunk, text, ctx);
      appendAll(out, shift(result.diagnostics, item.base));
      studies.push(studyInfo(item.base, result));
    }

    appendAll(out, toolDesignMismatches(studies, tools, bias, parsed.text));
    appendAll(out, keyDomainReferences(keyDomainsNode, bias, tools));
    appendAll(out, duplicateSlugIds(parsed));
    appendAll(out, duplicateStudyIds(studies));
    const { diagnostics: sourceDiagnostics, definitions, dependencies, indexing, signature, unread } = checkSources(section("sources"), options);
    appendAll(out, sourceDiagnostics);
    const citations = sectionCitations(parsed);
    // While a library is being indexed its keys are unknown: no citation is called unresolved yet.
    if (!indexing) appendAll(out, unresolvedCitations(citations, studies, definitions, signature, unread));
    appendAll(out, sourceMismatches(studies, definitions));
    const outcomeNames = new Map(outcomeModels.filter((o) => o.name !== undefined).map((o) => [o.id, o.name!]));
    const analysesContext = { studies, outcomes: outcomes.map((o) => o.id), outcomeNames, arms };
    const { analyses, diagnostics: analysisDiagnostics } = readAnalyses(parsed.analyses, parsed.text, analysesContext, this.analysesCache);
    const cross = crossCheckAnalyses(analyses, analysesContext);
    appendAll(out, analysisDiagnostics, cross.diagnostics);
    explainMeasures(out, analyses);
    appendAll(out, outcomeReporting(section("outcomes"), studies, parsed.studies.length, cross.withData));
    const stageSection = section("stage");
    const stage = readStage(stageSection?.value, stageSection?.base ?? 0);
    // PRISMA-P is asked of protocols only (contract section 2).
    if (!stage.review) appendAll(out, prismaP(parsed));
    // While the YAML does not parse, the checks would judge the parser's guesses: report only
    // the syntax errors (the rest of the analysis still serves hover and navigation).
    const diagnostics = parsed.errors.length
      ? [...parsed.errors.map((e) => diagnostic("yaml-syntax", e.start, e.end, e.message)), ...out.filter((d) => d.code === "yaml-syntax")]
      : stage.review
        ? out.map(forReview)
        : out;
    diagnostics.sort(compareDiagnostics);
    // The same problem found twice (by two checks, or through two paths) is shown once.
    const unique = diagnostics.filter((d, i) => i === 0 || !sameDiagnostic(d, diagnostics[i - 1]!));
    return { parsed, diagnostics: unique, context: ctx, dependencies, sources: definitions, outcomes: outcomeModels, arms: armModels, sourceEntries: readSourceEntries(section("sources")?.value, section("sources")?.base ?? 0), ...(indexing ? { indexing } : {}), studies, citations, analyses, stage };
  }

  private study(node: TreeNode, base: number, chunk: ParsedChunk | undefined, text: string, ctx: StudyContext): StudyResult {
    if (!chunk) return checkStudy(node, new SourceText(text, base), ctx);
    const hit = this.studyResults.get(chunk);
    if (hit && hit.fingerprint === ctx.fingerprint) return hit.result;
    const result = checkStudy(node, new SourceText(chunk.text), ctx);
    this.studyResults.set(chunk, { fingerprint: ctx.fingerprint, result });
    return result;
  }
}

/**
 * A completed review never recorded the statuses of outcomes without data
 * (RevMan-era reviews): a missing status is information there, not a warning
 * (contract section 5). Settings still override the severity.
 */
function forReview(d: Diagnostic): Diagnostic {
  return d.code === "missing-outcome-status" && d.severity === CODES["missing-outcome-status"] ? { ...d, severity: "information" } : d;
}

/** Protocols larger than this are not analysed (the biggest real reviews are far below it). */
const MAX_PROTOCOL_CHARS = 32 * 1024 * 1024;

function tooLarge(text: string, parser: ProtocolParser): Analysis {
  const mb = (text.length / 1024 / 1024).toFixed(1);
  const end = Math.max(0, text.indexOf("\n") < 0 ? Math.min(text.length, 200) : text.indexOf("\n"));
  return notChecked(parser, diagnostic("yaml-syntax", 0, end, `This file is ${mb} MB; protocols over ${MAX_PROTOCOL_CHARS / 1024 / 1024} MB are not analysed. Split the studies into smaller protocols`));
}

/** A file is text unless its first 8 KB hold a NUL character (as git and grep decide; contract section 6). */
const TEXT_SNIFF_CHARS = 8192;

function isBinary(text: string): boolean {
  return text.slice(0, TEXT_SNIFF_CHARS).includes("\u0000");
}

/** One diagnostic for a binary file, not a cascade of syntax errors about its bytes. */
function notText(parser: ProtocolParser): Analysis {
  return notChecked(parser, diagnostic("yaml-syntax", 0, 0, "This is not a text file (it has a NUL byte in its first 8 KB): a protocol is YAML text. Is it the right file?"));
}

/** The analysis of a file that is not checked, with the one diagnostic that says why. */
function notChecked(parser: ProtocolParser, why: Diagnostic): Analysis {
  const parsed = parser.parse("");
  return {
    parsed,
    diagnostics: [why],
    context: studyContext(),
    dependencies: [],
    sources: new Map(),
    outcomes: [],
    arms: [],
    sourceEntries: [],
    studies: [],
    citations: [],
    analyses: [],
    stage: { review: false },
  };
}

function secondDocument(span: { start: number; end: number }): Diagnostic {
  return diagnostic(
    "yaml-syntax",
    span.start,
    span.end,
    "A protocol file holds one YAML document: this `---` starts a second one, which is not checked. Remove it or move the rest to another file",
  );
}

function topLevelSchema(parsed: ParsedProtocol): Diagnostic[] {
  const plain: Record<string, unknown> = {};
  for (const s of parsed.sections) {
    // Items of `studies` and `analyses` lists are validated one by one (cached), with their own checks.
    // An empty `studies:` is an empty list.
    if ((s.key === "studies" || s.key === "analyses") && (s.value === null || s.value.kind === "seq" || (s.value.kind === "scalar" && s.value.value === null))) continue;
    plain[s.key] = toPlain(s.value);
  }
  return schemaDiagnostics({
    schema: Protocol,
    value: plain,
    locate(path) {
      const s = parsed.sections.find((x) => x.key === path[0]);
      if (!s) return { node: undefined, base: 0 };
      if (path.length === 1) return { node: s.value, pair: { key: s.keyNode, value: s.value }, base: s.base };
      return { ...nodeAtPath(s.value, path.slice(1)), base: s.base };
    },
    rootHolder: parsed.firstKey,
    source: new SourceText(parsed.text),
  });
}

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
function duplicateSlugIds(parsed: ParsedProtocol): Diagnostic[] {
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
      const [s, e] = spanIn(section, node);
      out.push(diagnostic("duplicate-id", s, e, `Id '${id}' is already used by ${first}; ids must be unique across interventions, comparators and outcomes`, { id }));
    }
  }
  return out;
}

/** Study ids are compared after NFC, every Unicode space taken as a space: `Müller 2019` in two forms is one id. */
function duplicateStudyIds(studies: readonly StudyInfo[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const { base, summary } of studies) {
    const id = summary.id;
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

/** Definitions of a loaded bibliography, by the loaded file (its version), then by protocol and the path written. */
interface CachedDefinitions {
  /** Where the protocol names the bibliography (every definition reports there). */
  at: { start: number; end: number };
  defs: SourceDefinition[];
  duplicates: string[];
}
const BIBLIOGRAPHY_DEFINITIONS = new WeakMap<object, Map<string, CachedDefinitions>>();
const IDENTITIES = new WeakMap<object, number>();
let nextIdentity = 0;
function identityOf(o: object): number {
  let id = IDENTITIES.get(o);
  if (id === undefined) IDENTITIES.set(o, (id = ++nextIdentity));
  return id;
}

/**
 * A bibliography of the protocol that cannot be read (refused, missing,
 * unreadable), or some of whose entries cannot: `keys` are those entries' keys,
 * undefined when it may define any key. Its error is on the source; a citation
 * it may define is not a second error (contract section 6).
 */
interface UnreadBibliography {
  written: string;
  keys?: ReadonlySet<string>;
}

interface SourcesChecked {
  diagnostics: Diagnostic[];
  definitions: Map<string, SourceDefinition>;
  dependencies: string[];
  indexing: boolean;
  signature: string;
  unread: UnreadBibliography[];
}

function checkSources(section: Section | undefined, options: AnalysisOptions): SourcesChecked {
  const diagnostics: Diagnostic[] = [];
  const definitions = new Map<string, SourceDefinition>();
  const dependencies: string[] = [];
  const unread: UnreadBibliography[] = [];
  let indexing = false;
  /** Which keys are defined, in a few characters: suggestions for a wrong key are reused while it holds. */
  const signature: string[] = [];
  if (section?.value?.kind !== "seq") return { diagnostics, definitions, dependencies, indexing, signature: "", unread };
  const fromDir = nodePath.dirname(options.path);
  const define = (def: SourceDefinition) => {
    const earlier = definitions.get(def.key);
    if (!earlier) {
      definitions.set(def.key, def);
      return;
    }
    const where = earlier.kind === "file" ? "an earlier `sources` entry" : `an earlier bibliography`;
    diagnostics.push(diagnostic("duplicate-id", def.start, def.end, `Citation key '${def.key}' is already defined by ${where}; keys must be unique across sources`, { id: def.key }));
  };
  for (const item of section.value.items) {
    const fileNode = valueOf(item, "file");
    const bibNode = valueOf(item, "bibliography");
    const target = fileNode ?? bibNode;
    const written = stringOf(target);
    if (!target || written === undefined) {
      const keyNode = valueOf(item, "key");
      const key = stringOf(keyNode);
      if (keyNode && key !== undefined) define({ key, kind: "file", ...span(section, keyNode), meta: withOverrides(extractDocument(""), overridesOf(item)) });
      continue;
    }
    const [s, e] = spanIn(section, target);
    const kind = fileNode ? "file" : "bibliography";
    const loaded = kind === "file" ? options.loader.document(options.root, fromDir, written) : options.loader.bibliography(options.root, fromDir, written);
    if (loaded.path) dependencies.push(loaded.path);
    // Until a library's (new) keys are known, no citation is called unresolved: a key just added would be.
    if (loaded.status === "indexing" || loaded.refreshing) indexing = true;
    if (loaded.status === "outside") {
      diagnostics.push(diagnostic("source-outside-workspace", s, e, `'${written}' is outside the workspace (${loaded.reason}); it is not read. Open the folder that holds both the protocol and the source in the editor, or pass --root with that folder to review-lint`, { path: written }));
    } else if (loaded.status === "missing") {
      diagnostics.push(diagnostic("missing-source-file", s, e, `No file '${written}' (relative to the protocol's folder); fix the path or add the file`, { path: written }));
    } else if (loaded.status === "unreadable") {
      diagnostics.push(diagnostic("source-unreadable", s, e, `'${written}' cannot be read: ${loaded.reason}`, { path: written }));
    } else if (loaded.partial) {
      diagnostics.push(diagnostic("source-unreadable", s, e, `In '${written}', ${loaded.partial}`, { path: written }));
    }
    if (kind === "bibliography" && (loaded.status === "outside" || loaded.status === "missing" || loaded.status === "unreadable")) unread.push({ written });
    else if (kind === "bibliography" && loaded.partial) unread.push({ written, keys: loaded.brokenKeys && new Set(loaded.brokenKeys) });
    if (kind === "file") {
      const keyNode = valueOf(item, "key");
      const key = stringOf(keyNode);
      const meta = withOverrides(loaded.meta ?? extractDocument(""), overridesOf(item));
      if (keyNode && key !== undefined) define({ key, kind, ...span(section, keyNode), path: loaded.path, meta });
      continue;
    }
    // A library's definitions are built once per file version and protocol: an edit reuses them, only
    // moving the span they report at (an edit above the sources section shifts it).
    const perProtocol = BIBLIOGRAPHY_DEFINITIONS.get(loaded) ?? new Map<string, CachedDefinitions>();
    BIBLIOGRAPHY_DEFINITIONS.set(loaded, perProtocol);
    const cacheKey = `${options.path}\u0000${written}`;
    let cached = perProtocol.get(cacheKey);
    if (!cached) {
      const at = { start: s, end: e };
      const defs: SourceDefinition[] = [];
      const duplicates: string[] = [];
      const inFile = new Set<string>();
      const format = loaded.format ?? "bibtex";
      for (const entry of loaded.entries ?? []) {
        if (inFile.has(entry.key)) {
          duplicates.push(entry.key);
          continue;
        }
        inFile.add(entry.key);
        // The metadata is read when first used: a library of 45,000 entries is indexed, not parsed.
        let meta: SourceMetadata | undefined;
        defs.push({
          key: entry.key,
          kind,
          get start() {
            return at.start;
          },
          get end() {
            return at.end;
          },
          path: loaded.path,
          entry,
          get meta() {
            return (meta ??= entryMetadata(entry, format));
          },
        });
      }
      cached = { at, defs, duplicates };
      perProtocol.set(cacheKey, cached);
    }
    cached.at.start = s;
    cached.at.end = e;
    for (const key of cached.duplicates) diagnostics.push(diagnostic("duplicate-id", s, e, `Citation key '${key}' is defined twice in '${written}'`, { id: key }));
    for (const def of cached.defs) define(def);
    signature.push(`b${identityOf(cached)}`);
  }
  for (const [key, def] of definitions) if (def.kind === "file") signature.push(`f${key}:${def.meta.year}:${def.meta.authors[0]}`);
  return { diagnostics, definitions, dependencies, indexing, signature: signature.join("\u0000"), unread };
}

/** The overrides a `sources` entry writes (title, authors, year, …). */
function overridesOf(item: TreeNode): SourceOverrides {
  const text = (key: string) => scalarText(valueOf(item, key));
  const list = (key: string) => {
    const v = valueOf(item, key);
    return v?.kind === "seq" ? v.items.map(scalarText).filter((x): x is string => x !== undefined) : undefined;
  };
  return {
    title: text("title"),
    authors: list("authors"),
    year: text("year"),
    date: text("date"),
    journal: text("journal"),
    doi: text("doi"),
    pmid: text("pmid"),
    pmcid: text("pmcid"),
    registrations: list("registrations"),
    abstract: text("abstract"),
  };
}

/** A study's DOI or registrations that disagree with what its cited source states. */
function sourceMismatches(studies: readonly StudyInfo[], sources: Map<string, SourceDefinition>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { base, summary } of studies) {
    const key = summary.cite?.key;
    const meta = key !== undefined ? sources.get(key)?.meta : undefined;
    if (!meta) continue;
    const doi = summary.doi;
    if (doi && meta.dois.length && !meta.dois.some((d) => sameDoi(d, doi.value))) {
      out.push(
        diagnostic(
          "source-mismatch",
          base + doi.start,
          base + doi.end,
          `DOI ${doi.value} differs from the DOI its source '${key}' states (${meta.doi}); correct it or cite the right source`,
          { value: doi.value, expected: meta.doi, source: key, fixes: [{ title: `Use the source's DOI ${meta.doi}`, edits: [{ from: 0, to: doi.end - doi.start, text: meta.doi }] }] },
        ),
      );
    }
    if (!meta.registrations.length) continue;
    const stated = new Set(meta.registrations.map((r) => r.toLowerCase()));
    for (const reg of summary.registrations) {
      if (stated.has(reg.value.toLowerCase())) continue;
      out.push(
        diagnostic(
          "source-mismatch",
          base + reg.start,
          base + reg.end,
          `Registration ${reg.value} is not among those its source '${key}' states (${meta.registrations.join(", ")})`,
          { value: reg.value, expected: meta.registrations, source: key },
        ),
      );
    }
  }
  return out;
}

function span(section: Section, node: { start: number; end: number }): { start: number; end: number } {
  const [start, end] = spanIn(section, node);
  return { start, end };
}

/** Citations outside the studies (absolute offsets): update_of, excluded studies, [@key] in any text. */
function sectionCitations(parsed: ParsedProtocol): CitationRef[] {
  const refs: CitationRef[] = [];
  const bare = (section: Section | undefined, node: TreeNode | null | undefined) => {
    const key = stringOf(node);
    if (section && node && key !== undefined) refs.push({ key, ...span(section, node) });
  };
  const inText = (base: number, node: TreeNode | null) => {
    // Most sections hold no `@` at all: their text says so without a walk over every value.
    if (!node || !parsed.text.slice(base + node.start, base + node.end).includes("@")) return;
    forEachScalar(node, (n) => {
      if (typeof n.value !== "string" || !n.value.includes("@")) return;
      appendAll(refs, textCitations(parsed.text.slice(base + n.start, base + n.end), base + n.start));
    });
  };
  for (const s of parsed.sections) {
    if (s.key === "studies") continue; // study summaries carry their citations
    if (s.key === "update_of") bare(s, s.value);
    if (s.key === "excluded_studies" && s.value?.kind === "seq") for (const item of s.value.items) bare(s, valueOf(item, "cite"));
    // Analyses read item by item are not in their section's value; read whole they are: take the items either way.
    if (s.key !== "analyses" || !parsed.analyses.length) inText(s.base, s.value);
  }
  for (const item of parsed.analyses) inText(item.base, item.node);
  return refs;
}

/** Suggestions by defined keys' signature and wrong key: a 50,000-key library is searched once per wrong key, not per edit. */
const SUGGESTIONS = new Map<string, string[]>();

/**
 * A citation no readable source defines, while a bibliography that may define it
 * cannot be read: information, not a second error for the bibliography's one cause.
 * No fix: the key may well be right.
 */
function mayBeInUnread(ref: CitationRef, unread: readonly UnreadBibliography[]): Diagnostic | undefined {
  const where = unread.find((u) => u.keys === undefined || u.keys.has(ref.key));
  if (!where) return undefined;
  const why = where.keys
    ? `it is the key of an entry of '${where.written}' that cannot be read`
    : `it may be defined in '${where.written}', which cannot be read`;
  return diagnostic("unresolved-citation", ref.start, ref.end, `No readable source defines the citation key '${ref.key}': ${why} (see the error on that source)`, { key: ref.key, suggestions: [], unread: where.written }, "information");
}

function unresolvedCitations(
  outside: readonly CitationRef[],
  studies: readonly StudyInfo[],
  sources: Map<string, SourceDefinition>,
  signature: string,
  unread: readonly UnreadBibliography[],
): Diagnostic[] {
  const refs: CitationRef[] = [...outside];
  for (const { base, summary } of studies) {
    if (summary.cite) refs.push({ ...summary.cite, start: base + summary.cite.start, end: base + summary.cite.end });
    for (const c of summary.citations) refs.push({ ...c, start: base + c.start, end: base + c.end });
  }
  const out: Diagnostic[] = [];
  for (const ref of refs) {
    if (sources.has(ref.key)) continue;
    const maybe = unread.length ? mayBeInUnread(ref, unread) : undefined;
    if (maybe) {
      out.push(maybe);
      continue;
    }
    const cacheKey = `${signature}\u0001${ref.key}`;
    let suggestions = SUGGESTIONS.get(cacheKey);
    if (!suggestions) {
      if (SUGGESTIONS.size > 1000) SUGGESTIONS.clear();
      SUGGESTIONS.set(cacheKey, (suggestions = citationSuggestions(ref.key, sources)));
    }
    // Each fix says which work it points to; none is preferred or applied by "fix all": it could make a study cite another trial.
    const fixes = suggestions.map((c) => ({ title: `Use ${c} — ${workOf(sources.get(c)!)}`, edits: [{ from: 0, to: ref.end - ref.start, text: c }], safe: false }));
    out.push(
      diagnostic(
        "unresolved-citation",
        ref.start,
        ref.end,
        `No source defines the citation key '${ref.key}'${didYouMean(suggestions)}${suggestions.length ? "" : "; add it to `sources` (a file or a bibliography)"}`,
        fixes.length ? { key: ref.key, suggestions, fixes } : { key: ref.key, suggestions },
      ),
    );
  }
  return out;
}

/** "McMurray 2019, Dapagliflozin in patients with heart failure…" */
function workOf(def: SourceDefinition): string {
  const m = def.meta;
  const author = m.authors[0]?.split(/[\s,]+/).filter(Boolean);
  const family = author ? (m.authors[0]!.includes(",") ? author[0] : author[author.length - 1]) : undefined;
  const title = m.title ? (m.title.length > 60 ? `${m.title.slice(0, 59).trimEnd()}…` : m.title) : undefined;
  return [[family, m.year].filter(Boolean).join(" "), title].filter(Boolean).join(", ") || def.key;
}

/**
 * Keys to suggest for a missing one: first those whose first author and year the
 * missing key spells (`mcmurray_dapagliflozin_2019` → the McMurray 2019 entry),
 * then the nearest by spelling. At most three.
 */
function citationSuggestions(key: string, sources: Map<string, SourceDefinition>): string[] {
  const lower = transliterate(key).toLowerCase();
  const year = /(?:19|20)\d\d/.exec(lower)?.[0];
  const byWork: string[] = [];
  if (year) {
    // Keys that spell the year first (reading an entry's fields parses it: a library has tens of thousands).
    let looked = 0;
    for (const [k, def] of sources) {
      if (!k.includes(year) || ++looked > 500) continue;
      if (def.meta.year !== year) continue;
      const first = def.meta.authors[0];
      if (!first) continue;
      const parts = transliterate(first).toLowerCase().split(/[^a-z]+/).filter((p) => p.length > 2);
      if (parts.some((p) => lower.includes(p))) byWork.push(k);
      if (byWork.length >= 3) break;
    }
  }
  const near = nearest(key, [...sources.keys()].filter((k) => !byWork.includes(k)));
  return [...byWork, ...near].slice(0, 3);
}

function outcomeReporting(section: Section | undefined, studies: readonly StudyInfo[], studyCount: number, withData: ReadonlyMap<string, ReadonlySet<string>>): Diagnostic[] {
  if (!section || section.value?.kind !== "seq" || studyCount === 0) return [];
  // A study with a data row in an analysis of the outcome reports it.
  const reported = new Set<string>([...withData].filter(([, s]) => s.size > 0).map(([id]) => id));
  const partials = new Map<string, number>();
  for (const { summary } of studies) {
    for (const id in summary.statuses) {
      const status = summary.statuses[id];
      const def = statusById(status);
      if (def?.usable) reported.add(id);
      else if (def?.givesResults) partials.set(id, (partials.get(id) ?? 0) + 1);
    }
  }
  const out: Diagnostic[] = [];
  for (const item of section.value.items) {
    const idNode = valueOf(item, "id");
    const id = stringOf(idNode);
    if (!idNode || id === undefined || reported.has(id)) continue;
    const primary = stringOf(valueOf(item, "role")) === "primary";
    const partial = partials.get(id) ?? 0;
    const [s, e] = spanIn(section, idNode);
    out.push(
      diagnostic(
        "outcome-not-reported",
        s,
        e,
        `No included study reports usable data for ${primary ? "primary" : "secondary"} outcome '${id}'` +
          (partial ? ` (${partial} ${partial === 1 ? "study reports" : "studies report"} it only partially)` : "") +
          ": the review cannot synthesise it",
        { outcome: id, role: primary ? "primary" : "secondary", partial },
        primary ? "warning" : "information",
      ),
    );
  }
  return out;
}

function addressed(parsed: ParsedProtocol, path: readonly string[], mentions: RegExp | undefined): boolean {
  const section = parsed.sections.find((s) => s.key === path[0]);
  if (!section) return false;
  const walk = (node: TreeNode | null | undefined, rest: readonly PathSegment[]): boolean => {
    if (!node) return false;
    if (!rest.length) {
      if (node.kind === "scalar") return node.value !== null && String(node.value).trim() !== "" && (!mentions || mentions.test(String(node.value)));
      return node.kind === "seq" ? node.items.length > 0 : node.pairs.length > 0;
    }
    const [head, ...tail] = rest;
    if (head === "*") return node.kind === "seq" && node.items.some((item) => walk(item, tail));
    return walk(valueOf(node, String(head)), tail);
  };
  return walk(section.value, path.slice(1));
}

function filled(node: TreeNode | null | undefined): boolean {
  if (!node) return false;
  if (node.kind === "scalar") return node.value !== null && node.value !== false && String(node.value).trim() !== "";
  return node.kind === "seq" ? node.items.length > 0 : node.pairs.length > 0;
}

/** What the authors list lacks for an item asked of them (3a, 3b), or undefined when complete. */
function authorsLack(parsed: ParsedProtocol, ask: NonNullable<(typeof PRISMA_P)[number]["authors"]>): string | undefined {
  const list = parsed.sections.find((s) => s.key === "authors")?.value;
  if (list?.kind !== "seq" || !list.items.length) return `add \`authors\` with ${listOf([...ask.every, ...(ask.corresponding ?? []), ...(ask.some ?? [])])}`;
  const lacks: string[] = [];
  for (const key of ask.every) {
    const without = list.items.filter((a) => !filled(valueOf(a, key))).map((a, i) => scalarText(valueOf(a, "name")) ?? `author ${i + 1}`);
    if (without.length) lacks.push(`\`${key}\` for ${listOf(without)}`);
  }
  if (ask.corresponding?.length) {
    const corresponding = list.items.find((a) => valueOf(a, "corresponding")?.kind === "scalar" && (valueOf(a, "corresponding") as { value: unknown }).value === true) ?? list.items[0]!;
    const name = scalarText(valueOf(corresponding, "name")) ?? "the corresponding author";
    for (const key of ask.corresponding) if (!filled(valueOf(corresponding, key))) lacks.push(`\`${key}\` for ${name} (the corresponding author)`);
  }
  for (const key of ask.some ?? []) if (!list.items.some((a) => filled(valueOf(a, key)))) lacks.push(`\`${key}: true\` on one author`);
  return lacks.length ? `add ${listOf(lacks)}` : undefined;
}

/** Items the authors declare not applicable (`prisma_p.not_applicable`), as item strings. */
function notApplicable(parsed: ParsedProtocol): Set<string> {
  const list = valueOf(parsed.sections.find((s) => s.key === "prisma_p")?.value, "not_applicable");
  return new Set(list?.kind === "seq" ? list.items.map(scalarText).filter((x): x is string => x !== undefined) : []);
}

function prismaP(parsed: ParsedProtocol): Diagnostic[] {
  const out: Diagnostic[] = [];
  const skip = notApplicable(parsed);
  const title = stringOf(parsed.sections.find((s) => s.key === "title")?.value) ?? "";
  for (const item of PRISMA_P) {
    if (skip.has(item.item)) continue;
    if (item.askedIfTitle && !item.askedIfTitle.test(title)) continue;
    let how: string | undefined;
    if (item.authors) how = authorsLack(parsed, item.authors);
    else if (!item.paths.some((p) => addressed(parsed, p, item.mentions))) {
      const where = item.paths.map((p) => `\`${p.filter((x) => x !== "*").join(".")}\``).join(" or ");
      how = `add ${item.mentions ? `${where} (mentioning ${item.mentions.source})` : where}`;
    }
    if (!how) continue;
    out.push(
      diagnostic("prisma-p-missing", parsed.firstKey.start, parsed.firstKey.end, `PRISMA-P item ${item.item} (${item.title}) is not addressed: ${how}, or list '${item.item}' in prisma_p.not_applicable`, {
        item: item.item,
        paths: item.paths,
      }),
    );
  }
  return out;
}

/** A study judged with a tool not made for its design: say which tool to use, and offer the `by_design` entry. */
function toolDesignMismatches(studies: readonly StudyInfo[], tools: ToolSet, bias: Section | undefined, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { base, summary } of studies) {
    const design = summary.design;
    if (!design) continue;
    const tool = toolFor(tools, design.value);
    if (!tool) continue;
    const { fits, use } = designMismatch(tool, design.value, tools.reviewType);
    if (fits) continue;
    const start = base + design.start;
    const fromByDesign = tools.byDesign.get(design.value) === tool;
    const how = use
      ? `; use ${use}${fromByDesign ? ` (bias.by_design.${design.value})` : `: add \`by_design: { ${design.value}: ${use} }\` under \`bias\``}`
      : "; judge it with a tool made for its design (`bias.by_design`), or `custom`";
    const made = tool.def?.reviewTypes ? `${tool.id} is made for diagnostic-accuracy reviews` : `${tool.id} is not made for ${design.value} studies`;
    const edits = use && bias ? byDesignEdits(bias, text, design.value, use) : [];
    out.push(
      diagnostic("tool-design-mismatch", start, base + design.end, `${made}${how}`, {
        design: design.value,
        tool: tool.id,
        use,
        ...(edits.length ? { fixes: [{ title: `Judge ${design.value} studies with ${use} (bias.by_design)`, edits: edits.map((e) => ({ ...e, from: e.from - start, to: e.to - start })) }] } : {}),
      }),
    );
  }
  return out;
}

/** Absolute edits that make `bias.by_design[design]` be `tool`. */
function byDesignEdits(bias: Section, text: string, design: string, tool: string): TextEdit[] {
  const src = new SourceText(text, bias.base);
  const abs = (edits: TextEdit[]) => edits.map((e) => ({ ...e, from: e.from + bias.base, to: e.to + bias.base }));
  const map = bias.value;
  if (map?.kind !== "map" || (!map.pairs.length && !map.flow)) return [];
  const byDesign = pairOf(map, "by_design");
  if (byDesign) {
    const v = byDesign.value;
    const existing = pairOf(v, design);
    if (existing?.value) return abs([{ from: existing.value.start, to: existing.value.end, text: tool }]);
    if (v?.kind === "map" && (v.pairs.length || v.flow)) return abs(insertPairs(src, v, [{ key: design, flow: tool, after: String(v.pairs[v.pairs.length - 1]?.key.value) }]));
    return [];
  }
  const anchor = pairOf(map, "tool") ? "tool" : String(map.pairs[map.pairs.length - 1]?.key.value);
  return abs(insertPairs(src, map, [{ key: "by_design", flow: `{ ${design}: ${tool} }`, block: [`${design}: ${tool}`], after: anchor }]));
}

/** `bias.key_domains` must name domains of the tool. */
function keyDomainReferences(list: TreeNode | null | undefined, bias: Section | undefined, tools: ToolSet): Diagnostic[] {
  const tool = tools.main;
  if (!bias || list?.kind !== "seq" || !tool || tool.id === CUSTOM_TOOL_ID) return [];
  const out: Diagnostic[] = [];
  const ids = tool.domains.map((d) => d.id);
  for (const item of list.items) {
    const id = stringOf(item);
    if (id === undefined || ids.includes(id)) continue;
    const suggestions = nearest(id, ids);
    const [s, e] = spanIn(bias, item);
    out.push(diagnostic("unknown-bias-domain", s, e, `'${id}' in bias.key_domains is not a domain of ${tool.id}${didYouMean(suggestions)}`, { domain: id, tool: tool.id, suggestions }));
  }
  return out;
}

/**
 * A measure that is not one of the contract's: changing it to the nearest name
 * (HR → OR) would change every number, so the message says how to enter it
 * and no fix is offered.
 */
function explainMeasures(out: Diagnostic[], analyses: readonly AnalysisModel[]): void {
  for (const a of analyses) {
    if (a.measure || !a.measureSpan) continue;
    const i = out.findIndex((d) => d.code === "schema-enum" && d.start === a.measureSpan!.start);
    if (i < 0) continue;
    const d = out[i]!;
    const value = String(d.data?.value ?? "");
    const ratio = /^(HR|IRR|RATE|RATIO|.*RATIO)$/i.test(value);
    out[i] = {
      ...d,
      message:
        `'${value}' is not a measure of the format (RR, OR, RD, PETO-OR, MD, SMD, GIV)` +
        (ratio ? `: enter a ${value} as generic inverse variance — measure: GIV, label: ${value}, scale: log, rows { estimate: ln ${value}, se }` : ""),
      data: { value, expected: d.data?.expected, suggestions: [] },
    };
  }
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.start === b.start && a.end === b.end && a.message === b.message;
}
