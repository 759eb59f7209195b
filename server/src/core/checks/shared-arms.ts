/**
 * `shared-arm-counted-twice` (contract section 5; Cochrane Handbook 23.3.4): a
 * study with several rows in one pooled total, where an arm of two of its rows
 * is the same group of people — the same counts in the same position
 * (experimental with experimental, control with control). Its participants then
 * count twice in the total, and its weight is inflated. A pooled total is the
 * overall one, or each subgroup's when the totals are by subgroup; `totals:
 * none` pools nothing. GIV rows have no arm counts (the caller skips them).
 */
import { NO_TOTALS, SUBGROUP_TOTALS } from "../../../../schemas/src/domain";
import { diagnostic, type Diagnostic } from "./diagnostics";
import type { DataRowModel } from "../model/meta-analyses";
import type { MetaAnalysisSpec } from "../stats/pooling";

const ARMS = ["experimental", "control"] as const;

/** What makes an arm of a row the same group of people: its counts (events and total; mean, SD and total). */
function armKey(row: DataRowModel, arm: 0 | 1): string | undefined {
  const r = row.row;
  if (r?.kind === "dichotomous") return `${r.events[arm]} events / ${r.total[arm]}`;
  if (r?.kind === "continuous") return `mean ${r.mean[arm]}, SD ${r.sd[arm]}, total ${r.total[arm]}`;
  return undefined;
}

function armText(row: DataRowModel, arm: 0 | 1): string {
  const r = row.row;
  if (r?.kind === "dichotomous") return `${r.events[arm]} events in ${r.total[arm]}`;
  if (r?.kind === "continuous") return `mean ${r.mean[arm]}, SD ${r.sd[arm]}, ${r.total[arm]} participants`;
  return "";
}

interface Placed {
  row: DataRowModel;
  group: string | null;
}

/** Which two rows: "rows 1 and 2", "rows 1 and 2 in subgroup 'A'", "its rows in subgroups 'A' and 'B'". */
function whichRows(a: Placed, b: Placed, severalIn: (p: Placed) => boolean): string {
  if (a.group === b.group) return `rows ${a.row.index + 1} and ${b.row.index + 1}${a.group !== null ? ` in subgroup '${a.group}'` : ""}`;
  if (!severalIn(a) && !severalIn(b)) return `its rows in subgroups '${a.group}' and '${b.group}'`;
  const one = (p: Placed) => `${severalIn(p) ? `row ${p.row.index + 1}` : "its row"} in subgroup '${p.group}'`;
  return `${one(a)} and ${one(b)}`;
}

export function sharedArmDiagnostics(groups: readonly { name: string | null; rows: readonly DataRowModel[] }[], totals: MetaAnalysisSpec["totals"], arms: readonly string[]): Diagnostic[] {
  if (totals === NO_TOTALS) return [];
  const pools: Placed[][] = totals === SUBGROUP_TOTALS ? groups.map((g) => g.rows.map((row) => ({ row, group: g.name }))) : [groups.flatMap((g) => g.rows.map((row) => ({ row, group: g.name })))];
  const out: Diagnostic[] = [];
  for (const pool of pools) {
    const byStudy = new Map<string, Placed[]>();
    for (const p of pool) {
      if (!p.row.row) continue;
      const list = byStudy.get(p.row.studyKey);
      if (list) list.push(p);
      else byStudy.set(p.row.studyKey, [p]);
    }
    for (const rows of byStudy.values()) {
      if (rows.length < 2) continue;
      const severalIn = (p: Placed) => rows.filter((x) => x.group === p.group).length > 1;
      rows.forEach((p, i) => {
        const repeated = ([0, 1] as const).flatMap((arm) => {
          const key = armKey(p.row, arm);
          const first = rows.slice(0, i).find((q) => armKey(q.row, arm) === key);
          return key !== undefined && first ? [{ arm, first }] : [];
        });
        if (!repeated.length) return;
        const { arm, first } = repeated[0]!;
        const armName = repeated.length === 2 ? "both arms" : `the ${ARMS[arm]} arm`;
        const counts = repeated.length === 2 ? "" : ` (${arms[arm] ? `${arms[arm]}: ` : ""}${armText(p.row, arm)})`;
        const span = p.row.listItem ? p.row.span : p.row.key;
        out.push(
          diagnostic(
            "shared-arm-counted-twice",
            span.start,
            span.end,
            `Unit-of-analysis error (Cochrane Handbook 23.3.4): ${armName} of '${p.row.study}'${counts} ${repeated.length === 2 ? "are" : "is"} in both ${whichRows(first, p, severalIn)}, ` +
              `so the same participants count twice in one pooled total: split the shared group's ${p.row.row?.kind === "continuous" ? "total" : "events and total"} between the rows, or combine the other groups into one row`,
            // The rows' places relative to the diagnostic's start, as fixes' edits are (so they stay true when the chunk moves).
            { study: p.row.study, arm: repeated.length === 2 ? "both" : ARMS[arm], rows: [first.row.span.start - span.start, p.row.span.start - span.start] },
          ),
        );
      });
    }
  }
  return out;
}
