/**
 * A Cochrane data package (contract section 10) as the RevMan 5 review the
 * .rm5 import writes a protocol from: analyses from the analysis files, studies,
 * risk of bias and references from the study files. Also what the import says
 * about it: columns it does not know (ignored, named), study files missing,
 * what it could not map. Pure: takes the package's files, never the file system.
 */
import { PACKAGE_OVERALL_COLUMNS, PACKAGE_ROB_JUDGEMENT_PREFIX, PACKAGE_ROB_SUPPORT_PREFIX, PACKAGE_ROW_COLUMNS, PACKAGE_STUDY_COLUMNS, PACKAGE_SUBGROUP_COLUMNS, PACKAGE_CHARACTERISTIC_PREFIX } from "../../../../schemas/src/domain";
import type { Rm5Review } from "../revman/rm5";
import { Tally } from "../revman/import-summary";
import { readAnalyses } from "./analyses";
import { readCsv, type CsvTable } from "./csv";
import type { PackageLayout } from "./layout";
import { readRiskOfBias, readRis, readStudies } from "./studies";

export interface PackageReview {
  review: Rm5Review;
  /** What the package holds that the import does not map, for the summary. */
  notMapped: Tally;
  /** "… (file)" for each unknown column: ignored, named in the summary. */
  unknownColumns: string[];
  /** Study files the package lacks. */
  missing: string[];
}

const fileName = (label: string) => label.slice(label.lastIndexOf("/") + 1);

/** Columns of a file that are not among `known` (nor of the families that start with `prefixes`). */
function unknownColumns(table: CsvTable | undefined, known: readonly string[], prefixes: readonly string[] = []): string[] {
  if (!table) return [];
  const set = new Set(known);
  return table.columns.filter((c) => c && !set.has(c) && !prefixes.some((p) => c.startsWith(p))).map((c) => `'${c}' (${fileName(table.file)})`);
}

/** Reads a package's files. Throws PackageError (file and line) for what it cannot import. */
export function readPackage(layout: PackageLayout, title: string): PackageReview {
  const csv = (f: { label: string; text: string } | undefined) => (f ? readCsv(f.text, f.label) : undefined);
  const overall = csv(layout.overall)!;
  const rows = csv(layout.rows)!;
  const subgroups = csv(layout.subgroupEstimates);
  const studyTable = csv(layout.studies);
  const robTable = csv(layout.riskOfBias);
  const { outcomes, swapped } = readAnalyses(overall, rows, subgroups);
  const rowStudies = rows.records.map((r) => ({ name: r.get("Study"), year: r.get("Study year"), line: r.line }));
  const included = readStudies(studyTable, rowStudies);
  const rob = readRiskOfBias(robTable);
  const references = layout.references ? readRis(layout.references.text, layout.references.label, included) : [];
  const notMapped = new Tally();
  notMapped.count(swapped, "analysis whose rows count non-events (swapped back to events)", "analyses whose rows count non-events (swapped back to events)");
  for (const [text, n] of rob.unmapped) notMapped.add(`risk-of-bias judgement '${text}'`, n, ["entry", "entries"]);
  const review: Rm5Review = {
    title,
    type: "INTERVENTION",
    stage: "R",
    authors: [],
    dates: new Map(),
    support: [],
    sections: [],
    included,
    excluded: [],
    awaiting: [],
    ongoing: [],
    references,
    outcomes,
    qualityItems: rob.items,
    extras: [],
  };
  const unknown = [
    ...unknownColumns(overall, PACKAGE_OVERALL_COLUMNS),
    ...unknownColumns(rows, PACKAGE_ROW_COLUMNS),
    ...unknownColumns(subgroups, PACKAGE_SUBGROUP_COLUMNS),
    ...unknownColumns(studyTable, PACKAGE_STUDY_COLUMNS, [PACKAGE_CHARACTERISTIC_PREFIX]),
    ...unknownColumns(robTable, ["Study"], [PACKAGE_ROB_JUDGEMENT_PREFIX, PACKAGE_ROB_SUPPORT_PREFIX]),
  ];
  return { review, notMapped, unknownColumns: unknown, missing: layout.missing };
}
