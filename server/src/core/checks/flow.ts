/**
 * The PRISMA 2020 flow's arithmetic (contract section 12): `flow-arithmetic`
 * where a box does not follow from the ones before it (each equation on the
 * counts as stated), and `flow-included-mismatch` where the included studies
 * differ from the file's `studies`, or `excluded_studies` lists more studies
 * than the flow excludes at full text.
 */
import { FLOW_EQUATIONS, FLOW_FIELDS, FLOW_FULL_TEXT_EXCLUDED } from "../../../../schemas/src/domain";
import type { FlowCount, FlowModel } from "../model/evidence";
import { diagnostic, type Diagnostic } from "./diagnostics";

/** One equation worked on the flow's counts: the stated total, what the terms give, and both in words. */
export interface FlowBalance {
  total: FlowCount;
  expected: number;
  /** "1310 + 45 − 402" */
  numbers: string;
  /** "database_results + register_results − duplicates" */
  fields: string;
}

const minus = (n: number) => String(n).replace("-", "−");
const label = (field: string) => FLOW_FIELDS.find((f) => f.id === field)?.label ?? field;

/** Every equation the flow can be checked by (its total and first term given), with what it gives. */
export function flowBalances(flow: FlowModel): FlowBalance[] {
  const out: FlowBalance[] = [];
  for (const eq of FLOW_EQUATIONS) {
    const total = flow.counts.get(eq.total);
    if (!total || !flow.counts.has(eq.terms[0]!.field)) continue;
    const terms = eq.terms.filter((t) => (t.when === undefined || flow.counts.has(t.when)) && flow.counts.has(t.field));
    const expected = terms.reduce((s, t) => s + t.sign * flow.counts.get(t.field)!.value, 0);
    const sign = (t: { sign: number }, i: number) => (i === 0 ? "" : t.sign > 0 ? " + " : " − ");
    const sum = terms.map((t, i) => `${sign(t, i)}${flow.counts.get(t.field)!.value}`).join("");
    out.push({ total, expected, numbers: sum, fields: terms.map((t, i) => `${sign(t, i)}${t.field}`).join("") });
  }
  return out;
}

/** The flow's diagnostics; `studies`: how many the file lists; `excluded`: how many `excluded_studies` lists (undefined without the key). */
export function checkFlow(flow: FlowModel | undefined, studies: number, excluded: number | undefined): Diagnostic[] {
  if (!flow) return [];
  const out: Diagnostic[] = [];
  for (const b of flowBalances(flow)) {
    if (b.total.value === b.expected) continue;
    out.push(
      diagnostic(
        "flow-arithmetic",
        b.total.span.start,
        b.total.span.end,
        `${b.total.value} ${label(b.total.field).toLowerCase()} ≠ ${b.numbers} = ${minus(b.expected)} (${b.total.field} = ${b.fields}): correct this count or the ones before it`,
        { field: b.total.field, stated: b.total.value, expected: b.expected },
      ),
    );
  }
  const included = flow.counts.get("total_studies") ?? flow.counts.get("new_studies");
  if (included && included.value !== studies) {
    out.push(
      diagnostic(
        "flow-included-mismatch",
        included.span.start,
        included.span.end,
        `The flow includes ${included.value} ${included.value === 1 ? "study" : "studies"} (${included.field}) but the file lists ${studies} in \`studies\`: add the missing studies or correct the count`,
        { field: included.field, flow: included.value, studies },
      ),
    );
  }
  const fullText = FLOW_FULL_TEXT_EXCLUDED.map((f) => flow.counts.get(f)).filter((c): c is FlowCount => c !== undefined);
  const excludedReports = fullText.reduce((s, c) => s + c.value, 0);
  if (excluded !== undefined && fullText.length && excluded > excludedReports) {
    // The contract points the code at the included count; without one, at the exclusion count compared.
    const at = included ?? fullText[0]!;
    out.push(
      diagnostic(
        "flow-included-mismatch",
        at.span.start,
        at.span.end,
        `\`excluded_studies\` lists ${excluded} studies but the flow excludes ${excludedReports} reports at full text (${fullText.map((c) => c.field).join(" + ")}): each excluded study is at least one excluded report`,
        { excluded, flow: excludedReports },
      ),
    );
  }
  return out;
}
