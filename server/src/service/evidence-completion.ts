/**
 * Completion in the body of evidence: in a `certainty` entry the analyses it
 * may rate, the GRADE domains (each with its meaning and source) and their
 * ratings, the starts, the upgrades and the levels (what the ratings give
 * first); in `flow` the PRISMA 2020 counts in the template's order, each with
 * its box's meaning. Texts from the domain data.
 */
import { CERTAINTY_DOMAINS, CERTAINTY_LEVELS, CERTAINTY_RATINGS, CERTAINTY_STARTS, CERTAINTY_UPGRADES, FLOW_FIELDS } from "../../../schemas/src/domain";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";
import { computeCertainty, startOf, studiesByKey } from "../core/model/certainty";
import type { CompletionItem, Context } from "./completion-context";

type Add = (item: Omit<CompletionItem, "start" | "end">) => void;

const sort = (i: number) => `0${String(i).padStart(3, "0")}`;

/** The computed level of the entry at `offset`, when all five domains are rated. */
function computedAt(analysis: ProtocolAnalysis, offset: number): string | undefined {
  const entry = analysis.certainty.find((e) => e.span.start <= offset && offset <= e.span.end);
  if (!entry) return undefined;
  const model = analysis.metaAnalyses.find((a) => a.id === entry.analysis?.value);
  const c = computeCertainty(entry, startOf(entry, model, studiesByKey(analysis.studies.map((s) => s.model))));
  return c.complete ? c.level.id : undefined;
}

/** Keys of a `certainty` entry: the five domains with a rating snippet, the upgrades' keys under `upgrade`. True when it answered. */
function certaintyKeys(ctx: Context, add: Add): boolean {
  const r = ctx.path.slice(2);
  if (r.length === 0) {
    CERTAINTY_DOMAINS.forEach((d, i) => {
      if (ctx.present.has(d.id)) return;
      add({
        label: d.id,
        kind: "key",
        detail: `${d.name} (GRADE): ${d.ratings.join(" | ")}`,
        documentation: `${d.meaning}\n\nSource: ${d.source}`,
        insertText: ctx.hasColon ? d.id : `${d.id}: { rating: \${1|${d.ratings.join(",")}|} }`,
        snippet: !ctx.hasColon,
        sortText: sort(i),
      });
    });
    return false; // the schema adds the entry's other keys
  }
  if (r.length === 1 && r[0] === "upgrade") {
    CERTAINTY_UPGRADES.forEach((u, i) => {
      if (!ctx.present.has(u.id)) add({ label: u.id, kind: "key", detail: `${u.name}: 0–${u.max} levels`, documentation: `${u.meaning}\n\nSource: ${u.source}`, insertText: ctx.hasColon ? u.id : `${u.id}: `, sortText: sort(i) });
    });
    return true;
  }
  return false;
}

/** Values of a `certainty` entry. True when it answered. */
function certaintyValues(analysis: ProtocolAnalysis, ctx: Context, offset: number, add: Add): boolean {
  const r = ctx.path.slice(2);
  const domain = CERTAINTY_DOMAINS.find((d) => d.id === r[0]);
  if (domain && (r.length === 1 || r[1] === "rating")) {
    domain.ratings.forEach((id, i) => add({ label: id, kind: "value", detail: CERTAINTY_RATINGS.find((x) => x.id === id)?.meaning, insertText: id, sortText: sort(i) }));
    return true;
  }
  if (r.length !== 1) return false;
  if (r[0] === "analysis") {
    analysis.metaAnalyses.forEach((a, i) =>
      add({ label: a.id, kind: "reference", detail: [a.name, a.compare.map((c) => c.id).join(" vs ")].filter(Boolean).join(" · "), insertText: a.id, sortText: sort(i) }),
    );
    return true;
  }
  if (r[0] === "start") {
    CERTAINTY_STARTS.forEach((s, i) => add({ label: s.id, kind: "value", detail: s.meaning, insertText: s.id, sortText: sort(i) }));
    return true;
  }
  if (r[0] === "certainty") {
    const computed = computedAt(analysis, offset);
    CERTAINTY_LEVELS.forEach((l, i) =>
      add({ label: l.id, kind: "value", detail: `${l.symbol}${l.id === computed ? " · what the ratings give" : ""}`, documentation: l.meaning, insertText: l.id, sortText: l.id === computed ? "0" : sort(i + 1) }),
    );
    return true;
  }
  return false;
}

/** The flow's counts not yet written, in the template's order. */
function flowKeys(ctx: Context, add: Add): void {
  FLOW_FIELDS.forEach((f, i) => {
    if (!ctx.present.has(f.id)) add({ label: f.id, kind: "key", detail: f.label, documentation: f.meaning, insertText: ctx.hasColon ? f.id : `${f.id}: `, sortText: sort(i) });
  });
}

/** Items for the body of evidence; true when they are all the answer (false: the schema's items may follow). */
export function evidenceItems(analysis: ProtocolAnalysis, ctx: Context, offset: number, add: Add): boolean {
  const { path, position } = ctx;
  if (path[0] === "flow" && path.length === 1 && position === "key") {
    flowKeys(ctx, add);
    return true;
  }
  if (path[0] !== "certainty" || path[1] !== "[]") return false;
  return position === "key" ? certaintyKeys(ctx, add) : certaintyValues(analysis, ctx, offset, add);
}
