/**
 * A Cochrane data package imported as the command line and the editor run it
 * (contract section 10): find its files, read them as a RevMan review, write
 * the protocol as the .rm5 import does, recompute every analysis and compare
 * with the numbers the package stored (to the decimals it wrote them with).
 * Throws PackageError (file and line) for a package it cannot import.
 */
import * as nodePath from "node:path";
import { protocolFile } from "../../../../schemas/src/files";
import { ProtocolAnalyzer } from "./analyzer";
import type { ImportRun } from "./import-check";
import { packageLayout, type PackageEntries } from "../datapackage/layout";
import { readPackage } from "../datapackage/read";
import type { InflateBudget } from "../datapackage/zip";
import { analysesPart, importRm5, verifyImport } from "../revman/import";
import { summaryLines } from "../revman/import-summary";
import { SourceLoader } from "../sources/loader";

/**
 * `entries`: the package's files (path inside it -> bytes), `label` where they
 * came from (for messages), `name` the output's base name, `dir` where it will
 * be written (for the self-check's paths).
 */
export function runPackageImport(entries: PackageEntries, label: string, name: string, dir: string, budget?: InflateBudget, loader: SourceLoader = new SourceLoader()): ImportRun {
  const layout = packageLayout(entries, label, budget);
  const pkg = readPackage(layout, name);
  const result = importRm5(pkg.review, name, "a Cochrane data package (RevMan Web) of a");
  result.notMapped.addAll(pkg.notMapped);
  const analysis = new ProtocolAnalyzer().analyse(analysesPart(result.protocol), { path: nodePath.join(dir, protocolFile(name)), root: dir, loader });
  const check = verifyImport(result, analysis.metaAnalyses);
  const notes: string[] = [];
  if (pkg.missing.length) notes.push(`missing from the package (imported what it has): ${pkg.missing.join(", ")}`);
  if (pkg.unknownColumns.length) notes.push(`columns this import does not know (ignored): ${pkg.unknownColumns.join(", ")}`);
  return { result, check, summary: [...notes, ...summaryLines(result.referencesSummary, result.notMapped, result.merged, check)] };
}
