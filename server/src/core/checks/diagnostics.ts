/** Diagnostic codes of contract section 5, their default severities, and the diagnostic shape. */
import type { Span } from "../syntax/span";

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
  "shared-arm-counted-twice": "warning",
  "certainty-inconsistent": "warning",
  "certainty-hint": "information",
  "flow-arithmetic": "warning",
  "flow-included-mismatch": "warning",
} as const satisfies Record<string, Severity>;

export type Code = keyof typeof CODES;

export const ALL_CODES = Object.keys(CODES) as Code[];

/** A problem found in a protocol. Offsets are UTF-16 offsets into the protocol text. */
export interface Diagnostic extends Span {
  code: Code;
  severity: Severity;
  message: string;
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

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.start - b.start || a.end - b.end || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.code.localeCompare(b.code);
}

/** What each code means (contract section 5): SARIF rules' descriptions, and the format reference's anchors. */
export const CODE_DESCRIPTIONS: Record<Code, string> = {
  "yaml-syntax": "The YAML does not parse.",
  "schema-required": "A required key is missing, or a required list is empty.",
  "schema-type": "A value has the wrong type or form.",
  "schema-enum": "A value is not one of the allowed ones.",
  "schema-unknown-key": "A key the format does not know.",
  "duplicate-id": "An id used twice.",
  "unknown-reference": "An outcome, intervention, comparator or study id that is not declared.",
  "unresolved-citation": "A citation key that no source defines.",
  "missing-source-file": "A file or bibliography that does not exist.",
  "source-outside-workspace": "A source path outside the workspace.",
  "source-unreadable": "A source or bibliography that cannot be parsed.",
  "source-mismatch": "A study's DOI or registration differs from what its cited source states.",
  "missing-bias-domain": "A study lacks a judgement for a domain of its risk-of-bias tool.",
  "missing-bias-support": "A risk-of-bias judgement has no support text.",
  "unknown-bias-domain": "A domain id the tool does not have.",
  "invalid-judgement": "A judgement value the tool does not allow.",
  "inconsistent-overall-judgement": "An overall judgement milder than the tool's rule allows.",
  "missing-outcome-status": "A study says nothing about a protocol outcome.",
  "outcome-not-reported": "No included study reports the outcome: the review cannot synthesise it.",
  "selective-reporting-inconsistent": "RoB 1 selective reporting judged low while an outcome is missing at high risk.",
  "prisma-p-missing": "A PRISMA-P 2015 item the protocol does not address.",
  "bias-not-assessed": "A risk-of-bias judgement left empty: not yet assessed.",
  "tool-design-mismatch": "The risk-of-bias tool that applies to a study is not made for its design.",
  "orbit-status-mismatch": "An ORBIT letter that contradicts the outcome's reporting status.",
  "data-invalid": "A data row that cannot be right, or does not fit the analysis's measure.",
  "data-status-conflict": "A study has data for an outcome its status calls anything but reported.",
  "data-missing": "A study reports an outcome that has analyses, but none has a row for it.",
  "data-exceeds-participants": "A data row counts more participants than the study has.",
  "shared-arm-counted-twice": "One group of people counted twice in a pooled total: a unit-of-analysis error (Cochrane Handbook 23.3.4).",
  "certainty-inconsistent": "A stated GRADE certainty differs from what its ratings give.",
  "certainty-hint": "The data suggest a GRADE domain the ratings do not reflect.",
  "flow-arithmetic": "PRISMA 2020 flow counts that do not add up.",
  "flow-included-mismatch": "The flow's included studies differ from the studies in the file.",
};
