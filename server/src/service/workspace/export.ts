/**
 * "Export review" (contract section 10) as plain data, for the command line and
 * the editor: a protocol without errors as a RevMan 5 file or a version-1
 * Cochrane data package, with what the export could not carry as written. The
 * caller writes the files (never over existing ones without being told).
 */
import { packageFile, rm5File } from "../../../../schemas/src/files";
import type { ProtocolAnalysis } from "../../core/analyzer/protocol-analysis";
import { dataPackage, packageId } from "../../core/export/datapackage";
import { exportReview } from "../../core/export/review";
import { rm5Xml } from "../../core/export/rm5";
import type { Diagnostic } from "../../core/checks/diagnostics";
import type { LineIndex } from "../../core/syntax/text";

export const EXPORT_FORMATS = ["rm5", "datapackage"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What an export gives: its files, or the protocol's errors (nothing to write). */
export type ExportedReview = { files: { name: string; bytes: Uint8Array }[]; notes: string[] } | { errors: string[] };

/** The export of a protocol already analysed (the editor's); `name` is its file name without the extension. */
export function exportAnalysed(diagnostics: readonly Diagnostic[], analysis: ProtocolAnalysis, name: string, format: ExportFormat, lines: LineIndex): ExportedReview {
  // The errors under the author's settings: a code they lowered does not block the export.
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length) {
    return { errors: errors.map((d) => `${lines.positionAt(d.start).line + 1}:${lines.positionAt(d.start).character + 1}: ${d.code} ${d.message}`) };
  }
  const review = exportReview(analysis);
  if (format === "rm5") return { files: [{ name: rm5File(name), bytes: new TextEncoder().encode(rm5Xml(review, analysis.stage.review ? "review" : "protocol")) }], notes: review.notes };
  const id = packageId(review, name);
  return { files: [{ name: packageFile(id), bytes: dataPackage(review, id) }], notes: review.notes };
}

export const isExportFormat = (v: unknown): v is ExportFormat => EXPORT_FORMATS.includes(v as ExportFormat);
