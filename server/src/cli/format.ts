/** Output formats of review-lint: text (as compilers print), JSON (LSP ranges) and SARIF 2.1.0. */
import { ALL_CODES, CODES, DIAGNOSTIC_SOURCE } from "../core/diagnostics";
import type { FileReport } from "./lint";

export function formatText(reports: readonly FileReport[]): string {
  let s = "";
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const r of reports) {
    for (const d of r.diagnostics) {
      const p = r.lines.positionAt(d.start);
      s += `${r.file}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code} ${d.message}\n`;
      if (d.severity === "error") errors++;
      else if (d.severity === "warning") warnings++;
      else infos++;
    }
  }
  const count = reports.filter((r) => r.analysis).length;
  const files = `${count} protocol${count === 1 ? "" : "s"}`;
  return s + `${files} checked: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}, ${infos} information\n`;
}

export function formatJson(reports: readonly FileReport[]): string {
  const out = reports.flatMap((r) =>
    r.diagnostics.map((d) => ({
      file: r.file,
      code: d.code,
      severity: d.severity,
      message: d.message,
      range: r.lines.rangeOf(d.start, d.end),
      source: DIAGNOSTIC_SOURCE,
      ...(d.data ? { data: d.data } : {}),
    })),
  );
  return JSON.stringify(out, null, 2) + "\n";
}

const SARIF_LEVEL = { error: "error", warning: "warning", information: "note", hint: "note" } as const;

export function formatSarif(reports: readonly FileReport[]): string {
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "review-lint",
            informationUri: "https://review-protocol.invalid/docs/format.md",
            rules: ALL_CODES.map((code) => ({ id: code, defaultConfiguration: { level: SARIF_LEVEL[CODES[code]] } })),
          },
        },
        results: reports.flatMap((r) =>
          r.diagnostics.map((d) => {
            const range = r.lines.rangeOf(d.start, d.end);
            return {
              ruleId: d.code,
              ruleIndex: ALL_CODES.indexOf(d.code),
              level: SARIF_LEVEL[d.severity],
              message: { text: d.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: r.file.split("\\").join("/") },
                    region: {
                      startLine: range.start.line + 1,
                      startColumn: range.start.character + 1,
                      endLine: range.end.line + 1,
                      endColumn: range.end.character + 1,
                    },
                  },
                },
              ],
            };
          }),
        ),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
