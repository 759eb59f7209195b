/**
 * Hover cards as plain data: Markdown and the offsets of the hovered thing.
 * Facts come from the source index and the domain data.
 */
import { pathToFileURL } from "node:url";
import { APPLICABILITY_CONCERNS, CUSTOM_TOOL_ID, GRADE, MEASURE, NO_TOTALS, ORBIT, OUTCOME_STATUSES, OVERALL_KEY, REVIEW_STAGES, statusById, toolById } from "../../../schemas/src/domain";
import { Protocol } from "../../../schemas/src/protocol";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";
import type { SourceDefinition } from "../core/sources/definitions";
import type { MetaAnalysisModel } from "../core/model/meta-analyses";
import type { MetaAnalysisResult } from "../core/stats/pooling";
import { fixed, formatEffect, formatHeterogeneity, formatOverall, formatPrediction, formatSmallStudy, formatSubgroupDifferences, measureLabel, measureName, methodName, studies } from "../core/pictures/format";
import { descriptionOf, schemaAt } from "../core/checks/schema";
import type { DomainJudgements } from "../core/model/studies";
import { builtInToolView, type ToolView } from "../core/model/tools";
import { evidenceHover } from "./evidence-hover";
import { targetAt, toolOfStudy } from "./locate";
import { plotKeyNote } from "./plot-keys";
import { methodKeyNote } from "./random-effects-keys";
import { authorList, doiLink, escapeMarkdown, markdownWithItalics, registrationLink } from "./markdown";
import { maxOf } from "../core/syntax/arrays";

export interface HoverResult {
  markdown: string;
  start: number;
  end: number;
}

/** Where a position in a source file is, for links; the caller converts offsets to lines. */
export type LineOf = (path: string, offset: number) => number;

/** A YAML alias (`*lowrisk`) hovers as what it stands for: its anchor's text. */
function aliasHover(analysis: ProtocolAnalysis, offset: number): HoverResult | undefined {
  const text = analysis.parsed.text;
  let start = offset;
  while (start > 0 && /[^\s,[\]{}]/.test(text[start - 1]!)) start--;
  if (text[start] !== "*") return undefined;
  let end = start + 1;
  while (end < text.length && /[^\s,[\]{}]/.test(text[end]!)) end++;
  const name = text.slice(start + 1, end);
  if (!name) return undefined;
  const anchor = new RegExp(`&${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=[\\s,\\]}]|$)`).exec(text);
  if (!anchor) return { markdown: `Alias \`*${escapeMarkdown(name)}\`: no anchor \`&${escapeMarkdown(name)}\` in this file`, start, end };
  // The anchored node's lines: the rest of the anchor's line and the lines indented below it.
  const lineStart = text.lastIndexOf("\n", anchor.index) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart))![0].replace(/- /g, "  ").length;
  const lines = [text.slice(lineStart, text.indexOf("\n", anchor.index) < 0 ? text.length : text.indexOf("\n", anchor.index))];
  let pos = text.indexOf("\n", anchor.index) + 1;
  while (pos > 0 && pos < text.length && lines.length < 30) {
    const next = text.indexOf("\n", pos);
    const line = text.slice(pos, next < 0 ? text.length : next);
    if (line.trim() && /^\s*/.exec(line)![0].length <= indent) break;
    lines.push(line);
    if (next < 0) break;
    pos = next + 1;
  }
  return { markdown: `Alias \`*${escapeMarkdown(name)}\` stands for:\n\n\`\`\`yaml\n${lines.join("\n").replace(/\`\`\`/g, "")}\n\`\`\``, start, end };
}

export function hover(analysis: ProtocolAnalysis, offset: number, lineOf: LineOf): HoverResult | undefined {
  const alias = aliasHover(analysis, offset);
  if (alias) return alias;
  const stage = stageHover(analysis, offset);
  if (stage) return stage;
  const target = targetAt(analysis, offset);
  if (!target) return undefined;
  let markdown: string | undefined;
  switch (target.kind) {
    case "citation":
    case "source-key": {
      const def = analysis.sources.get(target.key);
      markdown = def
        ? sourceCard(target.key, def, lineOf)
        : analysis.indexing
          ? `\`${target.key}\` is not known yet: a whole library named in \`sources\` is being indexed.`
          : `No source defines \`${target.key}\`: add it to \`sources\` (a file or a bibliography).`;
      break;
    }
    case "study":
      markdown = studyCard(analysis, target.index, lineOf);
      break;
    case "outcome":
      markdown = outcomeCard(analysis, target.id);
      break;
    case "arm":
      markdown = armCard(analysis, target.id);
      break;
    case "domain":
      markdown = domainCard(target.tool, target.id);
      break;
    case "judgement":
      markdown = judgementCard(target.tool, target.value, target.domain, target.applicability);
      break;
    case "status": {
      const s = OUTCOME_STATUSES.find((x) => x.id === target.value);
      markdown = s ? `**${s.id}** — ${s.meaning}` : undefined;
      break;
    }
    case "orbit": {
      const o = ORBIT.find((x) => x.letter === target.letter);
      markdown = o ? `ORBIT **${o.letter}** — ${o.situation}. Risk of bias from selective outcome reporting: **${o.risk}**.` : undefined;
      break;
    }
    case "tool": {
      const def = toolById(target.id);
      markdown = def ? toolCard(builtInToolView(def)) : target.id === CUSTOM_TOOL_ID ? `**${CUSTOM_TOOL_ID}** — domains and judgements come from \`bias.domains\`.` : undefined;
      break;
    }
    case "analysis":
    case "data-row": {
      const model = analysis.metaAnalyses.find((a) => a.span.start <= target.start && target.start <= a.span.end);
      if (model) markdown = target.kind === "analysis" ? analysisCard(analysis, model) : dataRowCard(model, target.study, target.start);
      break;
    }
    case "framework":
      markdown =
        target.value === "GRADE"
          ? `**GRADE** — certainty of the evidence: ${GRADE.certainty.join(", ")}.\n\nDowngrade for ${GRADE.downgrade.join(", ")}; upgrade for ${GRADE.upgrade.join(", ")}.`
          : `**${escapeMarkdown(target.value)}** — describe the framework in \`confidence.details\`.`;
      break;
    case "certainty":
    case "flow":
      markdown = evidenceHover(analysis, target);
      break;
    case "key": {
      if (target.path[target.path.length - 1] === OVERALL_KEY && target.path[0] === "studies") {
        const tool = toolOfStudy(analysis, Number(target.path[1]));
        markdown = `**overall** — the overall risk-of-bias judgement${tool ? ` (${escapeMarkdown(tool.name)})` : ""}${tool?.overallRule ? `. ${escapeMarkdown(tool.overallRule)}` : ""} An empty value means not yet assessed.`;
        break;
      }
      const description = descriptionOf(schemaAt(Protocol, target.path));
      const note = plotKeyNote(analysis, target.path, target.start) ?? methodKeyNote(target.path, writtenMethod(analysis, target.path, target.start)) ?? "";
      markdown = description ? `**${escapeMarkdown(String(target.path[target.path.length - 1]))}** — ${escapeMarkdown(description)}${note}` : undefined;
      break;
    }
  }
  return markdown ? { markdown, start: target.start, end: target.end } : undefined;
}

/** The value of a random-effects key as the analysis at `offset` writes it. */
function writtenMethod(analysis: ProtocolAnalysis, path: readonly (string | number)[], offset: number): string | undefined {
  const key = path[path.length - 1];
  if (key !== "tau2" && key !== "ci" && key !== "prediction") return undefined;
  return analysis.metaAnalyses.find((a) => a.span.start <= offset && offset <= a.span.end)?.randomEffectsKeys[key];
}

/** The `stage` value: what a protocol and a completed review are checked for. */
function stageHover(analysis: ProtocolAnalysis, offset: number): HoverResult | undefined {
  const v = analysis.stage.value;
  if (!v || offset < v.start || offset > v.end) return undefined;
  const def = REVIEW_STAGES.find((s) => s.id === v.text);
  const markdown = def
    ? `**${def.id}** — ${escapeMarkdown(def.name)}`
    : `\`${escapeMarkdown(v.text)}\` is not a stage: ${REVIEW_STAGES.map((s) => `**${s.id}** (${escapeMarkdown(s.name)})`).join(" or ")}`;
  return { markdown, start: v.start, end: v.end };
}

function sourceCard(key: string, def: SourceDefinition, lineOf: LineOf): string {
  const m = def.meta;
  const lines: string[] = [];
  lines.push(m.title ? `**${markdownWithItalics(m.title)}**` : `**${escapeMarkdown(key)}**`);
  if (m.authors.length) lines.push(escapeMarkdown(authorList(m.authors)));
  const where = [m.journal ? `*${escapeMarkdown(m.journal)}*` : undefined, m.date ?? m.year].filter(Boolean);
  if (where.length) lines.push(where.join(" · "));
  const ids = [m.doi ? `DOI ${doiLink(m.doi)}` : undefined, m.pmid ? `PMID ${m.pmid}` : undefined, m.pmcid, ...m.registrations.map(registrationLink)].filter(Boolean);
  if (ids.length) lines.push(ids.join(" · "));
  let out = lines.join("  \n");
  if (m.keyFindings.length) out += "\n\nKey findings:\n" + m.keyFindings.map((f) => `- ${escapeMarkdown(f)}`).join("\n");
  else if (m.abstract) out += `\n\n${markdownWithItalics(m.abstract)}`;
  const footer: string[] = [];
  if (def.path) {
    const offset = def.entry ? def.entry.offset : (m.positions.title ?? 0);
    const line = lineOf(def.path, offset);
    footer.push(`[Open source](${pathToFileURL(def.path).href}#L${line + 1})`);
  }
  footer.push(`\`${escapeMarkdown(key)}\``);
  return `${out}\n\n${footer.join(" · ")}`;
}

function studyCard(analysis: ProtocolAnalysis, index: number, lineOf: LineOf): string {
  const model = analysis.studies[index]!.model;
  const id = model.id?.value ?? "study";
  const facts = [model.design?.value, model.country, model.participants !== undefined ? `${model.participants} participants` : undefined].filter(Boolean);
  const lines = [`**${escapeMarkdown(id)}**${facts.length ? ` — ${escapeMarkdown(facts.join(" · "))}` : ""}`];

  if (model.arms.length) {
    const described = model.arms.map(({ value: aid }) => {
      const description = armDescription(analysis, aid);
      return description ? `**${escapeMarkdown(aid)}** (${escapeMarkdown(description)})` : `**${escapeMarkdown(aid)}**`;
    });
    lines.push(`Arms: ${described.join(" vs ")}`);
  }

  if (model.outcomes?.length) {
    const groups = new Map<string, string[]>();
    for (const o of model.outcomes) {
      const group = statusById(o.status?.value)?.verb ?? OUTCOME_STATUSES.find((s) => !s.givesResults)!.verb;
      groups.set(group, [...(groups.get(group) ?? []), o.id]);
    }
    const order = [...new Set(OUTCOME_STATUSES.map((s) => s.verb))];
    lines.push(`Outcomes: ${order.filter((g) => groups.has(g)).map((g) => `${g} ${groups.get(g)!.join(", ")}`).join("; ")}`);
  }

  const tool = toolOfStudy(analysis, index);
  const bias = model.bias;
  if (bias && tool) {
    const judgementOf = (d: DomainJudgements): string =>
      d.perGroup ? d.entries.map((j) => `${j.group}: ${j.value ?? "not assessed"}`).join(", ") : (d.entries[0]?.value ?? "not assessed");
    if (!bias.perOutcome) {
      const shown = [...bias.block.domains.map((d) => `${d.domain}: **${judgementOf(d)}**`), ...(bias.block.overall ? [`overall: **${bias.block.overall.value ?? "not assessed"}**`] : [])];
      lines.push(`Risk of bias (${tool.id}): ${shown.join(" · ")}`);
    } else {
      lines.push(`Risk of bias (${tool.id}), per outcome:`);
      for (const b of bias.byOutcome) {
        const domains = b.domains.map((d) => `${tool.def?.domains.find((x) => x.id === d.domain)?.label ?? d.domain} ${judgementOf(d)}`);
        lines.push(`- ${b.outcome}: overall **${b.overall?.value ?? "—"}** (${domains.join(", ")})`);
      }
    }
  }
  const cite = model.cite?.value;
  const def = cite !== undefined ? analysis.sources.get(cite) : undefined;
  let out = lines.join("  \n");
  if (def && cite !== undefined) out += `\n\n---\n\n${sourceCard(cite, def, lineOf)}`;
  return out;
}

function armDescription(analysis: ProtocolAnalysis, id: string): string | undefined {
  return analysis.arms.find((a) => a.id === id)?.description;
}

function armCard(analysis: ProtocolAnalysis, id: string): string | undefined {
  const arm = analysis.arms.find((a) => a.id === id);
  if (!arm) return undefined;
  const uses = analysis.studies.filter((s) => s.model.arms.some((a) => a.value === id)).length;
  return `**${escapeMarkdown(id)}** — ${arm.list === "interventions" ? "intervention" : "comparator"}: ${escapeMarkdown(arm.description ?? "")}  \nArm of ${uses} of ${analysis.studies.length} studies`;
}

/** "reported by N of M studies (and partially by K)" */
export function reportingLine(analysis: ProtocolAnalysis, id: string): string {
  const total = analysis.studies.length;
  const reported = analysis.studies.filter((s) => statusById(s.checked.statuses[id]?.value)?.usable).length;
  const partial = analysis.studies.filter((s) => { const def = statusById(s.checked.statuses[id]?.value); return def?.givesResults && !def.usable; }).length;
  return `reported by ${reported} of ${total} ${total === 1 ? "study" : "studies"}${partial ? ` (and partially by ${partial})` : ""}`;
}

function outcomeCard(analysis: ProtocolAnalysis, id: string): string | undefined {
  const outcome = analysis.outcomes.find((o) => o.id === id);
  if (!outcome) return `\`${escapeMarkdown(id)}\` is not declared in the protocol's outcomes.`;
  const facts = [outcome.role, outcome.participant, outcome.type, outcome.harm ? "harm" : undefined].filter(Boolean);
  const lines = [`**${escapeMarkdown(outcome.name ?? id)}** (\`${escapeMarkdown(id)}\`)${facts.length ? ` — ${facts.join(" · ")}` : ""}`];
  if (outcome.description) lines.push(escapeMarkdown(outcome.description));
  if (analysis.studies.length) lines.push(`Reporting: ${reportingLine(analysis, id)}`);
  return lines.join("  \n");
}

function toolCard(tool: ToolView): string {
  const per = tool.per === "study" ? "judged per study" : "judged per study and outcome (result)";
  const domains = tool.domains.map((d) => `- \`${d.id}\` — ${d.name}`).join("\n");
  const judgements = tool.def?.judgements.map((j) => `\`${j.id}\``).join(", ") ?? tool.judgements.join(", ");
  return `**${escapeMarkdown(tool.name)}** — ${per}\n\nJudgements: ${judgements}\n\n${domains}${tool.overallRule ? `\n\nOverall: ${tool.overallRule}` : ""}`;
}

function domainCard(tool: ToolView | undefined, id: string): string | undefined {
  const domain = tool?.domains.find((d) => d.id === id);
  if (!tool || !domain) return tool ? `\`${escapeMarkdown(id)}\` is not a domain of ${tool.id}.` : undefined;
  const label = tool.def?.domains.find((d) => d.id === id)?.label;
  const meanings = domain.allowed.map((j) => {
    const def = tool.def?.judgements.find((x) => x.id === j);
    return `- \`${j}\`${def ? ` — ${def.meaning}` : ""}`;
  });
  const standsFor = domain.standsFor.length ? `\n\nStands for ${domain.standsFor.map((x) => `\`${x}\``).join(" and ")} (the 2008 form of RoB 1).` : "";
  const applicability = domain.applicability ? "\n\nAlso takes `applicability`: concerns that the study does not match the review question (low, high, unclear)." : "";
  return `**${escapeMarkdown(domain.name)}**${label ? ` (${label})` : ""} — ${escapeMarkdown(tool.name)}\n\n${meanings.join("\n")}${standsFor}${applicability}\n\nAn empty judgement means not yet assessed.`;
}

function judgementCard(tool: ToolView | undefined, value: string, domainId: string | undefined, applicability?: boolean): string | undefined {
  if (!tool) return undefined;
  const def = tool.def?.judgements.find((j) => j.id === value);
  const domain = domainId ? tool.domains.find((d) => d.id === domainId) : undefined;
  const allowed = domain?.allowed ?? tool.judgements;
  if (!allowed.includes(value)) {
    const why = tool.notJudgements[value];
    return `\`${escapeMarkdown(value)}\` is not a judgement of ${tool.id}${why ? `: ${escapeMarkdown(why)}` : ""}. Use ${allowed.map((j) => `\`${j}\``).join(", ")}.`;
  }
  if (applicability) {
    return `**${escapeMarkdown(value)}** — ${APPLICABILITY_CONCERNS[value] ?? value} (${tool.id}, applicability${domain ? ` of ${escapeMarkdown(domain.name)}` : ""})`;
  }
  const meaning = def?.meaning ?? value;
  return `**${escapeMarkdown(value)}** — ${escapeMarkdown(meaning)} (${tool.id}${domain ? `, ${escapeMarkdown(domain.name)}` : ", overall"})`;
}

function outcomeName(analysis: ProtocolAnalysis, id: string | undefined): string | undefined {
  return analysis.outcomes.find((o) => o.id === id)?.name;
}

/** An analysis: its measure and model, the pooled effect, heterogeneity, subgroups, Egger's test, and a small text forest. */
function analysisCard(analysis: ProtocolAnalysis, a: MetaAnalysisModel): string {
  const title = a.name ?? outcomeName(analysis, a.outcome) ?? a.outcome ?? a.id;
  const head = `**${escapeMarkdown(title)}** (\`${escapeMarkdown(a.id)}\`) — ${escapeMarkdown(a.compare.map((c) => c.id).join(" vs "))}`;
  const r = a.result;
  if (!r || !a.spec) return `${head}\n\nCannot be computed: ${a.measure ? "give `scale: log` or `scale: identity` (GIV)" : "the measure is not one of RR, OR, RD, PETO-OR, MD, SMD, GIV"}.`;
  const lines = [head, `${escapeMarkdown(measureName(a.spec.measure))}${a.spec.measure === MEASURE.GIV && a.label ? ` (${escapeMarkdown(a.label)})` : ""} · ${escapeMarkdown(methodName(r))}`];
  if (r.pooled) {
    lines.push(`**${escapeMarkdown(measureLabel(a))} ${escapeMarkdown(formatEffect(r.pooled.effect, r.pooled.ci))}** · ${studies(r.pooled.studies)}`);
    const prediction = formatPrediction(r.pooled, r);
    if (prediction) lines.push(escapeMarkdown(prediction));
    lines.push(escapeMarkdown(formatHeterogeneity(r.heterogeneity, r)));
    lines.push(escapeMarkdown(formatOverall(r.pooled)));
  } else if (r.failure) lines.push(`${studies(r.studies.length)} · not computed: ${escapeMarkdown(r.failure)}`);
  else if (a.spec.totals === NO_TOTALS) lines.push(`${studies(r.studies.length)} · no totals (\`totals: none\`)`);
  else lines.push(`${studies(r.studies.length)} · subgroup totals only (\`totals: subgroups\`)`);
  for (const g of r.subgroups) {
    if (g.name !== null && g.failure) lines.push(`${escapeMarkdown(g.name)}: not computed: ${escapeMarkdown(g.failure)}`);
    if (g.name === null || !g.pooled) continue;
    lines.push(`${escapeMarkdown(g.name)}: ${escapeMarkdown(measureLabel(a))} ${escapeMarkdown(formatEffect(g.pooled.effect, g.pooled.ci))} · ${studies(g.studies)}`);
  }
  if (a.spec.totals !== NO_TOTALS && a.groups.some((g) => g.name !== null)) lines.push(escapeMarkdown(formatSubgroupDifferences(r.subgroupDifferences)));
  lines.push(escapeMarkdown(formatSmallStudy(r)));
  return `${lines.join("  \n")}\n\n\`\`\`text\n${textForest(r)}\n\`\`\``;
}

/** A forest plot in characters: one line per study, the pooled diamond last. */
function textForest(r: MetaAnalysisResult): string {
  const width = 31;
  const y = (v: number) => (r.ratio ? Math.log(v) : v);
  const values = r.studies.flatMap((s) => (s.ci ? [y(s.ci[0]), y(s.ci[1])] : [])).concat(r.pooled ? [y(r.pooled.ci[0]), y(r.pooled.ci[1]), ...(r.pooled.prediction ?? []).map(y)] : []);
  const m = maxOf(values.map(Math.abs).filter(Number.isFinite), 1e-9);
  const col = (v: number) => Math.round(((Math.max(-m, Math.min(m, v)) + m) / (2 * m)) * (width - 1));
  const name = Math.min(24, maxOf(r.studies.map((s) => s.study.length), 8));
  const line = (label: string, ci: [number, number] | null, effect: number | null, mark: string) => {
    const cells: string[] = Array.from({ length: width }, (_, i) => (i === col(0) ? "|" : " "));
    if (ci && effect !== null) {
      for (let i = col(y(ci[0])); i <= col(y(ci[1])); i++) cells[i] = cells[i] === "|" ? "|" : "-";
      cells[col(y(effect))] = mark;
    }
    return `${label.slice(0, name).padEnd(name)} ${cells.join("")} ${formatEffect(effect, ci)}`;
  };
  const out = r.studies.map((s) => line(s.study, s.ci, s.effect, "■"));
  if (r.pooled) out.push(line("Total", r.pooled.ci, r.pooled.effect, "◆"));
  const prediction = r.pooled?.prediction;
  if (prediction) {
    // The prediction interval under the diamond, as the forest plot draws it: a bar without a mark.
    const cells: string[] = Array.from({ length: width }, (_, i) => (i === col(0) ? "|" : " "));
    for (let i = col(y(prediction[0])); i <= col(y(prediction[1])); i++) cells[i] = cells[i] === "|" ? "|" : "=";
    out.push(`${"Prediction".slice(0, name).padEnd(name)} ${cells.join("")} ${fixed(prediction[0])} to ${fixed(prediction[1])}`);
  }
  return out.join("\n");
}

/** Why a row gives no estimate (section 8's rules). */
function notEstimableReason(a: MetaAnalysisModel): string {
  if (a.measure?.data === "continuous") return "an SD of 0, or too few participants";
  if (a.measure?.data === "generic") return "its SE is not above 0";
  return a.spec?.measure === MEASURE.RD ? "a total below 1" : "no events, or only events, in both arms";
}

/** One data row: the study's effect, CI and weight in this analysis. */
function dataRowCard(a: MetaAnalysisModel, study: string, offset: number): string {
  const r = a.result;
  const rows = a.groups.flatMap((g) => g.rows);
  const row = rows.find((x) => x.key.start === offset) ?? rows.find((x) => x.study === study);
  if (!r || !row) return `**${escapeMarkdown(study)}** in \`${escapeMarkdown(a.id)}\``;
  const computed = rows.filter((x) => x.row);
  const results = r.studies.filter((s, i) => computed[i]?.study === study);
  const parts = results.map((s) =>
    s.estimable
      ? `${escapeMarkdown(measureLabel(a))} **${escapeMarkdown(formatEffect(s.effect, s.ci))}**${s.weight !== null ? ` · weight ${fixed(s.weight, 1)}%` : ""}`
      : `Not estimable (${notEstimableReason(a)})`,
  );
  if (!parts.length) parts.push("Not computed: the row has a problem (see its diagnostics)");
  return `**${escapeMarkdown(study)}** in \`${escapeMarkdown(a.id)}\`${row.note ? ` — ${escapeMarkdown(row.note)}` : ""}\n\n${parts.join("  \n")}`;
}
