/**
 * What every study is checked against: the protocol's tools, outcomes and arms
 * (and RoB 1's key domains). A study's checks are a pure function of its text
 * and this context, so their result is cached by both; the fingerprint changes
 * whenever the context does.
 */
import { CUSTOM_TOOL_ID } from "../../../../schemas/src/domain";
import type { ToolSet, ToolView } from "../model/tools";

/** A protocol outcome as the study checks see it. */
export interface OutcomeDecl {
  id: string;
  role?: string;
  harm: boolean;
}

export interface StudyContext {
  /** `bias.tool`; a study's own tool is `toolFor(tools, design)`. */
  tool?: ToolView;
  tools: ToolSet;
  /** rob1: the domains the overall rests on (`bias.key_domains`), when given. */
  keyDomains?: readonly string[];
  outcomes: readonly OutcomeDecl[];
  arms: readonly string[];
  /** Changes whenever anything above changes: part of the cache key of study results. */
  fingerprint: string;
}

const NO_TOOLS: ToolSet = { byDesign: new Map() };

export function studyContext(tools: ToolSet = NO_TOOLS, outcomes: readonly OutcomeDecl[] = [], arms: readonly string[] = [], keyDomains?: readonly string[]): StudyContext {
  const view = (t: ToolView | undefined) => (t ? [t.id, t.id === CUSTOM_TOOL_ID ? t.domains : null] : null);
  const fingerprint = JSON.stringify([
    view(tools.main),
    [...tools.byDesign].map(([d, t]) => [d, view(t)]),
    tools.reviewType,
    keyDomains,
    outcomes,
    arms,
  ]);
  return { tool: tools.main, tools, keyDomains, outcomes, arms, fingerprint };
}
