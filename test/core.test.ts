/** Diagnostics of the core, one fixture per rule; ranges are the marked spans. */
import * as assert from "node:assert/strict";
import { checkDiagnostics } from "./helpers/check";

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
  it("reports a missing top-level key on the document's first key", () => {
    checkDiagnostics(`# comment first
⟨protocol|schema-required,schema-required⟩: 1
type: intervention
question: {}
outcomes: []
`, { messages: { "schema-required": "Missing required key 'title'" } });
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
