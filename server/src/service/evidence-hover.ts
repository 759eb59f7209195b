/**
 * Hover cards of the body of evidence: a `certainty` entry's domains (each
 * GRADE domain with its meaning and source), ratings, start, upgrades and
 * level (with what the ratings give), and each `flow` count's box with its
 * equation worked on the file's counts. Texts from the domain data.
 */
import { CERTAINTY_DOMAINS, CERTAINTY_LEVELS, CERTAINTY_RATINGS, CERTAINTY_STARTS, CERTAINTY_UPGRADES, FLOW_FIELDS } from "../../../schemas/src/domain";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";
import { flowBalances } from "../core/checks/flow";
import { computeCertainty, startOf, studiesByKey } from "../core/model/certainty";
import type { CertaintyEntry } from "../core/model/evidence";
import { Protocol } from "../../../schemas/src/protocol";
import { descriptionOf, schemaAt } from "../core/checks/schema";
import type { Target } from "./locate";
import { escapeMarkdown } from "./markdown";

/** A GRADE domain's card: name, meaning, ratings, source. */
function gradeDomainText(id: string): string | undefined {
  const d = CERTAINTY_DOMAINS.find((x) => x.id === id);
  if (d) return `**${d.name}** (GRADE, rates down) — ${escapeMarkdown(d.meaning)}\n\nRatings: ${d.ratings.join(" | ")}\n\nSource: ${escapeMarkdown(d.source)}`;
  const u = CERTAINTY_UPGRADES.find((x) => x.id === id);
  if (u) return `**${u.name}** (GRADE, rates up 0–${u.max}, non-randomised evidence only) — ${escapeMarkdown(u.meaning)}\n\nSource: ${escapeMarkdown(u.source)}`;
  return undefined;
}

/** What the entry's ratings give, in one line. */
function computedLine(analysis: ProtocolAnalysis, entry: CertaintyEntry): string {
  const model = analysis.metaAnalyses.find((a) => a.id === entry.analysis?.value);
  const c = computeCertainty(entry, startOf(entry, model, studiesByKey(analysis.studies.map((s) => s.model))));
  const start = c.startFromDesigns ? ` (start from the studies' designs: ${c.start})` : "";
  if (!c.complete) return `Not all five domains are rated (missing: ${c.unrated.join(", ")}): no level is computed.${start}`;
  return `The ratings give ${c.level.symbol} **${c.level.id}**: ${escapeMarkdown(c.arithmetic)}${start}.`;
}

/** A card for a place in a `certainty` entry. */
function certaintyHover(analysis: ProtocolAnalysis, index: number, field: readonly string[], value: string | undefined): string | undefined {
  const entry = analysis.certainty[index];
  const [key, sub] = field;
  if (key === undefined) return undefined;
  if (key === "upgrade" && sub !== undefined) return gradeDomainText(sub);
  if (CERTAINTY_DOMAINS.some((d) => d.id === key)) {
    if (sub === "rating" && value !== undefined) {
      const r = CERTAINTY_RATINGS.find((x) => x.id === value);
      return r ? `**${r.id}** — ${r.meaning}` : undefined;
    }
    if (sub === undefined || sub === "rating") return gradeDomainText(key);
    return sub === "reason" ? "**reason** — why: the footnote of the summary of findings table" : undefined;
  }
  if (key === "start") {
    const s = CERTAINTY_STARTS.find((x) => x.id === value);
    const all = CERTAINTY_STARTS.map((x) => `**${x.id}** (${x.level}) — ${escapeMarkdown(x.meaning)}`).join("  \n");
    return `${s ? `**${s.id}** — ${escapeMarkdown(s.meaning)}` : `**start** — where the certainty starts; without it, low when a study with a row has a non-randomised design, else high.\n\n${all}`}`;
  }
  if (key === "certainty") {
    const level = CERTAINTY_LEVELS.find((l) => l.id === value);
    const head = level ? `${level.symbol} **${level.id}** — ${escapeMarkdown(level.meaning)}` : `**certainty** — the level as stated in the review: ${CERTAINTY_LEVELS.map((l) => l.id).join(", ")}`;
    return entry ? `${head}\n\n${computedLine(analysis, entry)}` : head;
  }
  if (key === "analysis" && entry) {
    const model = analysis.metaAnalyses.find((a) => a.id === entry.analysis?.value);
    const what = model ? `**${escapeMarkdown(model.name ?? model.id)}** (${escapeMarkdown(model.compare.map((c) => c.id).join(" vs "))})` : `\`${escapeMarkdown(entry.analysis?.value ?? "")}\` is not an analysis of this file`;
    return `${what}: a row of the summary of findings table\n\n${computedLine(analysis, entry)}`;
  }
  return undefined;
}

/** A card for a `flow` count: the box it fills, and the equation it takes part in. */
function flowHover(analysis: ProtocolAnalysis, field: string, part: string | undefined): string | undefined {
  const f = FLOW_FIELDS.find((x) => x.id === field);
  if (!f) return undefined;
  const count = analysis.flow?.counts.get(field);
  if (part !== undefined) {
    const p = count?.parts?.find((x) => x.name === part);
    return `**${escapeMarkdown(part)}**${p ? ` — ${p.count} of the ${count!.value} counted in ${f.label.toLowerCase()} (\`${field}\`)` : ""}`;
  }
  const lines = [`**${f.label}** (PRISMA 2020) — ${escapeMarkdown(f.meaning)}`];
  const balance = analysis.flow ? flowBalances(analysis.flow).find((b) => b.total.field === field) : undefined;
  if (balance) lines.push(`\`${field}\` = ${escapeMarkdown(balance.fields)} = ${escapeMarkdown(balance.numbers)} = ${balance.expected}${balance.total.value === balance.expected ? " ✓" : ` ≠ ${balance.total.value} stated`}`);
  return lines.join("\n\n");
}

/** The card of a place in `certainty` or `flow`; a key without a card of its own (assumed_risk, comment) says what the schema says. */
export function evidenceHover(analysis: ProtocolAnalysis, target: Extract<Target, { kind: "certainty" | "flow" }>): string | undefined {
  if (target.kind === "flow") return flowHover(analysis, target.field, target.part);
  const card = certaintyHover(analysis, target.entry, target.field, target.value);
  if (card || !target.onKey) return card;
  const description = descriptionOf(schemaAt(Protocol, ["certainty", target.entry, ...target.field]));
  return description ? `**${escapeMarkdown(target.field[target.field.length - 1]!)}** — ${escapeMarkdown(description)}` : undefined;
}
