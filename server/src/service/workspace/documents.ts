/**
 * The protocols a workspace has analysed, by key (the editor's URI): each keeps
 * its own analyzer, so an edit re-reads only what it touched. The one place
 * above the core where an analyzer is made: open documents here, files read
 * once from disk (`analyseOnce`, the command line) too.
 */
import { ProtocolAnalyzer, type ProtocolAnalysis } from "../../core/analyzer/analyzer";
import type { SourceLoader } from "../../core/sources/loader";
import type { Edit } from "../../core/syntax/parse";
import { LineIndex } from "../../core/syntax/text";

/** A document's text as the editor has it, and where it is. */
export interface DocumentText {
  text: string;
  version: number;
  /** Its absolute path, and the workspace root its sources must stay in. */
  path: string;
  root: string;
  /** How the text differs from the one analysed last, when the editor says so (one change). */
  edit?: Edit;
}

/** A document's analysis, with what turns its offsets into positions. */
export interface AnalysedDocument {
  analysis: ProtocolAnalysis;
  lines: LineIndex;
  /** The document version the analysis is of. */
  version: number;
}

/** Runs one analysis of a text of `length` characters (the server gives large ones room on the heap). */
export type AnalysisRunner = <T>(length: number, analyse: () => T) => T;

export class Documents {
  private readonly open = new Map<string, { analyzer: ProtocolAnalyzer; analysed?: AnalysedDocument }>();

  constructor(
    private readonly loader: SourceLoader,
    private readonly run: AnalysisRunner = (_length, analyse) => analyse(),
  ) {}

  /** Starts following a document (its first analysis may come later). */
  track(key: string): void {
    if (!this.open.has(key)) this.open.set(key, { analyzer: new ProtocolAnalyzer() });
  }

  /** Analyses a document's text with its own analyzer; throws only when the analyzer does (it reports errors as diagnostics). */
  analyse(key: string, doc: DocumentText): AnalysedDocument {
    this.track(key);
    const state = this.open.get(key)!;
    const analysis = this.run(doc.text.length, () => state.analyzer.analyse(doc.text, { path: doc.path, root: doc.root, loader: this.loader }, doc.edit));
    state.analysed = { analysis, lines: new LineIndex(doc.text), version: doc.version };
    return state.analysed;
  }

  /** The last analysis of a document, if any. */
  analysed(key: string): AnalysedDocument | undefined {
    return this.open.get(key)?.analysed;
  }

  /** A text read once (a file on disk): a fresh analyzer, nothing kept. */
  analyseOnce(text: string, path: string, root: string): ProtocolAnalysis {
    return this.run(text.length, () => new ProtocolAnalyzer().analyse(text, { path, root, loader: this.loader }));
  }

  close(key: string): void {
    this.open.delete(key);
  }

  /** Every document followed. */
  keys(): string[] {
    return [...this.open.keys()];
  }

  /** Every document followed, with the files its last analysis read that `affected` picks (none, often). */
  readers(affected: (path: string) => boolean): { key: string; files: string[] }[] {
    const out: { key: string; files: string[] }[] = [];
    for (const [key, state] of this.open) out.push({ key, files: state.analysed?.analysis.dependencies.filter(affected) ?? [] });
    return out;
  }
}
