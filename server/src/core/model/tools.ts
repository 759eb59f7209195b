/**
 * The risk-of-bias tools a protocol uses, as the checks see them: built from the
 * domain data (schemas/src/domain.ts) or from `bias.domains` for `tool: custom`.
 * A study is judged with the tool of its design (`bias.by_design`), else `bias.tool`.
 */
import { CUSTOM_TOOL_ID, toolById, recommendedTool, toolFitsDesign, type ToolDef } from "../../../../schemas/src/domain";
import { stringOf, valueOf, type TreeNode } from "../syntax/tree";

export interface DomainView {
  id: string;
  name: string;
  /** Judgement values allowed for this domain. */
  allowed: readonly string[];
  applicability: boolean;
  /** Judging this domain stands for these (RoB 1's 2008 `blinding`); it is never required itself. */
  standsFor: readonly string[];
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
  /** An overall `low` needs every domain `low` (rob2*, robins-*). */
  lowNeedsAllLow: boolean;
  /** An `overall` is not checked (quadas-2, custom). */
  noOverallRule: boolean;
  /** rob1: a domain may be judged per group of outcomes. */
  groupsOfOutcomes: boolean;
  /** Values that are not judgements of the tool, with why. */
  notJudgements: Readonly<Record<string, string>>;
  def?: ToolDef;
}

/** Domains a complete assessment needs (not the older forms that stand for others). */
export function requiredDomains(tool: ToolView): string[] {
  return tool.domains.filter((d) => !d.standsFor.length).map((d) => d.id);
}

/** Required domains missing from `present`, taking the older forms into account. */
export function missingDomains(tool: ToolView, present: ReadonlySet<string>): string[] {
  const covered = new Set(present);
  for (const d of tool.domains) if (present.has(d.id)) d.standsFor.forEach((x) => covered.add(x));
  return requiredDomains(tool).filter((d) => !covered.has(d));
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
    lowNeedsAllLow: Boolean(def.lowNeedsAllLow),
    noOverallRule: Boolean(def.noOverallRule),
    groupsOfOutcomes: Boolean(def.groupsOfOutcomes),
    notJudgements: def.notJudgements ?? {},
    def,
    domains: def.domains.map((d) => ({
      id: d.id,
      name: d.name,
      allowed: judgements,
      applicability: Boolean(d.applicability),
      standsFor: d.standsFor ?? [],
    })),
  };
}

function customToolView(bias: TreeNode | null | undefined): ToolView {
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
      domains.push({ id: did, name: stringOf(valueOf(item, "name")) ?? did, allowed, applicability: false, standsFor: [] });
    }
  }
  return {
    id: CUSTOM_TOOL_ID,
    name: "Custom tool",
    per: "study",
    domains,
    judgements: [...all],
    severity: new Map(),
    lowNeedsAllLow: false,
    noOverallRule: true,
    groupsOfOutcomes: false,
    notJudgements: {},
  };
}

function toolViewById(id: string | undefined, bias: TreeNode | null | undefined): ToolView | undefined {
  if (!id) return undefined;
  const def = toolById(id);
  if (def) return builtInToolView(def);
  return id === CUSTOM_TOOL_ID ? customToolView(bias) : undefined;
}

/** The tools of a protocol: `bias.tool`, and per design from `bias.by_design`. */
export interface ToolSet {
  /** `bias.tool`. */
  main?: ToolView;
  byDesign: ReadonlyMap<string, ToolView>;
  /** `type` of the review (QUADAS-2 is for diagnostic accuracy only). */
  reviewType?: string;
}

export function toolSetOf(bias: TreeNode | null | undefined, reviewType: string | undefined): ToolSet {
  const main = toolViewById(stringOf(valueOf(bias, "tool")), bias);
  const byDesign = new Map<string, ToolView>();
  const map = valueOf(bias, "by_design");
  if (map?.kind === "map") {
    for (const p of map.pairs) {
      const tool = toolViewById(stringOf(p.value), bias);
      if (tool && p.key.value !== null) byDesign.set(String(p.key.value), tool);
    }
  }
  return { main, byDesign, reviewType };
}

/** The tool a study of `design` is judged with. */
export function toolFor(tools: ToolSet, design: string | undefined): ToolView | undefined {
  return (design !== undefined ? tools.byDesign.get(design) : undefined) ?? tools.main;
}

/** Every tool a protocol uses (the main one first), for plots and lists. */
export function toolsInUse(tools: ToolSet): ToolView[] {
  const out: ToolView[] = tools.main ? [tools.main] : [];
  for (const t of tools.byDesign.values()) if (!out.some((x) => x.id === t.id)) out.push(t);
  return out;
}

/** When the tool is not made for the design: the tool to use instead (undefined when none is known). */
export function designMismatch(tool: ToolView, design: string, reviewType: string | undefined): { fits: boolean; use?: string } {
  if (!tool.def) return { fits: true }; // custom matches every design
  if (toolFitsDesign(tool.def, design, reviewType)) return { fits: true };
  return { fits: false, use: recommendedTool(design, reviewType) };
}

/** rob1's `bias.key_domains`: the list as written, and its ids (undefined when it is not a list). */
export function keyDomainsOf(bias: TreeNode | null | undefined): { node: TreeNode | null | undefined; ids?: string[] } {
  const node = valueOf(bias, "key_domains");
  return { node, ids: node?.kind === "seq" ? node.items.map(stringOf).filter((x): x is string => x !== undefined) : undefined };
}
