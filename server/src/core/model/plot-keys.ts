/**
 * The keys of an analysis that shape its forest plot (contract section 8):
 * `labels` (under the axis, as written) and a numeric `scale` (the axis range,
 * RevMan's SCALE). A GIV analysis's `scale` is its data scale instead (log or
 * identity), so a number there — or `log`/`identity` on another measure — is a
 * `schema-type` error saying which is which. Offsets in the item's own chunk.
 */
import type { MeasureDef } from "../../../../schemas/src/domain";
import { diagnostic, type Diagnostic } from "../checks/diagnostics";
import { valueOf, type MapNode } from "../syntax/tree";

export function readPlotKeys(item: MapNode, measure: MeasureDef | undefined, out: Diagnostic[]): { labels?: [string, string]; axisScale?: number } {
  const found: { labels?: [string, string]; axisScale?: number } = {};
  const labels = valueOf(item, "labels");
  if (labels?.kind === "seq" && labels.items.length === 2) {
    const [left, right] = labels.items.map((l) => (l.kind === "scalar" && l.value !== null ? String(l.value) : undefined));
    if (left !== undefined && right !== undefined) found.labels = [left, right];
  }
  const node = valueOf(item, "scale");
  if (node?.kind !== "scalar" || !measure) return found;
  const wrong = (message: string) => out.push(diagnostic("schema-type", node.start, node.end, message, { key: "scale" }));
  if (measure.data === "generic") {
    if (typeof node.value === "number") {
      wrong(`A GIV analysis's \`scale\` says whether its estimates are natural logs (\`scale: log\`, ratio measures) or not (\`scale: identity\`), not an axis range: its forest plot's axis follows the default rule`);
    }
  } else if (typeof node.value === "number" && node.value > 0) found.axisScale = node.value;
  else if (node.value === "log" || node.value === "identity") {
    wrong(`\`scale: ${node.value}\` is a GIV analysis's data scale; ${measure.id} data are never logs: remove it, or give the forest plot's axis range as a number (e.g. \`scale: 100\`)`);
  }
  return found;
}
