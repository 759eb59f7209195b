/**
 * A data package's analysis files as RevMan 5 outcomes (the intermediate the
 * .rm5 import writes a protocol from): settings and pooled results from the
 * overall file, rows with each study's stored effect and weight from the
 * data-rows file, subgroups' results from the subgroup file. Each stored number
 * keeps the decimal places it was written with: the self-check compares to half
 * a unit in the last of them. An analysis whose stored numbers are all 0
 * (RevMan Web wrote zeros: it stored nothing) keeps none.
 */
import { MEASURE, PACKAGE_DATA_TYPES, PACKAGE_MEASURES, PACKAGE_METHODS, PACKAGE_RANDOM_MODEL } from "../../../../schemas/src/domain";
import type { Rm5Outcome, Rm5Row, Rm5Stored, StoredNumber } from "../revman/rm5";
import { decimalPlaces, numberAt, PackageError, requireColumns, type CsvRecord, type CsvTable } from "./csv";

const KEY = ["Analysis group", "Analysis number"];
const OVERALL_REQUIRED = [...KEY, "Analysis name", "Data type", "Statistical method", "Effect measure", "Analysis model", "Mean", "CI start", "CI end"];
const ROW_REQUIRED = [...KEY, "Study", "Weight", "Mean", "CI start", "CI end"];
const ARM_COLUMNS: Record<string, string[]> = {
  dichotomous: ["Experimental cases", "Experimental N", "Control cases", "Control N"],
  continuous: ["Experimental mean", "Experimental SD", "Experimental N", "Control mean", "Control SD", "Control N"],
  generic: ["GIV Mean", "GIV SE"],
  "o-e": ["O-E", "Variance"],
};
/** Stored numbers of the overall and subgroup files -> RevMan 5's. */
const POOLED_NUMBERS: [string, StoredNumber][] = [
  ["Mean", "effect"], ["CI start", "ciStart"], ["CI end", "ciEnd"], ["Heterogeneity Tau²", "tau2"], ["Heterogeneity Chi²", "chi2"],
  ["Heterogeneity df", "df"], ["Heterogeneity P", "pChi2"], ["Heterogeneity I²", "i2"], ["Effect Z", "z"], ["Effect P", "pZ"], ["Weight", "weight"],
];
const SUBGROUP_TEST_NUMBERS: [string, StoredNumber][] = [["Subgroup Chi²", "q"], ["Subgroup df", "dfQ"], ["Subgroup P", "pQ"], ["Subgroup I²", "i2Q"]];
const ROW_NUMBERS: [string, StoredNumber][] = [["Mean", "effect"], ["CI start", "ciStart"], ["CI end", "ciEnd"], ["Weight", "weight"]];

const keyOf = (r: CsvRecord) => `${r.get("Analysis group")}.${r.get("Analysis number")}`;
const isTrue = (text: string) => /^(true|yes)$/i.test(text);

/** The stored numbers of a record, with the places each was written with. */
function storedOf(table: CsvTable, r: CsvRecord, columns: readonly [string, StoredNumber][]): Rm5Stored {
  const stored: Rm5Stored = { places: {} };
  for (const [column, key] of columns) {
    if (!table.columns.includes(column)) continue;
    const n = numberAt(table, r, column);
    if (n === undefined) continue;
    stored[key] = n;
    stored.places![key] = decimalPlaces(r.get(column));
  }
  return stored;
}

/** Whether a stored record holds any result (df aside, which RevMan Web writes even when it stored nothing). */
const holdsResults = (s: Rm5Stored) => Object.entries(s).some(([k, v]) => typeof v === "number" && k !== "df" && k !== "dfQ" && v !== 0);

export interface PackageAnalyses {
  outcomes: Rm5Outcome[];
  /** Analyses whose rows count non-events (`Swap event and non-event`): swapped back to events. */
  swapped: number;
}

/** Reads the three analysis files. Throws PackageError (file and line) for a missing column, a non-number, an unknown measure. */
export function readAnalyses(overall: CsvTable, rows: CsvTable, subgroups: CsvTable | undefined): PackageAnalyses {
  requireColumns(overall, OVERALL_REQUIRED);
  requireColumns(rows, ROW_REQUIRED);
  if (subgroups) requireColumns(subgroups, [...KEY, "Subgroup", "Mean", "CI start", "CI end"]);
  const outcomes = new Map<string, Rm5Outcome>();
  let swapped = 0;
  for (const r of overall.records) {
    const o = outcomeOf(overall, r);
    if (isTrue(r.get("Swap event and non-event"))) swapped++;
    outcomes.set(keyOf(r), o);
  }
  const kinds = new Set([...outcomes.values()].map((o) => (o.method === "PETO" && o.kind === "generic" ? "o-e" : o.kind)));
  requireColumns(rows, [...kinds].flatMap((k) => ARM_COLUMNS[k] ?? []));
  for (const r of rows.records) {
    const o = outcomes.get(keyOf(r));
    if (!o) throw new PackageError(`a data row of analysis ${keyOf(r)}, which the overall file does not define`, rows.file, r.line);
    const row = rowOf(rows, r, o);
    const name = r.get("Subgroup");
    if (!name) o.rows.push(row);
    else {
      let g = o.subgroups.find((s) => s.name === name);
      if (!g) o.subgroups.push((g = { name, rows: [], stored: {} }));
      g.rows.push(row);
    }
  }
  for (const r of subgroups?.records ?? []) {
    const g = outcomes.get(keyOf(r))?.subgroups.find((s) => s.name === r.get("Subgroup"));
    if (g) g.stored = storedOf(subgroups!, r, POOLED_NUMBERS);
  }
  for (const o of outcomes.values()) finish(o);
  return { outcomes: [...outcomes.values()], swapped };
}

function outcomeOf(table: CsvTable, r: CsvRecord): Rm5Outcome {
  const type = PACKAGE_DATA_TYPES[r.get("Data type")];
  if (!type) throw new PackageError(`'Data type' is '${r.get("Data type")}': not one of ${Object.keys(PACKAGE_DATA_TYPES).join(", ")}`, table.file, r.line);
  const kind = type === "o-e" ? "generic" : type;
  const measureText = r.get("Effect measure");
  let measure = kind === "generic" ? MEASURE.GIV : PACKAGE_MEASURES[measureText];
  if (measure === undefined) throw new PackageError(`'Effect measure' is '${measureText}': not a measure of ${type} data RevMan knows`, table.file, r.line);
  let method = PACKAGE_METHODS[r.get("Statistical method")] ?? "IV";
  if (measure === MEASURE.PETO_OR) method = "PETO";
  if (type === "o-e") {
    measure = MEASURE.GIV;
    method = "PETO";
  }
  const overallTotals = isTrue(r.get("Overall estimates") || "true");
  const subgroupTotals = isTrue(r.get("Subgroup estimates") || "true");
  const [group, number] = KEY.map((k) => r.get(k).padStart(k === KEY[0] ? 3 : 2, "0"));
  const labels: [string, string] = [r.get("Experimental group label") || r.get("Experimental intervention"), r.get("Control group label") || r.get("Control intervention")];
  const o: Rm5Outcome = {
    id: `CMP-${group}.${number}`,
    line: r.line,
    kind,
    name: r.get("Analysis name"),
    comparison: r.get("Analysis group name"),
    measure,
    method,
    random: PACKAGE_RANDOM_MODEL.test(r.get("Analysis model")),
    totals: overallTotals ? "YES" : subgroupTotals ? "SUB" : "NO",
    hasSubgroups: false,
    logData: type === "o-e" || isTrue(r.get("Log-scale data")),
    groupLabels: labels,
    rows: [],
    subgroups: [],
    stored: storedOf(table, r, [...POOLED_NUMBERS.filter(([, k]) => k !== "weight"), ...SUBGROUP_TEST_NUMBERS]),
  };
  if (kind === "generic" && measureText) o.label = measureText;
  if (isTrue(r.get("Swap event and non-event"))) o.swapEvents = true;
  return o;
}

function rowOf(table: CsvTable, r: CsvRecord, o: Rm5Outcome): Rm5Row {
  const n = (column: string) => numberAt(table, r, column) ?? NaN;
  const row: Rm5Row = { studyId: r.get("Study"), line: r.line, kind: o.kind, stored: storedOf(table, r, ROW_NUMBERS), footnotes: r.get("Footnotes") ? [r.get("Footnotes")] : [] };
  const total: [number, number] = [n("Experimental N"), n("Control N")];
  if (o.kind === "dichotomous") {
    row.events = [n("Experimental cases"), n("Control cases")];
    // The rows count non-events: the protocol holds events.
    if (o.swapEvents) row.events = [total[0] - row.events[0], total[1] - row.events[1]];
    row.total = total;
  } else if (o.kind === "continuous") {
    row.mean = [n("Experimental mean"), n("Control mean")];
    row.sd = [n("Experimental SD"), n("Control SD")];
    row.total = total;
  } else if (o.method === "PETO") {
    // O − E and V: Peto's log odds ratio (O − E)/V with variance 1/V.
    const v = n("Variance");
    row.estimate = n("O-E") / v;
    row.se = 1 / Math.sqrt(v);
  } else {
    row.estimate = numberAt(table, r, "GIV Mean");
    row.se = numberAt(table, r, "GIV SE");
    if (total.every((t) => t > 0)) row.total = total;
  }
  // A row RevMan Web could not estimate has no effect and no interval (zeros or blanks).
  const s = row.stored;
  if (![s.effect, s.ciStart, s.ciEnd].some((v) => v !== undefined && v !== 0)) row.stored = { estimable: false };
  return row;
}

/** Subgroups in the file's order; an analysis that stored nothing keeps no stored numbers. */
function finish(o: Rm5Outcome): void {
  o.hasSubgroups = o.subgroups.length > 0;
  if (o.hasSubgroups && o.rows.length) {
    // Rows without a subgroup in an analysis with subgroups: a subgroup of their own, named as RevMan Web leaves it.
    o.subgroups.unshift({ name: "", rows: o.rows, stored: {} });
    o.rows = [];
  }
  const rows = [...o.rows, ...o.subgroups.flatMap((g) => g.rows)];
  const stored = holdsResults(o.stored) || o.subgroups.some((g) => holdsResults(g.stored)) || rows.some((r) => holdsResults(r.stored));
  if (stored) return;
  o.storedAsZeros = true;
  o.stored = {};
  for (const g of o.subgroups) g.stored = {};
  for (const r of rows) r.stored = { estimable: false };
}
