/**
 * The risk-of-bias tool a protocol uses, as the checks see it: built from the
 * domain data (schemas/src/domain.ts) or from `bias.domains` for `tool: custom`.
 */
import { toolById, ORBIT, type ToolDef } from "../../../schemas/src/domain";
import { stringOf, valueOf, type TreeNode } from "./tree";

export interface DomainView {
  id: string;
  name: string;
  /** Judgement values allowed for this domain. */
  allowed: readonly string[];
  applicability: boolean;
}

export interface ToolView {
  id: string;
  name: string;
  per: "study" | "outcome";
  domains: readonly DomainView[];
  /** Values allowed for `overall`. */
  judgements: readonly string[];
  /** Severity rank of judgements that take part in the overall rule. */
  severity: ReadonlyMap<string, number>;
  overallRule?: string;
  noInformation: string;
  def?: ToolDef;
}

export function builtInToolView(def: ToolDef): ToolView {
  const judgements = def.judgements.map((j) => j.id);
  const severity = new Map<string, number>();
  for (const j of def.judgements) if (j.severity !== undefined) severity.set(j.id, j.severity);
  return {
    id: def.id,
    name: def.name,
    per: def.per,
    judgements,
    severity,
    overallRule: def.overallRule,
    noInformation: def.noInformation,
    def,
    domains: def.domains.map((d) => ({
      id: d.id,
      name: d.name,
      allowed: [...judgements, ...(d.extraJudgements ?? [])],
      applicability: Boolean(d.applicability),
    })),
  };
}

/** The tool of a `bias` section value, or undefined when it names none we know. */
export function toolViewOf(bias: TreeNode | null | undefined): ToolView | undefined {
  const id = stringOf(valueOf(bias, "tool"));
  if (!id) return undefined;
  const def = toolById(id);
  if (def) return builtInToolView(def);
  if (id !== "custom") return undefined;
  const domainsNode = valueOf(bias, "domains");
  const domains: DomainView[] = [];
  const all = new Set<string>();
  if (domainsNode?.kind === "seq") {
    for (const item of domainsNode.items) {
      const did = stringOf(valueOf(item, "id"));
      if (!did) continue;
      const list = valueOf(item, "judgements");
      const allowed = list?.kind === "seq" ? list.items.map(stringOf).filter((s): s is string => Boolean(s)) : [];
      allowed.forEach((a) => all.add(a));
      domains.push({ id: did, name: stringOf(valueOf(item, "name")) ?? did, allowed, applicability: false });
    }
  }
  return { id: "custom", name: "Custom tool", per: "study", domains, judgements: [...all], severity: new Map(), noInformation: "unclear" };
}

/** ORBIT letters whose missing outcome is at high risk of bias (A, D, E, G). */
export const HIGH_RISK_ORBIT = new Set(ORBIT.filter((o) => o.risk === "high").map((o) => o.letter));
