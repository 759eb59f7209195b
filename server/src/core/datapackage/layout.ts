/**
 * Where a data package keeps its files (contract section 10): the outer ZIP's
 * `<ID>-files/<ID>-data.zip`, the data ZIP itself, or either extracted into a
 * folder; inside, `<ID>-analysis-data/` and `<ID>-study-data/`. Finds them by
 * their suffixes wherever they sit, and says which are missing.
 */
import { PACKAGE_FILES } from "../../../../schemas/src/files";
import { PackageError } from "./csv";
import { InflateBudget, readZip } from "./zip";

/** The package's files: path (inside the package, `/`-separated) -> bytes. */
export type PackageEntries = ReadonlyMap<string, Uint8Array>;

interface PackageFile {
  /** Where it is, for messages: `Fleiss1993.zip:…-data.zip/…/x-data-rows.csv`. */
  label: string;
  text: string;
}

export interface PackageLayout {
  /** RevMan Web's review id (the files' prefix). */
  id: string;
  overall: PackageFile;
  rows: PackageFile;
  subgroupEstimates?: PackageFile;
  studies?: PackageFile;
  riskOfBias?: PackageFile;
  references?: PackageFile;
  /** Study files the package lacks (it imports what it has and says so). */
  missing: string[];
}

/** The entries an import reads: CSV, RIS and the inner data ZIP. */
export const packageEntryWanted = (path: string): boolean => /\.(csv|ris)$/i.test(path) || path.endsWith(PACKAGE_FILES.dataZip);

const base = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/**
 * Finds the package's files in `entries` (`label` names where they came from).
 * Throws PackageError when the analysis files are missing, or for a diagnostic
 * test accuracy review.
 */
export function packageLayout(entries: PackageEntries, label: string, budget: InflateBudget = new InflateBudget()): PackageLayout {
  let files = new Map([...entries].map(([p, b]) => [p, { label: `${label}:${p}`, bytes: b }]));
  const overallAt = () => [...files.keys()].find((p) => p.endsWith(PACKAGE_FILES.overall));
  // The outer package: the data ZIP inside `<ID>-files/` holds the files.
  const dataZip = [...files.keys()].find((p) => p.endsWith(PACKAGE_FILES.dataZip));
  if (!overallAt() && dataZip) {
    const inner = readZip(files.get(dataZip)!.bytes, `${label}:${dataZip}`, packageEntryWanted, budget);
    files = new Map([...inner].map(([p, b]) => [p, { label: `${label}:${dataZip}/${p}`, bytes: b }]));
  }
  const parameters = [...files.keys()].find((p) => p.endsWith(PACKAGE_FILES.parameters));
  if (parameters) throw new PackageError("a diagnostic test accuracy review: diagnostic test accuracy reviews are not supported yet", files.get(parameters)!.label, 0);
  const overall = overallAt();
  const id = overall ? base(overall).slice(0, -PACKAGE_FILES.overall.length) : undefined;
  const find = (suffix: string) => {
    const path = [...files.keys()].find((p) => base(p) === `${id}${suffix}`) ?? [...files.keys()].find((p) => p.endsWith(suffix));
    return path ? { label: files.get(path)!.label, text: new TextDecoder("utf-8").decode(files.get(path)!.bytes) } : undefined;
  };
  const rows = find(PACKAGE_FILES.rows);
  if (id === undefined || !rows) {
    const lacking = [!overall && PACKAGE_FILES.overall, !rows && PACKAGE_FILES.rows].filter(Boolean).map((s) => `<ID>${PACKAGE_FILES.analysisFolder}/<ID>${s}`);
    throw new PackageError(`not a Cochrane data package with analyses: no ${lacking.join(" and no ")}`, label, 0);
  }
  const layout: PackageLayout = { id, overall: find(PACKAGE_FILES.overall)!, rows, missing: [] };
  for (const key of ["subgroupEstimates", "studies", "riskOfBias", "references"] as const) layout[key] = find(PACKAGE_FILES[key]);
  for (const key of ["subgroupEstimates", "studies", "riskOfBias", "references"] as const) if (!layout[key]) layout.missing.push(`${id}${PACKAGE_FILES[key]}`);
  return layout;
}
