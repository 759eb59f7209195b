/**
 * review-import's input when it is a Cochrane data package (contract section
 * 10): a ZIP (the outer package or its data ZIP) or a folder either was
 * extracted to. Reads only the files the import needs (CSV, RIS, the data ZIP),
 * bounded, and hands them to the core.
 */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import { PACKAGE_FILE } from "../../../schemas/src/files";
import { runPackageImport } from "../core/analyzer/import-package";
import type { ImportRun } from "../core/analyzer/import-check";
import { PackageError } from "../core/datapackage/csv";
import { packageEntryWanted } from "../core/datapackage/layout";
import { InflateBudget, readZip } from "../core/datapackage/zip";

/** A package is never this large (Cochrane's largest are a few MB). */
const MAX_PACKAGE_BYTES = 200 * 1024 * 1024;
/** A folder is searched this deep and this wide for the package's files. */
const MAX_DEPTH = 6;
const MAX_FILES = 10_000;

/** Whether review-import reads `file` as a data package: a .zip, or a folder. */
export function isPackageInput(file: string): boolean {
  if (PACKAGE_FILE.test(file)) return true;
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The output's base name: the ZIP's or the folder's name. */
export function packageName(file: string): string {
  return nodePath.basename(nodePath.resolve(file)).replace(PACKAGE_FILE, "");
}

/** The files of a folder the import reads, by their path below it. */
function folderEntries(dir: string, budget: InflateBudget): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let seen = 0;
  const walk = (rel: string, depth: number) => {
    for (const d of fs.readdirSync(nodePath.join(dir, rel), { withFileTypes: true })) {
      if (++seen > MAX_FILES) throw new PackageError(`more than ${MAX_FILES} files: not a data package`, dir, 0);
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory() && depth < MAX_DEPTH) walk(path, depth + 1);
      else if (d.isFile() && packageEntryWanted(path)) {
        const bytes = fs.readFileSync(nodePath.join(dir, path));
        budget.used += bytes.length;
        if (budget.used > budget.limit) throw new PackageError(`more than ${budget.limit / 1024 / 1024} MB of package files`, nodePath.join(dir, path), 0);
        out.set(path, bytes);
      }
    }
  };
  walk("", 0);
  return out;
}

/** Imports the package at `file`. Throws PackageError (file and line) for what cannot be imported. */
export function convertPackage(file: string, name: string, dir: string): ImportRun {
  const budget = new InflateBudget();
  const label = nodePath.basename(file);
  let entries: Map<string, Uint8Array>;
  try {
    if (fs.statSync(file).isDirectory()) entries = folderEntries(file, budget);
    else {
      if (fs.statSync(file).size > MAX_PACKAGE_BYTES) throw new PackageError(`larger than any data package (files over ${MAX_PACKAGE_BYTES / 1024 / 1024} MB are not read)`, file, 0);
      entries = readZip(fs.readFileSync(file), label, packageEntryWanted, budget);
    }
  } catch (e) {
    if (e instanceof PackageError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new PackageError(err.code === "ENOENT" ? "no such file or folder" : `cannot read: ${err.message}`, file, 0);
  }
  return runPackageImport(entries, label, name, dir, budget);
}
