/** Diagnostic codes of contract section 5, their default severities, and the diagnostic shape. */

export const DIAGNOSTIC_SOURCE = "review-protocol";

export type Severity = "error" | "warning" | "information" | "hint";

export const CODES = {
  "yaml-syntax": "error",
  "schema-required": "error",
  "schema-type": "error",
  "schema-enum": "error",
  "schema-unknown-key": "warning",
  "duplicate-id": "error",
  "unknown-reference": "error",
  "unresolved-citation": "error",
  "missing-source-file": "error",
  "source-outside-workspace": "error",
  "source-unreadable": "error",
  "source-mismatch": "warning",
  "missing-bias-domain": "warning",
  "missing-bias-support": "information",
  "unknown-bias-domain": "error",
  "invalid-judgement": "error",
  "inconsistent-overall-judgement": "warning",
  "missing-outcome-status": "warning",
  "outcome-not-reported": "warning",
  "selective-reporting-inconsistent": "warning",
  "prisma-p-missing": "information",
  "bias-not-assessed": "warning",
  "tool-design-mismatch": "warning",
  "orbit-status-mismatch": "warning",
  "data-invalid": "error",
  "data-status-conflict": "warning",
  "data-missing": "information",
  "data-exceeds-participants": "warning",
} as const satisfies Record<string, Severity>;

export type Code = keyof typeof CODES;

export const ALL_CODES = Object.keys(CODES) as Code[];

/** A problem found in a protocol. Offsets are UTF-16 offsets into the protocol text. */
export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  /** What a quick fix needs (missing ids, the nearest value, …). Plain JSON. */
  data?: Record<string, unknown>;
}

export function diagnostic(
  code: Code,
  start: number,
  end: number,
  message: string,
  data?: Record<string, unknown>,
  severity: Severity = CODES[code],
): Diagnostic {
  return data ? { code, severity, message, start, end, data } : { code, severity, message, start, end };
}

/** Moves diagnostics computed on a chunk to the chunk's place in the document. */
export function shift(diagnostics: readonly Diagnostic[], by: number): Diagnostic[] {
  if (by === 0) return diagnostics.slice();
  return diagnostics.map((d) => ({ ...d, start: d.start + by, end: d.end + by }));
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.start - b.start || a.end - b.end || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code);
}
