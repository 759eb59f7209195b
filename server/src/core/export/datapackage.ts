/**
 * A review as a version-1 Cochrane data package (contract section 10): the
 * outer ZIP holding `<ID>-files/<ID>-data.zip`, whose analysis files carry every
 * stored-result column filled from our results (at full precision) and whose
 * study files carry the studies, their characteristics, risk of bias and
 * references. CSV as RevMan Web writes it: UTF-8 with a BOM, a header row.
 */
import { strToU8 } from "fflate";
import { MEASURE, PACKAGE_CHARACTERISTIC_PREFIX, PACKAGE_CHARACTERISTICS, PACKAGE_DATA_TYPES, PACKAGE_MEASURES, PACKAGE_METHODS, PACKAGE_MODEL_NAMES, PACKAGE_OVERALL_COLUMNS, PACKAGE_ROB_JUDGEMENT_PREFIX, PACKAGE_ROB_RESULTS, PACKAGE_ROB_SUPPORT_PREFIX, PACKAGE_ROW_COLUMNS, PACKAGE_STUDY_COLUMNS, PACKAGE_SUBGROUP_COLUMNS, NO_TOTALS, SUBGROUP_TOTALS } from "../../../../schemas/src/domain";
import { PACKAGE_FILES } from "../../../../schemas/src/files";
import type { DataRow, Heterogeneity, Pooled } from "../stats/pooling";
import { zipFiles } from "./zip";
import { numbering, revmanName, type ExportAnalysis, type ExportReview, type ExportRow } from "./review";

type Cells = Record<string, string | number | boolean | null | undefined>;

const cell = (v: Cells[string]): string => {
  const t = v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? "" : String(v);
  return /[",\r\n]|^\s|\s$/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

/** A CSV file: BOM, header, one line per record. */
function csv(columns: readonly string[], records: readonly Cells[]): string {
  return `\uFEFF${[columns.map(cell).join(","), ...records.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\r\n")}\r\n`;
}

const first = <T extends string>(map: Readonly<Record<string, T>>, value: T) => Object.keys(map).find((k) => map[k] === value);
const DATA_TYPE = { dichotomous: first(PACKAGE_DATA_TYPES, "dichotomous")!, continuous: first(PACKAGE_DATA_TYPES, "continuous")!, generic: first(PACKAGE_DATA_TYPES, "generic")! };
const ROB_TEXT = Object.fromEntries(Object.entries(PACKAGE_ROB_RESULTS).map(([t, r]) => [r, t]));

function kindOf(a: ExportAnalysis): DataRow["kind"] {
  return a.groups.flatMap((g) => g.rows)[0]?.row.kind ?? (a.measure === MEASURE.GIV ? "generic" : a.measure === MEASURE.MD || a.measure === MEASURE.SMD ? "continuous" : "dichotomous");
}

/** Pooled numbers as the overall and subgroup files write them (zeros where nothing was estimated, as RevMan Web does). */
function pooledCells(p: Pooled | null, h: Heterogeneity | null): Cells {
  return {
    Mean: p?.effect ?? 0,
    "CI start": p?.ci[0] ?? 0,
    "CI end": p?.ci[1] ?? 0,
    "Heterogeneity Tau²": h?.tau2 ?? 0,
    "Heterogeneity Chi²": h?.q ?? 0,
    "Heterogeneity df": h?.df ?? 0,
    "Heterogeneity P": h?.p ?? (h ? 1 : 0),
    "Heterogeneity I²": h?.i2 ?? 0,
    "Effect Z": p?.z ?? 0,
    "Effect P": p?.p ?? 0,
  };
}

function totalsOf(rows: readonly ExportRow[]): Cells {
  const sum = (f: (r: DataRow) => number | undefined) => {
    const xs = rows.map((r) => f(r.row));
    return xs.length && xs.every((x) => x !== undefined) ? xs.reduce((a, b) => a! + b!, 0) : undefined;
  };
  return {
    "Experimental cases": sum((r) => (r.kind === "dichotomous" ? r.events[0] : undefined)),
    "Control cases": sum((r) => (r.kind === "dichotomous" ? r.events[1] : undefined)),
    "Experimental N": sum((r) => ("total" in r ? r.total?.[0] : undefined)),
    "Control N": sum((r) => ("total" in r ? r.total?.[1] : undefined)),
  };
}

function rowCells(a: ExportAnalysis, key: Cells, group: string | null, r: ExportRow, years: ReadonlyMap<string, string | undefined>): Cells {
  const row = r.row;
  const s = r.result;
  const cells: Cells = { ...key, "Analysis name": a.name, Subgroup: group ?? "", Applicability: "SUBGROUP_AND_OVERALL", Study: r.study, "Study year": years.get(r.study), Footnotes: r.note };
  if (row.kind === "dichotomous") Object.assign(cells, { "Experimental cases": row.events[0], "Experimental N": row.total[0], "Control cases": row.events[1], "Control N": row.total[1] });
  else if (row.kind === "continuous") Object.assign(cells, { "Experimental mean": row.mean[0], "Experimental SD": row.sd[0], "Experimental N": row.total[0], "Control mean": row.mean[1], "Control SD": row.sd[1], "Control N": row.total[1] });
  else Object.assign(cells, { "GIV Mean": row.estimate, "GIV SE": row.se, "Experimental N": row.total?.[0], "Control N": row.total?.[1] });
  const estimated = s?.estimable && s.ci && s.effect !== null;
  return Object.assign(cells, { Weight: estimated ? (s!.weight ?? 0) : 0, Mean: estimated ? s!.effect : 0, "CI start": estimated ? s!.ci![0] : 0, "CI end": estimated ? s!.ci![1] : 0 });
}

function analysisFiles(review: ExportReview): { overall: Cells[]; rows: Cells[]; subgroups: Cells[] } {
  const overall: Cells[] = [];
  const rows: Cells[] = [];
  const subgroups: Cells[] = [];
  const years = new Map(review.studies.map((s) => [s.id, s.year]));
  for (const { no: group, analysis: a, number } of numbering(review.analyses).flatMap((c) => c.analyses.map((x) => ({ ...x, number: x.no, no: c.no })))) {
    const key: Cells = { "Analysis group": group, "Analysis number": number };
    const r = a.result;
    const subgrouped = a.groups.some((g) => g.name !== null);
    const kind = kindOf(a);
    overall.push({
      ...key,
      "Analysis name": a.name,
      "Analysis group name": a.comparison,
      "Data source": "Custom input",
      "Data source eligibility": "#N/A",
      "Data type": DATA_TYPE[kind],
      "Log-scale data": kind === "generic" ? a.logScale : r.ratio,
      "Experimental group label": a.arms[0],
      "Control group label": a.arms[1],
      "Statistical method": a.method === "PETO" ? first(PACKAGE_METHODS, "PETO") : a.method,
      "Effect measure": kind === "generic" ? (a.label ?? "") : first(PACKAGE_MEASURES, a.measure),
      "Analysis model": a.random ? PACKAGE_MODEL_NAMES.random : PACKAGE_MODEL_NAMES.fixed,
      "Subgroup estimates": a.totals !== NO_TOTALS,
      "Overall estimates": a.totals !== NO_TOTALS && a.totals !== SUBGROUP_TOTALS,
      "Test for subgroup differences": subgrouped,
      "Swap event and non-event": false,
      "Study CI": "95%",
      "Estimate CI": "95%",
      ...totalsOf(a.groups.flatMap((g) => g.rows)),
      ...pooledCells(r.pooled, r.heterogeneity),
      "Subgroup Chi²": r.subgroupDifferences?.q,
      "Subgroup df": r.subgroupDifferences?.df,
      "Subgroup P": r.subgroupDifferences?.p,
      "Subgroup I²": r.subgroupDifferences ? (r.subgroupDifferences.i2 ?? 0) : undefined,
      ID: `analysis:${a.id}`,
    });
    a.groups.forEach((g, i) => {
      for (const row of g.rows) rows.push(rowCells(a, key, g.name, row, years));
      if (g.name === null) return;
      const res = r.subgroups[i];
      subgroups.push({ ...key, Subgroup: g.name, "Subgroup number": i + 1, ...totalsOf(g.rows), Weight: g.rows.reduce((w, x) => w + (x.result?.weight ?? 0), 0), ...pooledCells(res?.pooled ?? null, res?.heterogeneity ?? null), ID: `subgroup:${a.id}.${i + 1}` });
    });
  }
  return { overall, rows, subgroups };
}

function studyFiles(review: ExportReview): { studies: string; rob: string; ris: string } {
  const charNames = Object.entries(PACKAGE_CHARACTERISTICS);
  const charColumns = charNames.map(([name]) => `${PACKAGE_CHARACTERISTIC_PREFIX}${name}`);
  const studies = review.studies.map((s) => {
    const c: Cells = { Study: s.id, Year: s.year, "Data source": "PUB" };
    const extra = Object.entries(s.characteristics).filter(([k]) => !charNames.some(([, key]) => key === k));
    for (const [name, key] of charNames) c[`${PACKAGE_CHARACTERISTIC_PREFIX}${name}`] = key === "notes" ? [s.characteristics.notes ?? "", ...extra.map(([k, v]) => `${k}: ${v}`)].filter(Boolean).join("\n") : s.characteristics[key];
    return c;
  });
  const domains = review.items.flatMap((i) => (i.groups.length ? i.groups.map((g) => ({ item: i.name, group: g as string | undefined, label: `${i.name}: ${g}` })) : [{ item: i.name, group: undefined, label: i.name }]));
  const robColumns = ["Study", ...domains.flatMap((d) => [`${PACKAGE_ROB_JUDGEMENT_PREFIX}${d.label}`, `${PACKAGE_ROB_SUPPORT_PREFIX}${d.label}`])];
  const rob = review.studies.map((s) => {
    const c: Cells = { Study: s.id };
    for (const d of domains) {
      const j = s.judgements.find((x) => x.item === d.item && x.group === d.group);
      if (!j) continue;
      c[`${PACKAGE_ROB_JUDGEMENT_PREFIX}${d.label}`] = ROB_TEXT[j.result];
      c[`${PACKAGE_ROB_SUPPORT_PREFIX}${d.label}`] = j.support;
    }
    return c;
  });
  const ris = review.studies.flatMap((s) =>
    s.references.map((r) => {
      const e = r.entry;
      const tags: [string, string | undefined][] = [["TY", "JOUR"], ["NS", s.id], ...e.authors.map((a): [string, string] => ["AU", revmanName(a)]), ["TI", e.title], ["JO", e.journal], ["PY", e.year], ["DO", e.doi]];
      return [...tags.filter(([, v]) => v).map(([t, v]) => `${t}  - ${v!.replace(/\s*\n\s*/g, " ")}`), "ER  - ", ""].join("\r\n");
    }),
  );
  return { studies: csv([...PACKAGE_STUDY_COLUMNS, ...charColumns], studies), rob: csv(robColumns, rob), ris: `\uFEFF${ris.join("\r\n")}` };
}

/** The package's `<ID>`: the protocol's id made a file name (letters, digits, `.`, `_`: R meta's read.cdir splits names at `-`), else `fallback`. */
export function packageId(review: ExportReview, fallback: string): string {
  const clean = (t: string) => t.replace(/[^A-Za-z0-9._]+/g, "_").replace(/^[._]+|[._]+$/g, "");
  return clean(review.id ?? "") || clean(fallback) || "review";
}

/** The package's bytes. */
export function dataPackage(review: ExportReview, id: string): Uint8Array {
  const { overall, rows, subgroups } = analysisFiles(review);
  const { studies, rob, ris } = studyFiles(review);
  const a = `${id}${PACKAGE_FILES.analysisFolder}/${id}`;
  const s = `${id}${PACKAGE_FILES.studyFolder}/${id}`;
  const data = zipFiles({
    [`${a}${PACKAGE_FILES.overall}`]: strToU8(csv(PACKAGE_OVERALL_COLUMNS, overall)),
    [`${a}${PACKAGE_FILES.rows}`]: strToU8(csv(PACKAGE_ROW_COLUMNS, rows)),
    [`${a}${PACKAGE_FILES.subgroupEstimates}`]: strToU8(csv(PACKAGE_SUBGROUP_COLUMNS, subgroups)),
    [`${s}${PACKAGE_FILES.studies}`]: strToU8(studies),
    [`${s}${PACKAGE_FILES.riskOfBias}`]: strToU8(rob),
    [`${s}${PACKAGE_FILES.references}`]: strToU8(ris),
  });
  const inner = `${id}${PACKAGE_FILES.filesFolder}/${id}${PACKAGE_FILES.dataZip}`;
  return zipFiles({ [inner]: data }, new Set([inner]));
}
