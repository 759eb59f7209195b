/**
 * The one workspace the language server and the command-line tools share (as
 * Biome's do): the protocols and their analyses, the settings file under the
 * caller's overrides, source files for locations, RevMan imports with their
 * self-check, and the pictures and results written out — every file through
 * one `WorkspaceFileSystem`. Callers are glue: the server converts to LSP, a
 * command parses its arguments and formats what comes back.
 */
import * as nodePath from "node:path";
import { protocolName } from "../../../../schemas/src/files";
import type { ImportReply, Plots } from "../../../../schemas/src/replies";
import type { ProtocolAnalysis } from "../../core/analyzer/analyzer";
import type { ImportSteps } from "../../core/analyzer/import-check";
import type { Diagnostic } from "../../core/checks/diagnostics";
import * as pictures from "../../core/pictures/plots";
import { SourceLoader, type BackgroundIndexer } from "../../core/sources/loader";
import { isInside } from "../../core/sources/workspace";
import { LineIndex } from "../../core/syntax/text";
import { applySettings, DEFAULT_SETTINGS, type Settings } from "../settings";
import { Documents, type AnalysedDocument, type AnalysisRunner, type DocumentText } from "./documents";
import type { WorkspaceFileSystem } from "./file-system";
import * as exporting from "./export";
import type { ExportedReview, ExportFormat } from "./export";
import * as imports from "./import";
import { nodeWorkspaceFileSystem } from "./node-file-system";
import * as outputs from "./outputs";
import * as packages from "./package-input";
import * as save from "./save";
import type { SavedFiles } from "./save";
import * as protocolFiles from "./protocol-files";
import type { ProtocolFiles } from "./protocol-files";
import { SettingsFiles, type SettingsFileState } from "./settings-file";

export interface WorkspaceOptions {
  /** Indexes whole libraries in the background (the server's worker); without one they are indexed when read. */
  indexer?: BackgroundIndexer;
  /** A library indexed in the background is ready: the protocols that read `path` need checking again. */
  indexed?: (path: string) => void;
  run?: AnalysisRunner;
}

/** A protocol checked: its analysis, its diagnostics under the settings, and the settings file as read. */
export interface CheckedDocument extends AnalysedDocument {
  diagnostics: Diagnostic[];
  settingsFile: SettingsFileState;
}

/** A file as the command line reports it: a protocol with its analysis, or a malformed settings file (no analysis). */
export interface CheckedFile {
  /** The path as given or found. */
  file: string;
  text: string;
  lines: LineIndex;
  diagnostics: Diagnostic[];
  analysis?: ProtocolAnalysis;
}

export class Workspace {
  readonly loader: SourceLoader;
  readonly documents: Documents;
  private readonly settingsFiles: SettingsFiles;
  /** Line indexes of source files, for locations; rebuilt when the file changes. */
  private readonly sourceLines = new Map<string, { stamp: string; lines: LineIndex }>();

  constructor(
    readonly fs: WorkspaceFileSystem = nodeWorkspaceFileSystem,
    options: WorkspaceOptions = {},
  ) {
    this.loader = new SourceLoader(fs, options.indexer, options.indexed);
    this.documents = new Documents(this.loader, options.run);
    this.settingsFiles = new SettingsFiles(fs);
  }

  /** The settings a protocol under `root` is checked with: `review-protocol.json`'s under `overrides` (the editor's, or --severity). */
  settings(root: string, overrides: Settings): { settings: Settings; file: SettingsFileState } {
    return this.settingsFiles.effective(root, overrides);
  }

  /** A malformed settings file as a file with its one diagnostic. */
  settingsReport(file: SettingsFileState): CheckedFile | undefined {
    if (!file.problem || file.text === undefined) return undefined;
    return { file: file.file, text: file.text, lines: file.problem.lines, diagnostics: [file.problem.diagnostic] };
  }

  /** An open document analysed (with its own analyzer, kept) and its diagnostics under the settings. */
  check(key: string, doc: DocumentText, overrides: Settings): CheckedDocument {
    const analysed = this.documents.analyse(key, doc);
    const { settings, file } = this.settings(doc.root, overrides);
    return { ...analysed, diagnostics: applySettings(analysed.analysis.diagnostics, settings), settingsFile: file };
  }

  /** A protocol file read from disk and checked under `settings`; undefined when it cannot be read. */
  checkFile(file: string, root: string, settings: Settings): CheckedFile | undefined {
    let text: string;
    try {
      text = this.fs.readFile(file);
    } catch {
      return undefined;
    }
    const analysis = this.documents.analyseOnce(text, nodePath.resolve(file), root);
    return { file, text, lines: new LineIndex(text), diagnostics: applySettings(analysis.diagnostics, settings), analysis };
  }

  /** The protocol files the paths name (folders searched), and the paths that could not be used. */
  protocolFiles(paths: readonly string[]): ProtocolFiles {
    return protocolFiles.protocolFiles(this.fs, paths);
  }

  /** Whether a path leads to a file or folder (following links). */
  exists(path: string): boolean {
    try {
      this.fs.stat(path);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether a path leads to a folder (following links). */
  isFolder(path: string): boolean {
    try {
      return this.fs.stat(path).isDirectory;
    } catch {
      return false;
    }
  }

  /** A file's bytes (a file the user named: an import's input). Throws with Node's `code` when it cannot be read. */
  readBytes(path: string): Uint8Array {
    return this.fs.readBytes(path);
  }

  /** A file on disk changed: what was read of it is forgotten. */
  changed(path: string): void {
    this.loader.invalidate(path);
  }

  /** The line index of a source file inside one of `roots` (for locations and hover links); cached by its identity. */
  linesOfSource(path: string, roots: readonly string[]): LineIndex | undefined {
    // Paths come from analyses, which name only files inside the workspace; checked again here.
    if (!roots.some((r) => isInside(path, r))) return undefined;
    try {
      const stat = this.fs.lstat(this.fs.realpath(path) ?? path);
      if (!stat?.isFile) return undefined;
      const stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
      const hit = this.sourceLines.get(path);
      if (hit?.stamp === stamp) return hit.lines;
      const lines = new LineIndex(this.fs.readFile(path));
      this.sourceLines.set(path, { stamp, lines });
      return lines;
    } catch {
      return undefined;
    }
  }

  plots(analysis: ProtocolAnalysis, weighted: boolean): Plots {
    return pictures.plots(analysis, weighted);
  }

  /** Makes an output folder and tries writing in it; throws `OutputFolderError` with the reason. */
  prepareOutputFolder(dir: string): void {
    outputs.prepareOutputFolder(this.fs, dir, process.pid);
  }

  /** Writes a protocol's pictures under `outDir`, at its path relative to `root`. Throws on failure. */
  writePlots(outDir: string, root: string, file: string, analysis: ProtocolAnalysis, weighted: boolean): void {
    outputs.writePlots(this.fs, outDir, root, file, analysis, weighted);
  }

  /** Writes a protocol's results JSON under `outDir`, at its path relative to `root`; returns its path. Throws on failure. */
  writeResults(outDir: string, root: string, file: string, analysis: ProtocolAnalysis): string {
    return outputs.writeResults(this.fs, outDir, root, file, analysis);
  }

  /** A RevMan review's bytes converted and checked; `name` the output's base name, `dir` where it goes. */
  importReview(bytes: Uint8Array, name: string, dir: string, steps?: ImportSteps): ImportReply {
    return imports.importReview(bytes, name, dir, this.loader, steps);
  }

  /** Whether an import's input is a Cochrane data package (a .zip, or a folder) rather than a .rm5. */
  isPackage(path: string): boolean {
    return packages.isPackageInput(this.fs, path);
  }

  /** A data package (its ZIP, its data ZIP or a folder) converted and checked; an error names its file and line. */
  importPackage(path: string, name: string, dir: string, steps?: ImportSteps): ImportReply {
    return packages.importPackage(this.fs, path, name, dir, this.loader, steps);
  }

  /** A protocol on disk exported under its root's settings; undefined when it cannot be read. */
  exportFile(file: string, root: string, format: ExportFormat): ExportedReview | undefined {
    const checked = this.checkFile(file, root, this.settings(root, DEFAULT_SETTINGS).settings);
    return checked?.analysis && exporting.exportAnalysed(checked.diagnostics, checked.analysis, protocolName(nodePath.basename(file)), format, checked.lines);
  }

  /** A protocol analysed (the editor's open document) exported; `name` its file name without the extension. */
  exportAnalysed(text: string, analysis: ProtocolAnalysis, diagnostics: readonly Diagnostic[], name: string, format: ExportFormat): ExportedReview {
    return exporting.exportAnalysed(diagnostics, analysis, name, format, new LineIndex(text));
  }

  /** An import's files (the protocol, and its references when there are some) written into `dir`. */
  saveImport(dir: string, name: string, imported: { protocol: string; references?: string }, force: boolean): SavedFiles {
    return this.saveFiles(dir, imports.importFiles(name, imported), force);
  }

  /** Files written into `dir`, all or none; never over an existing file without `force`. */
  saveFiles(dir: string, files: readonly { name: string; content: string | Uint8Array }[], force: boolean): SavedFiles {
    return save.saveFiles(this.fs, dir, files, { force, pid: process.pid });
  }
}
