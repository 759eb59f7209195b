/**
 * What the risk-of-bias and outcome-reporting pictures show, read from the
 * protocol's model: a cell per judgement (its value, where it is written, not
 * yet assessed, per group of outcomes, applicability), each study's statuses and
 * the analyses it has data in.
 */
import { OVERALL_KEY } from "../../../../schemas/src/domain";
import type { ToolView } from "../model/tools";
import type { BiasBlock, DomainJudgements, Judgement } from "../model/studies";

export const NOT_ASSESSED = "not assessed";
export const NO_JUDGEMENT = "no judgement";

export interface Cell {
  value?: string;
  offset?: number;
  /** The judgement is there but empty: not yet assessed. */
  unassessed?: boolean;
  /** rob1 per group of outcomes: each group's judgement (the cell shows the most severe). */
  groups?: string[];
  /** QUADAS-2: the applicability concern. */
  applicability?: Cell;
}

export interface PlotStudy {
  id: string;
  /** The tool the study is judged with (its design's, else the protocol's). */
  tool?: ToolView;
  participants?: number;
  offset: number;
  /** Per-study tools: domain -> cell, plus "overall". */
  judgements: Map<string, Cell>;
  /** Per-outcome tools: outcome -> domain -> cell. */
  perOutcome: Map<string, Map<string, Cell>>;
  statuses: Map<string, { status?: string; orbit?: string; offset: number }>;
  /** Outcome id -> the analyses in which the study has a data row. */
  data: Map<string, string[]>;
}

export interface PlotData {
  /** Every tool the studies are judged with, the protocol's own first. */
  tools: ToolView[];
  studies: PlotStudy[];
  outcomes: { id: string; name: string; role?: string }[];
  /** A completed review (`stage: review`): a missing status was never recorded, not forgotten. */
  review: boolean;
}

/** A domain's cell: its judgement, or (RoB 1 by groups of outcomes) the most severe of its groups'. */
function cellOfDomain(d: DomainJudgements, tool: ToolView | undefined): Cell {
  if (!d.perGroup) return cellOf(d.entries[0]!);
  const judged = d.entries.filter((j) => j.value !== undefined);
  const worst = [...judged].sort((a, b) => (tool?.severity.get(b.value!) ?? -1) - (tool?.severity.get(a.value!) ?? -1))[0];
  return {
    value: worst?.value,
    offset: (worst ?? d.entries[0])?.span.start,
    unassessed: !worst && d.entries.some((j) => j.empty),
    groups: d.entries.map((j) => `${j.group}: ${j.value ?? NOT_ASSESSED}`),
  };
}

function cellOf(j: Judgement): Cell {
  const cell: Cell = { value: j.value, offset: j.span.start, unassessed: j.empty };
  if (j.applicability) cell.applicability = cellOf(j.applicability);
  return cell;
}

/** Domain -> cell, and "overall". */
export function cellsOf(block: BiasBlock, tool: ToolView | undefined): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const d of block.domains) cells.set(d.domain, cellOfDomain(d, tool));
  if (block.overall) cells.set(OVERALL_KEY, cellOf(block.overall));
  return cells;
}
