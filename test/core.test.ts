/** Diagnostics of the core, one fixture per rule; ranges are the marked spans. */
import * as assert from "node:assert/strict";
import { analyseText, checkDiagnostics } from "./helpers/check";
import { parseFixture } from "./helpers/markers";
import { quickFixes } from "../server/src/service/code-actions";
import type { Diagnostic } from "../server/src/core/checks/diagnostics";

/** The edits of a diagnostic's first quick fix, built on request against the fixture's text (as the editor asks). */
function firstFixEdits(fixture: string, d: Diagnostic): { from: number; to: number; text: string }[] {
  const analysis = analyseText(parseFixture(fixture).text);
  return quickFixes(analysis, [{ code: d.code, start: d.start, data: d.data }])[0]!.edits;
}

/** The head of a valid protocol: everything a fixture does not test. */
const HEAD = `protocol: 1
title: Zinc for pneumonia in children - a systematic review protocol
type: intervention
question:
  population:
    description: Children aged 2 to 59 months
  interventions:
    - id: zinc
      description: Daily oral zinc
  comparators:
    - id: placebo
      description: Placebo
outcomes:
  - id: pneumonia
    name: Incidence of pneumonia
    role: primary
  - id: diarrhoea
    name: Diarrhoea
    role: secondary
`;

/** HEAD where no study reports the primary outcome. */
const HEAD_NR = HEAD.replace("  - id: pneumonia", "  - id: ⟨pneumonia|outcome-not-reported⟩").replace("  - id: diarrhoea", "  - id: ⟨diarrhoea|outcome-not-reported⟩");

const ROB1_LOW = `    risk_of_bias:
      random-sequence-generation: { judgement: low, support: computer list }
      allocation-concealment: { judgement: low, support: sealed envelopes }
      blinding-of-participants-and-personnel: { judgement: low, support: identical placebo }
      blinding-of-outcome-assessment: { judgement: low, support: blinded assessors }
      incomplete-outcome-data: { judgement: low, support: 3% loss }
      selective-reporting: { judgement: low, support: protocol available }
      other-bias: { judgement: low, support: none }
`;

const SOURCES = `sources:
  - key: lee2019
    file: sources/lee2019.md
`;

describe("core: valid protocols", () => {
  it("a complete rob1 protocol has no errors or warnings", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
${SOURCES}studies:
  - id: Lee 2019
    cite: lee2019
    design: rct
    participants: 412
    arms: [zinc, placebo]
    outcomes:
      pneumonia: reported
      diarrhoea: { status: reported, note: secondary }
${ROB1_LOW}`);
  });

  it("an empty studies list and studies: with no value are accepted", () => {
    checkDiagnostics(`${HEAD}bias:\n  tool: rob1\nstudies: []\n`);
    checkDiagnostics(`${HEAD}bias:\n  tool: rob1\nstudies:\n`);
  });
});

describe("core: schema", () => {
  it("protocol: \"1\" is a schema-type error (a string, not the integer)", () => {
    checkDiagnostics(`protocol: ⟨"1"|schema-type⟩
title: T - a systematic review protocol
type: intervention
question: {}
outcomes: [{ id: death, name: Death, role: primary }]
bias: { tool: rob1 }
`, { messages: { "schema-type": "must be the integer 1, not the string" } });
  });

  it("reports a missing top-level key on the document's first key", () => {
    checkDiagnostics(`# comment first
⟨protocol|schema-required,schema-required⟩: 1
type: intervention
question: {}
⟨outcomes|schema-required⟩: []
`, { messages: { "schema-required": "a protocol needs at least one outcome" } });
  });

  it("an empty document misses every required key at its start", () => {
    const diagnostics = checkDiagnostics("⟨|schema-required,schema-required,schema-required,schema-required,schema-required,schema-required⟩");
    assert.deepEqual(
      diagnostics.filter((d) => d.code === "schema-required").map((d) => d.data?.key).sort(),
      ["bias", "outcomes", "protocol", "question", "title", "type"],
    );
  });

  it("reports a missing key of a list item on the item's first key, and of a mapping on its key", () => {
    checkDiagnostics(`${HEAD.replace("    - id: placebo\n      description: Placebo\n", "    - ⟨id|schema-required⟩: placebo\n")}⟨bias|schema-required⟩:
  ⟨type|schema-unknown-key⟩: rob1
`, { messages: { "schema-required": "Missing required key 'tool' in bias" } });
  });

  it("reports wrong enum values with the nearest value", () => {
    checkDiagnostics(HEAD.replace("type: intervention", "type: ⟨intervension|schema-enum⟩") + "bias:\n  tool: ⟨Rob1|schema-enum⟩\n", {
      messages: { "schema-enum": "did you mean 'intervention'?" },
    });
  });

  it("reports wrong types and forms on the value", () => {
    checkDiagnostics(
      `${HEAD_NR.replace("    - id: zinc\n", "    - id: ⟨Zinc Tablets|schema-type⟩\n").replace("    role: secondary\n", "    role: secondary\n    harm: ⟨sometimes|schema-type⟩\n")}bias:
  tool: rob1
studies:
  - id: Lee 2019
    participants: ⟨many|schema-type⟩
    outcomes: ⟨[pneumonia]|schema-type⟩
`,
      { messages: { "schema-type": "e.g. 'zinc-tablets'" } },
    );
  });

  it("reports unknown keys as warnings on the key, at every level", () => {
    const diagnostics = checkDiagnostics(`${HEAD_NR}⟨titel|schema-unknown-key⟩: x
bias:
  tool: rob1
  ⟨domain|schema-unknown-key⟩: x
studies:
  - id: Lee 2019
    ⟨desing|schema-unknown-key⟩: rct
    outcomes:
      pneumonia: { status: not-reported, ⟨nite|schema-unknown-key⟩: x }
      diarrhoea: not-reported
`, { messages: { "schema-unknown-key": "did you mean 'design'?" } });
    assert.ok(diagnostics.filter((d) => d.code === "schema-unknown-key").every((d) => d.severity === "warning"));
  });

  it("a text cut by a comma in a flow mapping stays one text", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes:
      pneumonia: { status: reported, note: mostly, but not all }
      diarrhoea: not-reported
${ROB1_LOW.replace("computer list", "computer list, stratified by site")}`);
  });
});

describe("core: ids and references", () => {
  it("ids are unique across interventions, comparators and outcomes; study ids are unique", () => {
    checkDiagnostics(`${HEAD_NR.replace("    - id: placebo", "    - id: ⟨zinc|duplicate-id⟩").replace("  - id: ⟨diarrhoea|outcome-not-reported⟩", "  - id: ⟨zinc|duplicate-id,outcome-not-reported⟩")}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes: { pneumonia: not-reported, zinc: not-reported }
  - id: ⟨Lee 2019|duplicate-id⟩
    outcomes: { pneumonia: not-reported, zinc: not-reported }
`);
  });

  it("arms and outcome ids must be declared; suggestions name the nearest", () => {
    checkDiagnostics(`${HEAD_NR}bias:
  tool: rob1
studies:
  - id: Lee 2019
    arms: [zinc, ⟨placebos|unknown-reference⟩]
    outcomes:
      pneumonia: not-reported
      diarrhoea: not-reported
      ⟨diarhoea|unknown-reference⟩: reported
`, { messages: { "unknown-reference": "did you mean 'diarrhoea'?" } });
  });
});

describe("core: citations", () => {
  it("resolves cite, update_of, excluded studies and [@key] in text, with exact key ranges", () => {
    checkDiagnostics(`${HEAD_NR}update_of: ⟨abe2015|unresolved-citation⟩
rationale: >
  Trials disagree [@lee2019; @⟨lee2091|unresolved-citation⟩]
  and [see @⟨okafor2020|unresolved-citation⟩, p. 3]; write to a.b@example.org
  or [contact me@example.org]. [-@lee2019] is fine.
objectives: |
  Literal block: [@⟨ghost|unresolved-citation⟩].
bias:
  tool: rob1
${SOURCES}excluded_studies:
  - cite: ⟨smith1999|unresolved-citation⟩
    reason: wrong population
studies:
  - id: Lee 2019
    cite: ⟨lee2091|unresolved-citation⟩
    outcomes:
      pneumonia: { status: not-reported, note: "see [@⟨lee2018|unresolved-citation⟩]" }
      diarrhoea: not-reported
`, { messages: { "unresolved-citation": "did you mean 'lee2019'?" } });
  });
});

describe("core: sources", () => {
  it("missing files, paths out of the workspace and unreadable bibliographies are reported on the path", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
sources:
  - key: ghost
    file: ⟨sources/not-there.md|missing-source-file⟩
  - key: up
    file: ⟨../../../../../../etc/passwd|source-outside-workspace⟩
  - key: absolute
    file: ⟨/etc/hostname|source-outside-workspace⟩
  - key: uri
    file: ⟨file:///etc/hostname|source-outside-workspace⟩
  - key: windows
    file: ⟨C:\\Windows\\win.ini|source-outside-workspace⟩
  - key: network
    file: ⟨//server/share/x.md|source-outside-workspace⟩
  - bibliography: ⟨sources/bad.bib|source-unreadable⟩
  - bibliography: ⟨sources/bad.json|source-unreadable⟩
  - bibliography: ⟨sources/notes.ris|source-unreadable⟩
  - bibliography: ⟨sources/none.bib|missing-source-file⟩
`, { messages: { "source-unreadable": /BibTeX: .*\(line \d+, column \d+\)/ } });
  });

  it("reads keys from BibTeX, RIS and CSL-JSON, deriving missing keys as the contract says", () => {
    checkDiagnostics(`${HEAD}rationale: >
  [@nakamura2021; @fofana2022; @okonkwo2021a; @okonkwo2021b; @muller2019; @muller2019a; @anonnd]
  [@42; @world2020; @nunez2018; @⟨okonkwo2021|unresolved-citation⟩]
bias:
  tool: rob1
sources:
  - bibliography: sources/refs.bib
  - bibliography: sources/derived.ris
  - bibliography: sources/list.json
`);
  });

  it("a key defined twice is a duplicate-id on the later sources entry", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
sources:
  - bibliography: sources/refs.bib
  - key: ⟨nakamura2021|duplicate-id⟩
    file: sources/lee2019.md
`);
  });
});

describe("core: risk of bias, per study (rob1)", () => {
  it("lists every missing domain on the risk_of_bias key, or on the id when it is absent", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
studies:
  - id: Sneed 1981
    outcomes: { pneumonia: reported, diarrhoea: reported }
    ⟨risk_of_bias|missing-bias-domain⟩:
      random-sequence-generation: { judgement: low, support: x }
      blinding-of-participants-and-personnel: { judgement: low, support: x }
      blinding-of-outcome-assessment: { judgement: low, support: x }
      incomplete-outcome-data: { judgement: low, support: x }
      selective-reporting: { judgement: low, support: x }
  - id: ⟨Lee 2019|missing-bias-domain⟩
    outcomes: { pneumonia: partial, diarrhoea: not-reported }
  - id: No results 2020
    outcomes: { pneumonia: not-reported, diarrhoea: not-measured }
`, { messages: { "missing-bias-domain": "Study 'Sneed 1981' has no judgement for: allocation-concealment, other-bias" } });
  });

  it("a study with no outcomes at all needs every domain", () => {
    checkDiagnostics(`${HEAD_NR}bias:
  tool: rob1
studies:
  - id: ⟨Lee 2019|missing-bias-domain,missing-outcome-status⟩
`);
  });

  it("checks judgement values against the tool, with the nearest value, and unknown domains", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes: { pneumonia: reported, diarrhoea: reported }
    risk_of_bias:
      random-sequence-generation: { judgement: ⟨Low|invalid-judgement⟩, support: x }
      allocation-concealment: { judgement: ⟨some-concerns|invalid-judgement⟩, support: x }
      blinding-of-participants-and-personnel: { judgement: low, support: x }
      blinding-of-outcome-assessment: { judgement: low, support: x }
      incomplete-outcome-data: { judgement: low, support: x }
      selective-reporting: { judgement: low, support: x }
      other-bias: { judgement: low, support: x }
      ⟨randomisation-process|unknown-bias-domain⟩: { judgement: low, support: x }
`, { messages: { "invalid-judgement": "Unknown judgement 'Low' for rob1 ('random-sequence-generation'); expected low, unclear or high — did you mean 'low'?" } });
  });

  it("reports a judgement without support as information, on the judgement", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes: { pneumonia: reported, diarrhoea: reported }
    risk_of_bias:
      random-sequence-generation: { judgement: ⟨low|missing-bias-support⟩ }
      allocation-concealment: { judgement: ⟨low|missing-bias-support⟩, support: "" }
      blinding-of-participants-and-personnel: ⟨low|missing-bias-support⟩
      blinding-of-outcome-assessment:
        judgement: ⟨low|missing-bias-support⟩
      incomplete-outcome-data: { judgement: low, support: x }
      selective-reporting: { judgement: low, support: x }
      other-bias: { judgement: low, support: x }
`);
  });

  it("an overall milder than the worst domain is inconsistent; harsher is fine", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes: { pneumonia: reported, diarrhoea: reported }
    risk_of_bias:
${ROB1_LOW.split("\n").slice(1).join("\n").replace("allocation-concealment: { judgement: low", "allocation-concealment: { judgement: unclear")}      overall: ⟨low|inconsistent-overall-judgement⟩
  - id: Osei 2020
    outcomes: { pneumonia: reported, diarrhoea: reported }
    risk_of_bias:
${ROB1_LOW.split("\n").slice(1).join("\n")}      overall: high
`, { messages: { "inconsistent-overall-judgement": "set it to 'unclear'" } });
  });

  it("selective reporting judged low conflicts with measured-not-reported or a high-risk ORBIT letter (not on harms)", () => {
    checkDiagnostics(`${HEAD.replace("    role: secondary\n", "    role: secondary\n    harm: true\n")}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes:
      pneumonia: measured-not-reported
      diarrhoea: reported
${ROB1_LOW.replace("selective-reporting: { judgement: low", "selective-reporting: { judgement: ⟨low|selective-reporting-inconsistent⟩")}  - id: Harm measured 2019
    outcomes:
      pneumonia: reported
      diarrhoea: measured-not-reported
${ROB1_LOW}  - id: Low letter measured 2019
    outcomes:
      pneumonia: { status: measured-not-reported, orbit: F }
      diarrhoea: reported
${ROB1_LOW}  - id: Osei 2020
    outcomes:
      pneumonia: { status: not-reported, orbit: G }
      diarrhoea: reported
${ROB1_LOW.replace("selective-reporting: { judgement: low", "selective-reporting: { judgement: ⟨low|selective-reporting-inconsistent⟩")}  - id: Harm only 2021
    outcomes:
      pneumonia: reported
      diarrhoea: { status: not-reported, orbit: E }
${ROB1_LOW}  - id: Low letter 2022
    outcomes:
      pneumonia: { status: not-reported, orbit: H }
      diarrhoea: reported
${ROB1_LOW}`, { messages: { "selective-reporting-inconsistent": "'pneumonia' has ORBIT letter G (high risk)" } });
  });
});

describe("core: risk of bias, per outcome (rob2, robins-i)", () => {
  const ROB2 = (overall: string, d3 = "low") => `        randomisation-process: { judgement: low, support: x }
        deviations-from-intended-interventions: { judgement: some-concerns, support: x }
        missing-outcome-data: { judgement: ${d3}, support: x }
        measurement-of-the-outcome: { judgement: low, support: x }
        selection-of-the-reported-result: { judgement: low, support: x }
        overall: ${overall}
`;

  it("needs a block per outcome with results, and every domain in it", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob2
studies:
  - id: Nakamura 2021
    outcomes: { pneumonia: reported, diarrhoea: partial }
    ⟨risk_of_bias|missing-bias-domain⟩:
      pneumonia:
${ROB2("some-concerns")}  - id: Fofana 2022
    outcomes: { pneumonia: reported, diarrhoea: not-reported }
    risk_of_bias:
      ⟨pneumonia|missing-bias-domain⟩:
        randomisation-process: { judgement: low, support: x }
        overall: low
      diarrhoea:
        randomisation-process: { judgement: low, support: x }
      ⟨randomisation-process|unknown-reference⟩: { judgement: low, support: x }
`, { messages: { "missing-bias-domain": "reports outcome 'diarrhoea' but has no rob2 judgements for it", "unknown-reference": "rob2 judges each outcome" } });
  });

  it("an empty judgement is not assessed and left out of the overall rule; a milder overall is inconsistent", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob2
studies:
  - id: Nakamura 2021
    outcomes: { pneumonia: reported, diarrhoea: reported }
    risk_of_bias:
      pneumonia:
${ROB2("⟨low|inconsistent-overall-judgement⟩").replace("missing-outcome-data: { judgement: low", "missing-outcome-data: { ⟨judgement|bias-not-assessed⟩: ")}      diarrhoea:
${ROB2("high")}`);
  });

  it("rob2: no-information is an answer to a signalling question, never a judgement; its fix empties it", () => {
    const fixture = `${HEAD}bias:
  tool: rob2
studies:
  - id: Nakamura 2021
    outcomes: { pneumonia: reported, diarrhoea: not-reported }
    risk_of_bias:
      pneumonia:
${ROB2("⟨no-information|invalid-judgement⟩", "⟨no-information|invalid-judgement⟩")}`;
    const diagnostics = checkDiagnostics(fixture, { messages: { "invalid-judgement": "answers a signalling question" } });
    const fixes = diagnostics.filter((d) => d.code === "invalid-judgement").map((d) => firstFixEdits(fixture, d)[0]!.text);
    assert.deepEqual(fixes, ["", ""], "the only fix leaves the judgement empty");
  });

  it("rob2-cluster: not-applicable is never a judgement, for any domain", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob2-cluster
studies:
  - id: Cluster 2020
    outcomes: { pneumonia: reported, diarrhoea: not-reported }
    risk_of_bias:
      pneumonia:
        randomisation-process: { judgement: ⟨not-applicable|invalid-judgement⟩, support: x }
        timing-of-identification-and-recruitment: { judgement: ⟨not-applicable|invalid-judgement⟩, support: x }
        deviations-from-intended-interventions: { judgement: low, support: x }
        missing-outcome-data: { judgement: low, support: x }
        measurement-of-the-outcome: { judgement: low, support: x }
        selection-of-the-reported-result: { judgement: low, support: x }
`);
  });

  it("robins-i: overall at least as severe as the worst domain", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: robins-i
studies:
  - id: Cohort 2015
    design: cohort
    outcomes: { pneumonia: reported, diarrhoea: not-reported }
    risk_of_bias:
      pneumonia:
        confounding: { judgement: serious, support: x }
        selection-of-participants: { judgement: low, support: x }
        classification-of-interventions: { judgement: low, support: x }
        deviations-from-intended-interventions: { judgement: no-information, support: x }
        missing-data: { judgement: ⟨some-concerns|invalid-judgement⟩, support: x }
        measurement-of-outcomes: { judgement: moderate, support: x }
        selection-of-the-reported-result: { judgement: low, support: x }
        overall: ⟨moderate|inconsistent-overall-judgement⟩
`);
  });
});

describe("core: other tools", () => {
  it("quadas-2 takes applicability on its first three domains only, and misses it there", () => {
    checkDiagnostics(`${HEAD.replace("type: intervention", "type: diagnostic-accuracy")}bias:
  tool: quadas-2
studies:
  - id: Accuracy 2019
    design: cross-sectional
    outcomes: { pneumonia: reported, diarrhoea: reported }
    ⟨risk_of_bias|missing-bias-domain⟩:
      patient-selection: { judgement: low, applicability: ⟨moderate|invalid-judgement⟩, support: x }
      index-test: { judgement: low, applicability: high, support: x }
      reference-standard: { judgement: unclear, support: x }
      flow-and-timing: { judgement: high, ⟨applicability|schema-unknown-key⟩: low, support: x }
`, { messages: { "missing-bias-domain": "no applicability for: reference-standard" } });
  });

  it("a custom tool brings its own domains and judgements", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: custom
  domains:
    - id: sampling
      name: Sampling
      judgements: [adequate, inadequate]
    - id: analysis
      name: Analysis
      judgements: [adequate, inadequate]
studies:
  - id: Qual 2018
    outcomes: { pneumonia: reported, diarrhoea: reported }
    ⟨risk_of_bias|missing-bias-domain⟩:
      sampling: { judgement: ⟨low|invalid-judgement⟩, support: x }
`);
  });
});

describe("core: outcome reporting", () => {
  it("a study that says nothing about an outcome: one diagnostic on its outcomes key, listing them", () => {
    const diagnostics = checkDiagnostics(`${HEAD_NR.replace("    role: secondary\n", "    role: secondary\n  - id: mortality\n    name: Mortality\n    role: secondary\n")}bias:
  tool: rob1
studies:
  - id: Lee 2019
    ⟨outcomes|missing-outcome-status⟩:
      diarrhoea: not-reported
`.replace("  - id: mortality", "  - id: ⟨mortality|outcome-not-reported⟩"));
    const d = diagnostics.find((x) => x.code === "missing-outcome-status");
    assert.deepEqual(d?.data?.missing, ["pneumonia", "mortality"]);
  });

  it("outcome-not-reported: a warning for primary outcomes, information for secondary; none without studies", () => {
    const diagnostics = checkDiagnostics(`${HEAD_NR}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes: { pneumonia: partial, diarrhoea: measured-not-reported }
${ROB1_LOW.replace("selective-reporting: { judgement: low", "selective-reporting: { judgement: ⟨low|selective-reporting-inconsistent⟩")}`);
    const severities = diagnostics.filter((d) => d.code === "outcome-not-reported").map((d) => d.severity);
    assert.deepEqual(severities, ["warning", "information"]);
    checkDiagnostics(`${HEAD}bias:\n  tool: rob1\n`);
  });
});

describe("core: PRISMA-P", () => {
  it("names each item the protocol does not address, on the first key", () => {
    const diagnostics = checkDiagnostics(`⟨protocol|prisma-p-missing⟩: 1
title: Zinc for pneumonia (a review)
type: intervention
question: { setting: schools }
outcomes: [{ id: death, name: Death, role: primary }]
bias: { tool: rob1 }
`.replace("⟨protocol|prisma-p-missing⟩", "⟨protocol|" + Array(22).fill("prisma-p-missing").join(",") + "⟩"));
    const items = diagnostics.filter((d) => d.code === "prisma-p-missing").map((d) => d.data?.item);
    assert.ok(items.includes("1a"), "a title that does not say protocol misses 1a");
    assert.ok(items.includes("7") === false, "the question addresses item 7");
    assert.ok(items.includes("1b") === false, "1b is asked only of an update");
  });
});

describe("core: source consistency", () => {
  it("a study's DOI or registration that its source does not state is a source-mismatch, on that value", () => {
    checkDiagnostics(`${HEAD_NR}bias:
  tool: rob1
sources:
  - key: lee2019
    file: sources/lee2019.md
  - key: lee2019reg
    file: sources/lee2019.md
    registrations: [NCT01234567]
studies:
  - id: Lee 2019
    cite: lee2019
    doi: ⟨10.1000/example.2019.002|source-mismatch⟩
    registrations: [NCT99999999]
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
  - id: Lee 2019 (same DOI, other case)
    cite: lee2019
    doi: 10.1000/EXAMPLE.2019.001
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
  - id: Lee 2019 (registrations from the entry's override)
    cite: lee2019reg
    registrations: [NCT01234567, ⟨NCT07654321|source-mismatch⟩]
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
`, { messages: { "source-mismatch": "differs from the DOI its source 'lee2019' states (10.1000/example.2019.001)" } });
  });
});

describe("core: the methods as published (tools by design, empty judgements, ORBIT, overall rules)", () => {
  const RCT = `      pneumonia:
        randomisation-process: { judgement: low, support: x }
        deviations-from-intended-interventions: { judgement: low, support: x }
        missing-outcome-data: { judgement: low, support: x }
        measurement-of-the-outcome: { judgement: low, support: x }
        selection-of-the-reported-result: { judgement: low, support: x }
        overall: low
`;

  it("each study is checked against its own tool (bias.by_design): no false diagnostics in a mixed protocol", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob2
  by_design:
    cluster-rct: rob2-cluster
    nrsi: robins-i
studies:
  - id: Trial 2020
    design: rct
    outcomes: { pneumonia: reported, diarrhoea: not-reported }
    risk_of_bias:
${RCT}  - id: Cluster 2021
    design: cluster-rct
    outcomes: { pneumonia: reported, diarrhoea: not-reported }
    risk_of_bias:
${RCT.replace("        deviations", "        timing-of-identification-and-recruitment: { judgement: low, support: x }\n        deviations")}  - id: Cohort 2019
    design: nrsi
    outcomes: { pneumonia: reported, diarrhoea: not-reported }
    risk_of_bias:
      pneumonia:
        confounding: { judgement: serious, support: x }
        selection-of-participants: { judgement: low, support: x }
        classification-of-interventions: { judgement: low, support: x }
        deviations-from-intended-interventions: { judgement: low, support: x }
        missing-data: { judgement: low, support: x }
        measurement-of-outcomes: { judgement: moderate, support: x }
        selection-of-the-reported-result: { judgement: low, support: x }
        overall: serious
`);
  });

  it("a tool not made for the study's design is a tool-design-mismatch on the design, with a by_design fix", () => {
    const fixture = `${HEAD_NR}bias:
  tool: rob2
studies:
  - id: Cluster 2021
    design: ⟨cluster-rct|tool-design-mismatch⟩
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
  - id: Cohort 2019
    design: ⟨cohort|tool-design-mismatch⟩
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
  - id: No design 2018
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
`;
    const diagnostics = checkDiagnostics(fixture, { messages: { "tool-design-mismatch": "use rob2-cluster" } });
    const cohort = diagnostics.find((d) => d.code === "tool-design-mismatch" && d.data?.design === "cohort")!;
    assert.equal(cohort.data?.use, "robins-i");
    const edits = firstFixEdits(fixture, cohort);
    assert.ok(edits[0]!.from < cohort.start, "the fix edits the bias section, above the study");
    assert.match(edits[0]!.text, /by_design: \{ cohort: robins-i \}/);
  });

  it("quadas-2 is for diagnostic-accuracy reviews only; rob tools are not for them", () => {
    checkDiagnostics(`${HEAD_NR}bias:
  tool: quadas-2
studies:
  - id: Accuracy 2019
    design: ⟨cross-sectional|tool-design-mismatch⟩
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
`);
    checkDiagnostics(`${HEAD_NR.replace("type: intervention", "type: diagnostic-accuracy")}bias:
  tool: rob1
studies:
  - id: Accuracy 2019
    design: ⟨cross-sectional|tool-design-mismatch⟩
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
`, { messages: { "tool-design-mismatch": "use quadas-2" } });
  });

  it("an empty judgement, applicability, overall or domain is bias-not-assessed on its key, never also missing", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes: { pneumonia: reported, diarrhoea: reported }
    risk_of_bias:
${ROB1_LOW.split("\n").slice(1).join("\n").replace("allocation-concealment: { judgement: low, support: sealed envelopes }", "⟨allocation-concealment|bias-not-assessed⟩: ~").replace("other-bias: { judgement: low, support: none }", "other-bias:\n        ⟨judgement|bias-not-assessed⟩:\n        support: none")}      ⟨overall|bias-not-assessed⟩:
`);
  });

  it("robins-i: an overall low needs every domain low (a no-information domain makes it inconsistent)", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: robins-i
studies:
  - id: Cohort 2015
    design: cohort
    outcomes: { pneumonia: reported, diarrhoea: not-reported }
    risk_of_bias:
      pneumonia:
        confounding: { judgement: low, support: x }
        selection-of-participants: { judgement: low, support: x }
        classification-of-interventions: { judgement: low, support: x }
        deviations-from-intended-interventions: { judgement: no-information, support: x }
        missing-data: { judgement: low, support: x }
        measurement-of-outcomes: { judgement: low, support: x }
        selection-of-the-reported-result: { judgement: low, support: x }
        overall: ⟨low|inconsistent-overall-judgement⟩
`, { messages: { "inconsistent-overall-judgement": "the published rule gives 'no-information' or worse" } });
  });

  it("rob1: the overall is compared with bias.key_domains when given", () => {
    checkDiagnostics(`${HEAD}bias:
  tool: rob1
  key_domains: [random-sequence-generation, allocation-concealment, ⟨blinding-of-outcome|unknown-bias-domain⟩]
studies:
  - id: Lee 2019
    outcomes: { pneumonia: reported, diarrhoea: reported }
    risk_of_bias:
${ROB1_LOW.split("\n").slice(1).join("\n").replace("other-bias: { judgement: low", "other-bias: { judgement: high")}      overall: low
  - id: Osei 2020
    outcomes: { pneumonia: reported, diarrhoea: reported }
    risk_of_bias:
${ROB1_LOW.split("\n").slice(1).join("\n").replace("allocation-concealment: { judgement: low", "allocation-concealment: { judgement: high")}      overall: ⟨low|inconsistent-overall-judgement⟩
`, { messages: { "inconsistent-overall-judgement": "of the key domains" } });
  });

  it("rob1: 2008 blinding stands for both blinding domains; domains may be judged per group of outcomes", () => {
    const groups = `      incomplete-outcome-data:
        - { group: objective, outcomes: [pneumonia], judgement: low, support: all followed }
        - { group: reported, outcomes: [⟨diarhoea|unknown-reference⟩], judgement: high, support: 30% lost }
      selective-reporting:
        - { group: benefits, outcomes: [pneumonia], judgement: ⟨low|selective-reporting-inconsistent⟩, support: x }
        - { group: harms, judgement: high, support: x }
`;
    checkDiagnostics(`${HEAD.replace("  - id: pneumonia", "  - id: ⟨pneumonia|outcome-not-reported⟩")}bias:
  tool: rob1
studies:
  - id: Old 2005
    outcomes: { pneumonia: { status: measured-not-reported, orbit: E }, diarrhoea: reported }
    risk_of_bias:
      random-sequence-generation: { judgement: low, support: x }
      allocation-concealment: { judgement: low, support: x }
      blinding: { judgement: low, support: double blind }
${groups}      other-bias: { judgement: low, support: x }
      overall: ⟨low|inconsistent-overall-judgement⟩
`);
  });

  it("ORBIT letters and statuses must agree; selective reporting follows the letter's risk", () => {
    checkDiagnostics(`${HEAD.replace("    role: secondary\n", "    role: secondary\n    harm: true\n")}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes:
      pneumonia: { status: reported, orbit: ⟨D|orbit-status-mismatch⟩ }
      diarrhoea: { status: reported, orbit: A }
${ROB1_LOW.replace("selective-reporting: { judgement: low", "selective-reporting: { judgement: ⟨low|selective-reporting-inconsistent⟩")}  - id: Osei 2020
    outcomes:
      pneumonia: { status: not-reported, orbit: ⟨C|orbit-status-mismatch⟩ }
      diarrhoea: reported
${ROB1_LOW}  - id: Kim 2021
    outcomes:
      pneumonia: { status: not-reported, orbit: H }
      diarrhoea: reported
${ROB1_LOW}`, { messages: { "orbit-status-mismatch": "goes with status 'partial'" } });
  });

  it("PRISMA-P: 3a and 3b ask every author, 4 takes a plan as text, not_applicable silences, 1b only for an update", () => {
    const items = (head: string) =>
      analyseText(`${head}${HEAD.split("\n").slice(2).join("\n")}bias:\n  tool: rob1\n`).diagnostics.filter((d) => d.code === "prisma-p-missing").map((d) => String(d.data?.item));
    const base = items("protocol: 1\ntitle: Zinc - a systematic review protocol\n");
    assert.ok(base.includes("3a") && base.includes("3b") && base.includes("4") && !base.includes("1b"));
    const authors = items(`protocol: 1
title: Zinc - a systematic review protocol (update)
authors:
  - { name: A, affiliation: U, email: a@u.org, address: 1 Road, contribution: wrote it, guarantor: true }
  - { name: B, affiliation: U, email: b@u.org, contribution: searched }
amendments: We will date and describe every amendment in a table.
prisma_p: { not_applicable: [5b, 2] }
`);
    assert.ok(!authors.includes("3a") && !authors.includes("3b") && !authors.includes("4"));
    assert.ok(!authors.includes("5b") && !authors.includes("2"), "items declared not applicable are never asked");
    assert.ok(authors.includes("1b"), "an update without update_of is asked 1b");
    const partial = items(`protocol: 1
title: Zinc - a systematic review protocol
authors:
  - { name: A, affiliation: U, email: a@u.org, contribution: wrote it }
  - { name: B, email: b@u.org, contribution: searched, corresponding: true }
`);
    assert.ok(partial.includes("3a") && partial.includes("3b"));
    const message = analyseText(`protocol: 1\ntitle: Zinc - a systematic review protocol\nauthors:\n  - { name: A, affiliation: U, email: a@u.org, contribution: x }\n  - { name: B, email: b@u.org, contribution: y, corresponding: true }\n${HEAD.split("\n").slice(2).join("\n")}bias:\n  tool: rob1\n`)
      .diagnostics.find((d) => d.data?.item === "3a")!.message;
    assert.match(message, /`affiliation` for B/);
    assert.match(message, /`address` for B \(the corresponding author\)/);
  });
});

describe("core: everyday trust", () => {
  it("study ids are compared after NFC, any Unicode space a space; the message shows the invisible difference", () => {
    checkDiagnostics(`${HEAD_NR}bias:
  tool: rob1
studies:
  - id: "Mu\\u0308ller 2019"
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
  - id: ⟨Müller 2019|duplicate-id⟩
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
  - id: Nguyễn 2020
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
  - id: ⟨"Nguyễn\\u00a02020"|duplicate-id⟩
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
`, { messages: { "duplicate-id": "'Nguyễn·2020 (U+00A0)'" } });
  });

  it("a quick fix keeps the quoting style of the value it replaces", () => {
    const fixture = `${HEAD_NR}bias:
  tool: rob1
studies:
  - id: Lee 2019
    outcomes: { pneumonia: not-reported, diarrhoea: not-reported }
    design: ⟨"rtc"|schema-enum⟩
    country: ⟨'Chnia'|schema-type⟩
`.replace("    country: ⟨'Chnia'|schema-type⟩\n", "    arms: [⟨'placebbo'|unknown-reference⟩]\n");
    const diagnostics = checkDiagnostics(fixture);
    const texts = diagnostics.filter((d) => d.code === "schema-enum" || d.code === "unknown-reference").map((d) => firstFixEdits(fixture, d)[0]!.text);
    assert.deepEqual(texts, ['"rct"', "'placebo'"]);
  });
});
