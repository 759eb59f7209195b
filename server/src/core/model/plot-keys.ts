/**
 * The keys of an analysis that shape its forest plot (contract section 8):
 * `labels` (under the axis, as written) and a numeric `scale` (the axis range,
 * RevMan's SCALE). A GIV analysis's `scale` is its data scale instead (log or
 * identity); a number there, or `log`/`identity` on another measure, is not an
 * axis range (checks/meta-analyses.ts says which is which).
 */
import type { MeasureDef } from "../../../../schemas/src/domain";
import { valueOf, type MapNode } from "../syntax/tree";

export function readPlotKeys(item: MapNode, measure: MeasureDef | undefined): { labels?: [string, string]; axisScale?: number } {
  const found: { labels?: [string, string]; axisScale?: number } = {};
  const labels = valueOf(item, "labels");
  if (labels?.kind === "seq" && labels.items.length === 2) {
    const [left, right] = labels.items.map((l) => (l.kind === "scalar" && l.value !== null ? String(l.value) : undefined));
    if (left !== undefined && right !== undefined) found.labels = [left, right];
  }
  const node = valueOf(item, "scale");
  if (node?.kind === "scalar" && measure && measure.data !== "generic" && typeof node.value === "number" && node.value > 0) found.axisScale = node.value;
  return found;
}
