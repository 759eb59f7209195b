/**
 * Text templates of new records (a study with every domain of its tool), shared
 * by the snippets file, completion and the quick fixes, so that they never
 * disagree. Judgements are left empty (not yet assessed): a template never
 * invents a judgement such as `unclear`.
 */
import { DEFAULT_MISSING_STATUS, STUDY_DESIGNS } from "../../../../schemas/src/domain";
import { requiredDomains, type ToolView } from "./tools";
import { appendAll } from "../syntax/arrays";

/** A domain entry nobody has judged yet; `tabStop` numbers a snippet placeholder for the judgement. */
function notAssessedEntry(tabStop?: number): string {
  return tabStop === undefined ? `{ judgement: , support: "" }` : `{ judgement: \${${tabStop}}, support: "" }`;
}

export interface StudyTemplate {
  outcomes: readonly string[];
  arms: readonly string[];
  /** Snippet syntax (tab stops); plain text otherwise. */
  snippet: boolean;
}

/** Lines of a study list item (the first without its `- `), indented relative to the item. */
export function studyRecordLines(tool: ToolView | undefined, t: StudyTemplate): string[] {
  const s = (n: number, text: string) => (t.snippet ? `\${${n}:${text}}` : text);
  const designs = t.snippet ? `\${3|${STUDY_DESIGNS.join(",")}|}` : STUDY_DESIGNS[0];
  const lines = [
    `id: ${s(1, "Author Year")}`,
    `  cite: ${s(2, "key")}`,
    `  design: ${designs}`,
    `  country: ${t.snippet ? "${4}" : ""}`.trimEnd(),
    `  participants: ${s(5, "1")}`,
    `  arms: [${t.arms.length ? t.arms.slice(0, 2).join(", ") : t.snippet ? "${6}" : ""}]`,
  ];
  if (t.outcomes.length) {
    lines.push("  outcomes:");
    for (const o of t.outcomes) lines.push(`    ${o}: ${DEFAULT_MISSING_STATUS}`);
  } else lines.push("  outcomes: {}");
  if (!tool) return lines;
  lines.push("  risk_of_bias:");
  let stop = 7;
  const entries = (indent: string) => requiredDomains(tool).map((d) => `${indent}${d}: ${notAssessedEntry(t.snippet ? stop++ : undefined)}`);
  if (tool.per === "study") appendAll(lines, entries("    "));
  else {
    const first = t.outcomes[0] ?? (t.snippet ? `\${${stop++}:outcome-id}` : "outcome-id");
    lines.push(`    ${first}:`);
    appendAll(lines, entries("      "));
  }
  return lines;
}
