/**
 * "Import RevMan review (.rm5)" for the editor, as plain data: the client reads
 * the file the author picked and writes what comes back beside it, so the
 * server reads nothing outside the workspace. The summary is the command line's.
 */
import { ImportError } from "../core/revman/import";
import { runImport } from "../core/analyzer/import-check";
import { Rm5Error } from "../core/revman/rm5";

export type ImportedReview =
  | { protocol: string; references?: string; analyses: number; unstored: number; failures: string[]; summary: string[] }
  | { error: string; line?: number };

/** `name` is the output's base name; `dir` where it will be written (for the self-check's paths). */
export function importReview(bytes: Uint8Array, name: string, dir: string): ImportedReview {
  try {
    const { result, check, summary } = runImport(bytes, name, dir);
    return { protocol: result.protocol, references: result.references, analyses: check.analyses, unstored: check.unstored, failures: check.failures, summary };
  } catch (e) {
    if (e instanceof Rm5Error || e instanceof ImportError) return { error: e.message, line: e.line };
    return { error: (e as Error).message };
  }
}
