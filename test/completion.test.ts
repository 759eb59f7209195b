/** Completion driven by the schema and the domain data, also while the document is broken. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkCompletion } from "./helpers/features";

const ROOT = path.resolve(__dirname, "../..");
const SEEDS = path.join(ROOT, "seeds");
const SAMPLE = fs.readFileSync(path.join(SEEDS, "mms-lactation.protocol.yaml"), "utf8");
const sample = { dir: SEEDS, root: ROOT };
/** The sample with `replace` put where `needle` is (the cursor marked $0 inside `replace`). */
const edit = (needle: string, replace: string) => {
  assert.ok(SAMPLE.includes(needle), needle);
  return SAMPLE.replace(needle, replace);
};

describe("completion", () => {
  it("top-level keys not yet present, required first, with descriptions", () => {
    const items = checkCompletion(edit("meta_bias: Funnel", "$0\nmeta_bias: Funnel"), ["excluded_studies"], ["protocol", "title", "studies"], sample);
    assert.match(items.find((i) => i.label === "excluded_studies")!.documentation!, /Excluded studies/);
  });

  it("enum values of the schema", () => {
    checkCompletion(edit("type: intervention", "type: $0"), ["diagnostic-accuracy", "intervention", "other"], [], sample);
    checkCompletion(edit("    design: cluster-rct", "    design: clu$0"), ["cluster-rct", "rct"], [], sample);
  });

  it("judgement values of the protocol's tool only, while the line is broken mid-typing", () => {
    const broken = edit("      other-bias: { judgement: low, support: none identified }", "      other-bias: { judgement: $0");
    const items = checkCompletion(broken, ["low", "unclear", "high"], ["some-concerns", "moderate"], sample);
    assert.equal(items.find((i) => i.label === "unclear")!.detail, "Unclear risk of bias: too little information to judge");
  });

  it("domain ids the study does not have yet", () => {
    const text = edit("      other-bias: { judgement: low, support: none identified }\n", "      $0\n");
    checkCompletion(text, ["other-bias"], ["random-sequence-generation", "allocation-concealment", "randomisation-process"], sample);
  });

  it("outcome ids in a study's outcomes map, the missing ones first", () => {
    const text = edit('      infant-growth: reported\n      milk-micronutrients: { status: reported, note: "higher iodine and vitamin A with MMS; not vitamins B12 or E, nor folate" }\n', "      $0\n");
    checkCompletion(text, ["infant-growth", "milk-micronutrients"], ["maternal-morbidity", "infant-mortality"], sample);
  });

  it("statuses and ORBIT letters with their meanings", () => {
    checkCompletion(edit("      infant-growth: reported", "      infant-growth: $0"), ["reported", "partial", "measured-not-reported", "not-reported", "not-measured"], [], sample);
    const items = checkCompletion(edit("      maternal-morbidity: { status: not-reported, note: the substudy", "      maternal-morbidity: { status: not-reported, orbit: $0, note: the substudy"), ["A", "G", "I"], [], sample);
    assert.match(items.find((i) => i.label === "G")!.detail!, /likely measured, analysed and left out \(risk: high\)/);
  });

  it("arm ids", () => {
    checkCompletion(edit("    arms: [mms, ifa]", "    arms: [mms, $0]"), ["ifa", "mms", "no-supplement", "placebo"], [], sample);
  });

  it("citation keys with author and year, on cite: and after [@ in text", () => {
    const items = checkCompletion(edit("    cite: baxter2025", "    cite: bax$0"), ["abe2016", "baxter2025"], [], sample);
    assert.equal(items.find((i) => i.label === "baxter2025")!.detail, "Jo-Anna B Baxter et al., 2025");
    checkCompletion(edit("[@flrf2024]", "[@fl$0]"), ["flrf2024", "hmhb2025"], [], sample);
  });

  it("per-outcome tools: outcome ids under risk_of_bias, then the tool's domains in an outcome block", () => {
    const rob2 = `protocol: 1
title: T - a systematic review protocol
type: intervention
question: { interventions: [{ id: a, description: A }], comparators: [{ id: b, description: B }] }
outcomes:
  - { id: anaemia, name: Anaemia, role: primary }
  - { id: hb, name: Haemoglobin, role: secondary }
bias:
  tool: rob2
studies:
  - id: S 2020
    outcomes: { anaemia: reported, hb: reported }
    risk_of_bias:
      anaemia:
        randomisation-process: { judgement: low, support: x }
        $0
`;
    checkCompletion(rob2, ["deviations-from-intended-interventions", "selection-of-the-reported-result", "overall"], ["randomisation-process", "random-sequence-generation"]);
    checkCompletion(rob2.replace("        randomisation-process: { judgement: low, support: x }\n        $0", "        randomisation-process: { judgement: $0 }"), ["low", "some-concerns", "high"], ["unclear", "no-information"]);
    checkCompletion(rob2.replace("      anaemia:\n        randomisation-process: { judgement: low, support: x }\n        $0\n", "      $0\n"), ["anaemia", "hb"]);
  });

  it("a new study record with every domain of the file's tool", () => {
    const items = checkCompletion(edit("  - id: Sneed 1981", "  - $0\n  - id: Sneed 1981"), ["study (rob1)"], [], sample);
    const snippet = items.find((i) => i.label === "study (rob1)")!;
    for (const d of ["random-sequence-generation", "other-bias", "maternal-morbidity: not-reported"]) assert.ok(snippet.insertText.includes(d), d);
  });
});

describe("completion: regressions found by fuzzing", () => {
  it("answers at the start of a document that begins with blank lines (it used to loop)", () => {
    checkCompletion("$0\n\n", ["protocol", "title"]);
    checkCompletion("\n$0\n", ["protocol"]);
    checkCompletion("$0", ["protocol"]);
  });
});

describe("completion in every list item", () => {
  const lastStudyEnd = SAMPLE.indexOf("# analyses: the review");
  it("a new item below the last study gets study keys and a whole study, not judgement or support", () => {
    checkCompletion(SAMPLE.slice(0, lastStudyEnd) + "  - $0\n" + SAMPLE.slice(lastStudyEnd), ["study (rob1)", "id", "cite", "design"], ["judgement", "support"], sample);
  });
  it("a new item of outcomes, interventions, sources, authors, amendments gets that list's keys", () => {
    checkCompletion(SAMPLE.replace("bias:\n  tool: rob1", "  - $0\nbias:\n  tool: rob1"), ["id", "name", "role"], ["judgement"], sample);
    checkCompletion(SAMPLE.replace("  comparators:\n", "    - $0\n  comparators:\n"), ["description", "id"], [], sample);
    checkCompletion(SAMPLE.replace("studies:\n  #", "  - $0\nstudies:\n  #"), ["bibliography", "file", "key"], [], sample);
    checkCompletion(SAMPLE.replace("amendments:", "  - $0\namendments:"), ["name", "affiliation", "email"], [], sample);
    checkCompletion(SAMPLE.replace("support:\n", "  - $0\nsupport:\n"), ["change", "date", "reason"], [], sample);
  });
});
