/**
 * "Export review" (contract section 10) as plain data, for the command line and
 * the editor: a protocol without errors as a RevMan 5 file or a version-1
 * Cochrane data package, with what the export could not carry as written. The
 * caller writes the files (never over existing ones without being told).
 */
import * as nodePath from "node:path";
import { packageFile, protocolName, rm5File } from "../../../schemas/src/files";
import { ProtocolAnalyzer } from "../core/analyzer/analyzer";
import type { ProtocolAnalysis } from "../core/analyzer/protocol-analysis";
import { dataPackage, packageId } from "../core/export/datapackage";
import { exportReview } from "../core/export/review";
import { rm5Xml } from "../core/export/rm5";
import { SourceLoader } from "../core/sources/loader";
import { LineIndex } from "../core/syntax/text";

export const EXPORT_FORMATS = ["rm5", "datapackage"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type ExportedReview = { files: { name: string; bytes: Uint8Array }[]; notes: string[] } | { errors: string[] };

/**
 * Exports the protocol `text` at `path` (its sources read inside `root`).
 * A protocol with errors exports nothing: its errors come back as `line:col: message`.
 */
export function exportProtocol(text: string, path: string, root: string, format: ExportFormat): ExportedReview {
  const analysis = new ProtocolAnalyzer().analyse(text, { path, root, loader: new SourceLoader() });
  return exportAnalysed(text, analysis, protocolName(nodePath.basename(path)), format);
}

/** The export of a protocol already analysed (the editor's); `name` is its file name without the extension. */
export function exportAnalysed(text: string, analysis: ProtocolAnalysis, name: string, format: ExportFormat): ExportedReview {
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) {
    const lines = new LineIndex(text);
    return { errors: errors.map((d) => `${lines.positionAt(d.start).line + 1}:${lines.positionAt(d.start).character + 1}: ${d.code} ${d.message}`) };
  }
  const review = exportReview(analysis);
  if (format === "rm5") return { files: [{ name: rm5File(name), bytes: new TextEncoder().encode(rm5Xml(review, analysis.stage.review ? "review" : "protocol")) }], notes: review.notes };
  const id = packageId(review, name);
  return { files: [{ name: packageFile(id), bytes: dataPackage(review, id) }], notes: review.notes };
}

export const isExportFormat = (v: unknown): v is ExportFormat => EXPORT_FORMATS.includes(v as ExportFormat);
