/**
 * Outcome reporting across the studies (contract section 5): a protocol outcome
 * no included study reports usable data for cannot be synthesised — a warning
 * for a primary outcome, information for a secondary one. A study reports an
 * outcome when its status says so, or when it has a data row in an analysis of it.
 */
import { statusById } from "../../../../schemas/src/domain";
import type { OutcomeModel } from "../model/protocol";
import { diagnostic, type Diagnostic } from "./diagnostics";
import type { StudyAt } from "./studies";

/** @param withData outcome id -> the studies with a data row in one of its analyses */
export function outcomeReporting(outcomes: readonly OutcomeModel[], studies: readonly StudyAt[], withData: ReadonlyMap<string, ReadonlySet<string>>): Diagnostic[] {
  if (!studies.length) return [];
  const reported = new Set<string>([...withData].filter(([, s]) => s.size > 0).map(([id]) => id));
  const partials = new Map<string, number>();
  for (const { checked } of studies) {
    for (const id in checked.statuses) {
      const def = statusById(checked.statuses[id]!.value);
      if (def?.usable) reported.add(id);
      else if (def?.givesResults) partials.set(id, (partials.get(id) ?? 0) + 1);
    }
  }
  const out: Diagnostic[] = [];
  for (const o of outcomes) {
    if (reported.has(o.id)) continue;
    const primary = o.role === "primary";
    const partial = partials.get(o.id) ?? 0;
    out.push(
      diagnostic(
        "outcome-not-reported",
        o.idSpan.start,
        o.idSpan.end,
        `No included study reports usable data for ${primary ? "primary" : "secondary"} outcome '${o.id}'` +
          (partial ? ` (${partial} ${partial === 1 ? "study reports" : "studies report"} it only partially)` : "") +
          ": the review cannot synthesise it",
        { outcome: o.id, role: primary ? "primary" : "secondary", partial },
        primary ? "warning" : "information",
      ),
    );
  }
  return out;
}
