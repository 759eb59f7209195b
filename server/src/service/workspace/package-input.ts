/**
 * review-import's input when it is a Cochrane data package (contract section
 * 10): a ZIP (the outer package or its data ZIP) or a folder either was
 * extracted to. Reads only the files the import needs (CSV, RIS, the data ZIP),
 * bounded, through the workspace's file system, and hands them to the core.
 */
import * as nodePath from "node:path";
import { PACKAGE_FILE } from "../../../../schemas/src/files";
import type { ImportReply } from "../../../../schemas/src/replies";
import type { ImportSteps } from "../../core/analyzer/import-check";
import { runPackageImport } from "../../core/analyzer/import-package";
import { PackageError } from "../../core/datapackage/csv";
import { packageEntryWanted } from "../../core/datapackage/layout";
import { InflateBudget, readZip } from "../../core/datapackage/zip";
import type { SourceLoader } from "../../core/sources/loader";
import { codeOf, type WorkspaceFileSystem } from "./file-system";

/** A package is never this large (Cochrane's largest are a few MB). */
const MAX_PACKAGE_BYTES = 200 * 1024 * 1024;
/** A folder is searched this deep and this wide for the package's files. */
const MAX_DEPTH = 6;
const MAX_FILES = 10_000;

/** Whether review-import reads `file` as a data package: a .zip, or a folder. */
export function isPackageInput(fs: WorkspaceFileSystem, file: string): boolean {
  if (PACKAGE_FILE.test(file)) return true;
  try {
    return fs.stat(file).isDirectory;
  } catch {
    return false;
  }
}

/** The files of a folder the import reads, by their path below it. */
function folderEntries(fs: WorkspaceFileSystem, dir: string, budget: InflateBudget): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let seen = 0;
  const walk = (rel: string, depth: number) => {
    for (const d of fs.readFolder(nodePath.join(dir, rel))) {
      if (++seen > MAX_FILES) throw new PackageError(`more than ${MAX_FILES} files: not a data package`, dir, 0);
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory && depth < MAX_DEPTH) walk(path, depth + 1);
      else if (d.isFile && packageEntryWanted(path)) {
        const bytes = fs.readBytes(nodePath.join(dir, path));
        budget.used += bytes.length;
        if (budget.used > budget.limit) throw new PackageError(`more than ${budget.limit / 1024 / 1024} MB of package files`, nodePath.join(dir, path), 0);
        out.set(path, bytes);
      }
    }
  };
  walk("", 0);
  return out;
}

/** The package at `file` imported and checked, as the editor's and the command line's reply; an error names its file and line. */
export function importPackage(fs: WorkspaceFileSystem, file: string, name: string, dir: string, loader: SourceLoader, steps: ImportSteps = () => undefined): ImportReply {
  const budget = new InflateBudget();
  const label = nodePath.basename(file);
  try {
    steps(0, "reading the package");
    const entries = packageEntries(fs, file, label, budget);
    steps(0.3, "converting and recomputing the analyses");
    const { result, check, summary } = runPackageImport(entries, label, name, dir, budget, loader);
    return { protocol: result.protocol, references: result.references, analyses: check.analyses, unstored: check.unstored, failures: check.failures, summary };
  } catch (e) {
    if (e instanceof PackageError) return { error: e.message, file: e.file, line: e.line || undefined };
    throw e;
  }
}

/** The package's files the import reads, from a folder or a ZIP. */
function packageEntries(fs: WorkspaceFileSystem, file: string, label: string, budget: InflateBudget): Map<string, Uint8Array> {
  try {
    const stat = fs.stat(file);
    if (stat.isDirectory) return folderEntries(fs, file, budget);
    if (stat.size > MAX_PACKAGE_BYTES) throw new PackageError(`larger than any data package (files over ${MAX_PACKAGE_BYTES / 1024 / 1024} MB are not read)`, file, 0);
    return readZip(fs.readBytes(file), label, packageEntryWanted, budget);
  } catch (e) {
    if (e instanceof PackageError) throw e;
    throw new PackageError(codeOf(e) === "ENOENT" ? "no such file or folder" : `cannot read: ${(e as Error).message}`, file, 0);
  }
}
