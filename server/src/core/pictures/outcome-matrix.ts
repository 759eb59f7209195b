/**
 * The outcome-reporting matrix as SVG (contract section 8): studies × outcomes,
 * each cell the status's colour and symbol, or its ORBIT letter, with a corner
 * mark where the study has data in an analysis of the outcome.
 */
import { ORBIT, OUTCOME_STATUSES, statusById } from "../../../../schemas/src/domain";
import { maxOf } from "../syntax/arrays";
import type { PlotData } from "./plot-data";
import { COLOUR, esc, NONE, svgDocument, type Tone } from "./svg";
import { textWidth } from "./text-width";

/** The outcome-reporting matrix: studies × outcomes, status colour, symbol and ORBIT letter. */
export function outcomeMatrixSvg(data: PlotData): string {
  const statusTone = (status: string | undefined): Tone => {
    const s = statusById(status);
    if (!s) return NONE;
    if (s.usable) return "good";
    if (s.givesResults) return "concern";
    return s.missing === 1 ? "bad" : s.missing === 2 ? "severe" : NONE;
  };
  const symbol = Object.fromEntries(OUTCOME_STATUSES.map((s) => [s.id, s.symbol]));
  // In a completed review a missing status is one RevMan never recorded: shown quietly, and said so.
  const noStatus = data.review ? { symbol: "·", label: "not recorded" } : { symbol: "?", label: "no status" };
  const labelWidth = maxOf(data.studies.map((s) => s.id.length * 7 + 10), 120);
  const col = 40;
  // Room for the longest outcome id, written at 60°.
  const top = 40 + Math.ceil(maxOf(data.outcomes.map((o) => o.id.length * 6.6), 60) * 0.87);
  const rowH = 30;
  const width = labelWidth + data.outcomes.length * col + 30 + Math.ceil(maxOf(data.outcomes.map((o) => o.id.length * 6.6), 0) * 0.5);
  const legendTop = top + data.studies.length * rowH + 24;
  const legendLines = OUTCOME_STATUSES.length + (data.review ? 1 : 0);
  const height = legendTop + legendLines * 18 + 40;
  const body: string[] = [`<text x="10" y="20" font-size="14" font-weight="bold">Outcome reporting</text>`];
  data.outcomes.forEach((o, i) => {
    const x = labelWidth + i * col + col / 2;
    body.push(`<text transform="translate(${x + 4},${top - 8}) rotate(-60)" font-weight="${o.role === "primary" ? "bold" : "normal"}">${esc(o.id)}</text>`);
  });
  data.studies.forEach((s, k) => {
    const y = top + k * rowH + rowH / 2;
    body.push(`<g class="row"><text x="10" y="${y + 4}">${esc(s.id)}</text>`);
    data.outcomes.forEach((o, i) => {
      const x = labelWidth + i * col + col / 2;
      const st = s.statuses.get(o.id);
      const tone = statusTone(st?.status);
      const orbit = st?.orbit ? ORBIT.find((l) => l.letter === st.orbit) : undefined;
      const data = s.data.get(o.id);
      const label = `${s.id} · ${o.id}: ${st?.status ?? noStatus.label}${orbit ? ` (ORBIT ${orbit.letter}: ${orbit.situation})` : ""}${data ? `; data in ${data.join(", ")}` : ""}`;
      body.push(
        `<g class="cell" data-status="${esc(st?.status ?? NONE)}"${st ? ` data-offset="${st.offset}"` : ""}><title>${esc(label)}</title>` +
          `<rect x="${x - 15}" y="${y - 12}" width="30" height="24" rx="3" fill="${COLOUR[tone]}" stroke="#333" stroke-width="0.5"/>` +
          `<text x="${x}" y="${y + 4}" text-anchor="middle" font-weight="bold">${esc(orbit ? orbit.letter : (symbol[st?.status ?? ""] ?? noStatus.symbol))}</text>` +
          // A study with data in an analysis of the outcome: a black corner mark.
          (data ? `<polygon class="has-data" points="${x + 15},${y - 12} ${x + 15},${y - 3} ${x + 6},${y - 12}" fill="#000"/>` : "") +
          "</g>",
      );
    });
    body.push("</g>");
  });
  OUTCOME_STATUSES.forEach((s, i) => {
    const y = legendTop + i * 18;
    body.push(`<rect x="10" y="${y - 10}" width="22" height="14" rx="2" fill="${COLOUR[statusTone(s.id)]}" stroke="#333" stroke-width="0.5"/><text x="21" y="${y + 1}" text-anchor="middle" font-size="10" font-weight="bold">${esc(symbol[s.id]!)}</text><text x="40" y="${y + 1}">${esc(s.id)} — ${esc(s.meaning)}</text>`);
  });
  if (data.review) {
    const y = legendTop + OUTCOME_STATUSES.length * 18;
    body.push(`<rect x="10" y="${y - 10}" width="22" height="14" rx="2" fill="${COLOUR.none}" stroke="#333" stroke-width="0.5"/><text x="21" y="${y + 1}" text-anchor="middle" font-size="10" font-weight="bold">${noStatus.symbol}</text><text x="40" y="${y + 1}">not recorded — a completed review: RevMan does not record the statuses of outcomes without data</text>`);
  }
  const note = "A letter is the ORBIT classification of a missing outcome; a black corner: the study has data in an analysis of it; primary outcomes are in bold.";
  body.push(`<text x="10" y="${legendTop + legendLines * 18 + 14}" font-size="10">${note}</text>`);
  return svgDocument(Math.max(width, 620, textWidth(note, 10) + 20), height, "Outcome reporting matrix", body);
}
