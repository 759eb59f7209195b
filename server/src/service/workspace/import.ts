/**
 * A RevMan review imported, as the command line and the editor both run it
 * (contract section 9): converted, every analysis recomputed from the written
 * protocol and compared with what RevMan stored (core/analyzer/import-check.ts),
 * as the reply both read. The editor's client writes the files itself (the
 * server reads nothing outside the workspace); the command line saves them
 * through save.ts.
 */
import { protocolFile, referencesFile } from "../../../../schemas/src/files";
import type { ImportReply } from "../../../../schemas/src/replies";
import { runImport, type ImportSteps } from "../../core/analyzer/import-check";
import { ImportError } from "../../core/revman/import";
import { Rm5Error } from "../../core/revman/rm5";
import type { SourceLoader } from "../../core/sources/loader";

/**
 * `name` is the output's base name; `dir` where it will be written (for the
 * self-check's paths). A file that is not a RevMan review is an error with its
 * line; anything else that fails is thrown.
 */
export function importReview(bytes: Uint8Array, name: string, dir: string, loader: SourceLoader, steps?: ImportSteps): ImportReply {
  try {
    const { result, check, summary } = runImport(bytes, name, dir, loader, steps);
    return { protocol: result.protocol, references: result.references, analyses: check.analyses, unstored: check.unstored, failures: check.failures, summary };
  } catch (e) {
    if (e instanceof Rm5Error || e instanceof ImportError) return { error: e.message, line: e.line };
    throw e;
  }
}

/** An import's files: `<name>.protocol.yaml` and, when the review has references, `<name>.references.json`. */
export function importFiles(name: string, imported: { protocol: string; references?: string }): { name: string; content: string }[] {
  const files = [{ name: protocolFile(name), content: imported.protocol }];
  if (imported.references) files.push({ name: referencesFile(name), content: imported.references });
  return files;
}
