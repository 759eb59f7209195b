/**
 * Forest plots as SVG in RevMan's layout: per-arm data columns, the weight, the
 * effect with its CI as text and as a square sized by weight with its line, a
 * diamond per subgroup and for the total, the heterogeneity and overall-effect
 * lines, and "Favours …" labels from the arms. Colour-blind safe (Okabe–Ito
 * blue and vermilion; shapes carry the meaning). Rows carry `data-offset`: where
 * their data row is in the protocol.
 */
import type { AnalysisModel, DataRowModel } from "./analyses";
import type { DataRow, Pooled, StudyResult } from "./meta-analysis";
import { fixed, formatEffect, formatHeterogeneity, formatOverall, measureLabel, methodName } from "./results";

const FONT = `font-family="Helvetica, Arial, sans-serif"`;
const STUDY = "#0072B2";
const POOLED = "#000000";

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function armData(row: DataRow | undefined, arm: 0 | 1): [string, string] {
  if (!row) return ["", ""];
  if (row.kind === "dichotomous") return [String(row.events[arm]), String(row.total[arm])];
  if (row.kind === "continuous") return [`${row.mean[arm]} (${row.sd[arm]})`, String(row.total[arm])];
  return ["", row.total ? String(row.total[arm]) : ""];
}

/** The axis: from the CIs shown, symmetric on the log scale for ratios, with round ticks. */
function axis(values: number[], ratio: boolean): { lo: number; hi: number; ticks: number[] } {
  const finite = values.filter((v) => Number.isFinite(v) && (!ratio || v > 0));
  if (ratio) {
    const m = Math.max(...finite.map((v) => Math.abs(Math.log(v))), Math.log(1.5));
    const scales: [number, number[]][] = [
      [2, [0.5, 0.7, 1, 1.5, 2]],
      [5, [0.2, 0.5, 1, 2, 5]],
      [10, [0.1, 0.2, 0.5, 1, 2, 5, 10]],
      [100, [0.01, 0.1, 1, 10, 100]],
      [1000, [0.001, 0.1, 1, 10, 1000]],
    ];
    const [hi, ticks] = scales.find(([h]) => Math.log(h) >= m) ?? scales[scales.length - 1]!;
    return { lo: -Math.log(hi), hi: Math.log(hi), ticks: ticks.map(Math.log) };
  }
  const m = Math.max(...finite.map(Math.abs), 1e-9);
  const magnitude = 10 ** Math.floor(Math.log10(m));
  const step = [1, 2, 5, 10].map((k) => k * magnitude).find((s) => s >= m) ?? 10 * magnitude;
  return { lo: -step, hi: step, ticks: [-step, -step / 2, 0, step / 2, step] };
}

export function forestSvg(a: AnalysisModel, arms: readonly [string, string]): string {
  const r = a.result;
  const title = `${a.name ?? a.outcome ?? a.id} (${a.id})`;
  if (!r || !a.spec) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40" ${FONT} font-size="12"><title>${esc(title)}</title><rect width="600" height="40" fill="#fff"/><text x="10" y="24">${esc(a.id)}: cannot be computed (check its measure${a.measure?.data === "generic" ? " and scale" : ""}).</text></svg>\n`;
  }
  const ratio = r.ratio;
  const scale = (v: number) => (ratio ? Math.log(v) : v);
  const shown = [
    ...r.studies.flatMap((s) => (s.ci ? [scale(s.ci[0]), scale(s.ci[1])] : [])),
    ...(r.pooled ? [scale(r.pooled.ci[0]), scale(r.pooled.ci[1])] : []),
  ].map((v) => (ratio ? Math.exp(v) : v));
  const ax = axis(shown, ratio);
  const rows = new Map<StudyResult, DataRowModel>();
  let k = 0;
  for (const g of a.groups) for (const row of g.rows.filter((x) => x.row)) rows.set(r.studies[k++]!, row);

  const cols = { study: 10, e1: 190, n1: 270, e2: 320, n2: 400, weight: 450, effect: 560, plot: 690 };
  const plotW = 260;
  const xOf = (v: number) => cols.plot + ((Math.min(Math.max(v, ax.lo), ax.hi) - ax.lo) / (ax.hi - ax.lo)) * plotW;
  const width = cols.plot + plotW + 20;
  const rowH = 20;
  const body: string[] = [];
  let y = 84;
  const cont = a.spec.measure === "MD" || a.spec.measure === "SMD";
  const generic = a.spec.measure === "GIV";
  const [expLabel, ctlLabel] = arms;
  const header = [
    `<text x="${cols.study}" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<text x="${(cols.e1 + cols.n1) / 2 + 20}" y="40" text-anchor="middle" font-weight="bold">${esc(expLabel)}</text>`,
    `<text x="${(cols.e2 + cols.n2) / 2 + 20}" y="40" text-anchor="middle" font-weight="bold">${esc(ctlLabel)}</text>`,
    `<text x="${cols.study}" y="58" font-weight="bold">Study or subgroup</text>`,
    `<text x="${cols.n1}" y="58" text-anchor="end" font-weight="bold">${generic ? "" : cont ? "Mean (SD)" : "Events"}</text>`,
    `<text x="${cols.n1 + 40}" y="58" text-anchor="end" font-weight="bold">Total</text>`,
    `<text x="${cols.n2}" y="58" text-anchor="end" font-weight="bold">${generic ? "" : cont ? "Mean (SD)" : "Events"}</text>`,
    `<text x="${cols.n2 + 40}" y="58" text-anchor="end" font-weight="bold">Total</text>`,
    `<text x="${cols.weight + 60}" y="58" text-anchor="end" font-weight="bold">Weight</text>`,
    `<text x="${cols.effect + 110}" y="40" text-anchor="end" font-weight="bold">${esc(measureLabel(a))}</text>`,
    `<text x="${cols.effect + 110}" y="58" text-anchor="end" font-size="10">${esc(methodName(r))}</text>`,
    `<text x="${cols.plot + plotW / 2}" y="40" text-anchor="middle" font-weight="bold">${esc(measureLabel(a))}</text>`,
    `<text x="${cols.plot + plotW / 2}" y="58" text-anchor="middle" font-size="10">${esc(methodName(r))}</text>`,
  ];
  body.push(...header);
  const maxWeight = Math.max(...r.studies.map((s) => s.weight ?? 0), 1);
  const diamond = (p: Pooled, label: string, bold: boolean) => {
    const cy = y - 5;
    const [lo, hi] = p.ci.map(scale) as [number, number];
    const mid = scale(p.effect);
    body.push(
      `<g class="pooled"><text x="${cols.study}" y="${y}" font-weight="${bold ? "bold" : "normal"}">${esc(label)}</text>` +
        `<text x="${cols.effect + 110}" y="${y}" text-anchor="end" font-weight="bold">${esc(formatEffect(p.effect, p.ci))}</text>` +
        `<polygon points="${xOf(lo).toFixed(1)},${cy} ${xOf(mid).toFixed(1)},${cy - 6} ${xOf(hi).toFixed(1)},${cy} ${xOf(mid).toFixed(1)},${cy + 6}" fill="${POOLED}"><title>${esc(`${label}: ${formatEffect(p.effect, p.ci)}`)}</title></polygon></g>`,
    );
    y += rowH;
  };
  const text = (line: string, size = 11) => {
    body.push(`<text x="${cols.study}" y="${y}" font-size="${size}">${esc(line)}</text>`);
    y += rowH - 4;
  };
  const totals = (studies: StudyResult[]) => {
    const t: [number, number] = [0, 0];
    const e: [number, number] = [0, 0];
    let dich = false;
    for (const s of studies) {
      const row = rows.get(s)?.row;
      if (row?.kind === "dichotomous") {
        dich = true;
        e[0] += row.events[0];
        e[1] += row.events[1];
      }
      if (row && row.kind !== "generic") {
        t[0] += row.total[0];
        t[1] += row.total[1];
      } else if (row?.total) {
        t[0] += row.total[0];
        t[1] += row.total[1];
      }
    }
    return { t, e, dich };
  };

  const subgrouped = r.subgroups.some((g) => g.name !== null);
  r.subgroups.forEach((g, gi) => {
    const members = r.studies.filter((s) => s.subgroup === g.name);
    if (subgrouped) {
      body.push(`<text x="${cols.study}" y="${y}" font-weight="bold">${esc(`${a.id}.${gi + 1} ${g.name ?? ""}`)}</text>`);
      y += rowH;
    }
    for (const s of members) {
      const model = rows.get(s);
      const [d1, t1] = armData(model?.row, 0);
      const [d2, t2] = armData(model?.row, 1);
      const offset = model ? ` data-offset="${model.key.start}"` : "";
      const parts = [
        `<g class="study"${offset}><title>${esc(`${s.study}: ${formatEffect(s.effect, s.ci)}${s.weight !== null ? `, weight ${fixed(s.weight, 1)}%` : ""}${model?.note ? ` — ${model.note}` : ""}`)}</title>`,
        `<text x="${cols.study}" y="${y}">${esc(s.study)}${model?.note ? "*" : ""}</text>`,
        `<text x="${cols.n1}" y="${y}" text-anchor="end">${esc(d1)}</text><text x="${cols.n1 + 40}" y="${y}" text-anchor="end">${esc(t1)}</text>`,
        `<text x="${cols.n2}" y="${y}" text-anchor="end">${esc(d2)}</text><text x="${cols.n2 + 40}" y="${y}" text-anchor="end">${esc(t2)}</text>`,
        `<text x="${cols.weight + 60}" y="${y}" text-anchor="end">${s.weight !== null ? `${fixed(s.weight, 1)}%` : ""}</text>`,
        `<text x="${cols.effect + 110}" y="${y}" text-anchor="end">${esc(formatEffect(s.effect, s.ci))}</text>`,
      ];
      if (s.ci && s.effect !== null) {
        const cy = y - 4;
        const half = 2 + 5 * Math.sqrt((s.weight ?? maxWeight / 4) / maxWeight);
        parts.push(`<line x1="${xOf(scale(s.ci[0])).toFixed(1)}" y1="${cy}" x2="${xOf(scale(s.ci[1])).toFixed(1)}" y2="${cy}" stroke="#000" stroke-width="1"/>`);
        parts.push(`<rect x="${(xOf(scale(s.effect)) - half).toFixed(1)}" y="${(cy - half).toFixed(1)}" width="${(2 * half).toFixed(1)}" height="${(2 * half).toFixed(1)}" fill="${STUDY}"/>`);
      }
      parts.push("</g>");
      body.push(parts.join(""));
      y += rowH;
    }
    if (subgrouped && g.pooled && a.spec!.totals !== "none") {
      const { t, e, dich } = totals(members);
      body.push(`<text x="${cols.n1 + 40}" y="${y}" text-anchor="end" font-weight="bold">${t[0]}</text><text x="${cols.n2 + 40}" y="${y}" text-anchor="end" font-weight="bold">${t[1]}</text>`);
      diamond(g.pooled, "Subtotal (95% CI)", true);
      if (dich) text(`Total events: ${e[0]} (${expLabel}), ${e[1]} (${ctlLabel})`);
      text(formatHeterogeneity(g.heterogeneity, r.model === "random"));
      text(formatOverall(g.pooled));
      y += 6;
    }
  });
  if (r.pooled) {
    const { t, e, dich } = totals(r.studies);
    body.push(`<text x="${cols.n1 + 40}" y="${y}" text-anchor="end" font-weight="bold">${t[0]}</text><text x="${cols.n2 + 40}" y="${y}" text-anchor="end" font-weight="bold">${t[1]}</text>`);
    body.push(`<text x="${cols.weight + 60}" y="${y}" text-anchor="end" font-weight="bold">100.0%</text>`);
    diamond(r.pooled, "Total (95% CI)", true);
    if (dich) text(`Total events: ${e[0]} (${expLabel}), ${e[1]} (${ctlLabel})`);
    text(formatHeterogeneity(r.heterogeneity, r.model === "random"));
    text(formatOverall(r.pooled));
  }
  if (r.subgroupDifferences) {
    const d = r.subgroupDifferences;
    text(`Test for subgroup differences: Chi² = ${fixed(d.q)}, df = ${d.df} (${d.p === null ? "P not applicable" : `P = ${fixed(d.p)}`}), I² = ${Math.round(d.i2 ?? 0)}%`);
  }
  const notes = [...rows.values()].filter((m) => m.note);
  for (const m of notes) text(`* ${m.study}: ${m.note}`, 10);
  // The axis, the line of no effect, and the favours labels under it.
  const top = 66;
  const axisY = y + 4;
  const nullX = xOf(0);
  body.push(`<line x1="${nullX.toFixed(1)}" y1="${top}" x2="${nullX.toFixed(1)}" y2="${axisY}" stroke="#666" stroke-width="1"/>`);
  body.push(`<line x1="${cols.plot}" y1="${axisY}" x2="${cols.plot + plotW}" y2="${axisY}" stroke="#000" stroke-width="1"/>`);
  for (const t of ax.ticks) {
    const x = xOf(t);
    const label = ratio ? String(Number(Math.exp(t).toPrecision(3))) : String(Number(t.toPrecision(3)));
    body.push(`<line x1="${x.toFixed(1)}" y1="${axisY}" x2="${x.toFixed(1)}" y2="${axisY + 4}" stroke="#000"/><text x="${x.toFixed(1)}" y="${axisY + 16}" text-anchor="middle" font-size="10">${esc(label)}</text>`);
  }
  body.push(`<text x="${cols.plot + plotW / 4}" y="${axisY + 32}" text-anchor="middle" font-size="11" fill="${STUDY}">Favours ${esc(expLabel)}</text>`);
  body.push(`<text x="${cols.plot + (3 * plotW) / 4}" y="${axisY + 32}" text-anchor="middle" font-size="11" fill="#D55E00">Favours ${esc(ctlLabel)}</text>`);
  const height = axisY + 44;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(`Forest plot: ${title}`)}" ${FONT} font-size="12">`,
    `<title>${esc(`Forest plot: ${title}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
