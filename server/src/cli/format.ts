/** Output formats of review-lint: text (as compilers print), JSON (LSP ranges) and SARIF 2.1.0. */
import * as nodePath from "node:path";
import { pathToFileURL } from "node:url";
import { ALL_CODES, CODE_DESCRIPTIONS, CODES, DIAGNOSTIC_SOURCE } from "../core/checks/diagnostics";
import type { CheckedFile } from "../service/workspace/workspace";

export function formatText(reports: readonly CheckedFile[]): string {
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

export function formatJson(reports: readonly CheckedFile[]): string {
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

/** Where the format reference lives: each rule's helpUri is an anchor in it. */
const FORMAT_REFERENCE = "https://review-protocol.invalid/blob/main/docs/format.md";

/**
 * SARIF 2.1.0 as code-scanning services read it: artifact URIs relative to
 * `%SRCROOT%` (the root), given in `originalUriBaseIds`; every rule described
 * and linked to its place in the format reference.
 */
export function formatSarif(reports: readonly CheckedFile[], root: string): string {
  const rootUri = pathToFileURL(root.endsWith(nodePath.sep) ? root : root + nodePath.sep).href;
  const uriOf = (file: string) => {
    const rel = nodePath.relative(root, nodePath.resolve(file));
    const inside = rel && !rel.startsWith("..") && !nodePath.isAbsolute(rel);
    return inside ? { uri: rel.split(nodePath.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" } : { uri: pathToFileURL(nodePath.resolve(file)).href };
  };
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "review-lint",
            informationUri: FORMAT_REFERENCE,
            rules: ALL_CODES.map((code) => ({
              id: code,
              name: code.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: CODE_DESCRIPTIONS[code] },
              fullDescription: { text: `${CODE_DESCRIPTIONS[code]} Default severity: ${CODES[code]}. See the format reference for where it points and how to fix it.` },
              helpUri: `${FORMAT_REFERENCE}#${code}`,
              defaultConfiguration: { level: SARIF_LEVEL[CODES[code]] },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: rootUri } },
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
                    artifactLocation: uriOf(r.file),
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
