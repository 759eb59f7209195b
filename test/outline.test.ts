/** Rename, document symbols and code lenses (issue 4). */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { prepareRename } from "../server/src/service/rename";
import { codeLenses, documentSymbols } from "../server/src/service/symbols";
import { analyseText } from "./helpers/check";
import { checkRename } from "./helpers/features";
import { parseFixture } from "./helpers/markers";

const ROOT = path.resolve(__dirname, "../..");
const SEEDS = path.join(ROOT, "seeds");
const SAMPLE = fs.readFileSync(path.join(SEEDS, "mms-lactation.protocol.yaml"), "utf8");
const sample = { dir: SEEDS, root: ROOT };

const PROTOCOL = `protocol: 1
title: T - a systematic review protocol
type: intervention
rationale: See [@⟨lee2019|ref⟩] and [@other2020; @⟨lee2019|ref⟩, p. 3].
question:
  interventions:
    - id: ⟨zinc|ref⟩
      description: Zinc
  comparators:
    - id: placebo
      description: Placebo
outcomes:
  - id: ⟨pneumonia|ref⟩   # the outcome
    name: Pneumonia
    role: primary
bias: { tool: rob2 }
sources:
  - key: ⟨lee2019|ref⟩
    file: sources/lee2019.md
  - bibliography: sources/refs.bib
studies:
  - id: Lee 2019
    cite: ⟨lee2019|ref⟩
    arms: [⟨zinc|ref⟩, placebo]
    outcomes: { ⟨pneumonia|ref⟩: reported }
    risk_of_bias:
      ⟨pneumonia|ref⟩:
        randomisation-process: { judgement: low, support: x }
`;

/** Keep only the marks of one kind of thing for each rename. */
function only(ids: string[]): string {
  return PROTOCOL.replace(/⟨([^|⟩]+)\|ref⟩/g, (m, t: string) => (ids.includes(t) ? m : t));
}

describe("rename", () => {
  it("an outcome id: its declaration and every use in studies", () => {
    checkRename(only(["pneumonia"]).replace("outcomes: { ⟨pneumonia|ref⟩", "outcomes: { ⟨pneu$0monia|ref⟩"), "pneumonia-incidence");
  });

  it("an intervention id, from its declaration", () => {
    checkRename(only(["zinc"]).replace("    - id: ⟨zinc|ref⟩", "    - id: ⟨z$0inc|ref⟩"), "zinc-daily");
  });

  it("a source key: the key and every citation, in text too", () => {
    checkRename(only(["lee2019"]).replace("    cite: ⟨lee2019|ref⟩", "    cite: ⟨lee$02019|ref⟩"), "lee2019a");
  });

  it("refuses invalid or taken names, keys from bibliographies, and other places", () => {
    checkRename(only([]).replace("    - id: zinc", "    - id: z$0inc"), "Zinc Daily", /not a valid id/);
    checkRename(only([]).replace("    - id: zinc", "    - id: z$0inc"), "placebo", /already an id/);
    const bib = parseFixture(only([]).replace("rationale: See", "rationale: See [@naka$0mura2021]"));
    const refused = prepareRename(analyseText(bib.text), bib.cursor!);
    assert.ok("error" in refused && /bibliography/.test(refused.error));
    const title = parseFixture(only([]).replace("title: T", "title: $0T"));
    assert.ok("error" in prepareRename(analyseText(title.text), title.cursor!));
  });
});

describe("document symbols and code lenses", () => {
  it("the outline lists the sections, outcomes, sources and studies by id", () => {
    const symbols = documentSymbols(analyseText(SAMPLE, sample));
    const names = symbols.map((s) => s.name);
    for (const k of ["question", "outcomes", "bias", "sources", "studies"]) assert.ok(names.includes(k), k);
    const studies = symbols.find((s) => s.name === "studies")!;
    assert.deepEqual(studies.children.map((c) => c.name), ["Sneed 1981", "Brazil trial", "Baxter 2025"]);
    assert.equal(studies.children[2]!.detail, "cluster-rct · Pakistan");
    assert.equal(SAMPLE.slice(studies.children[2]!.selectionStart, studies.children[2]!.selectionEnd), "Baxter 2025");
    const outcomes = symbols.find((s) => s.name === "outcomes")!;
    assert.equal(outcomes.children.length, 10);
    assert.equal(outcomes.children[0]!.detail, "Maternal morbidity · primary");
    const question = symbols.find((s) => s.name === "question")!;
    assert.deepEqual(question.children.find((c) => c.name === "comparators")!.children.map((c) => c.name), ["placebo", "no-supplement", "ifa"]);
    assert.deepEqual(symbols.find((s) => s.name === "sources")!.children.map((c) => c.name), ["abe2016", "abe2016pls", "flrf2024", "baxter2025", "hmhb2025", "included-studies.bib"]);
  });

  it("code lenses: how many studies report each outcome, and each study's risk-of-bias summary", () => {
    const lenses = codeLenses(analyseText(SAMPLE, sample));
    const titles = lenses.map((l) => l.title);
    assert.ok(titles.includes("infant-growth: reported by 1 of 3 studies"));
    assert.ok(titles.includes("maternal-anaemia: reported by 0 of 3 studies"));
    assert.ok(titles.includes("RoB: 3 low · 4 unclear"), titles.join("\n"));
    assert.ok(titles.includes("RoB: 1 low · 6 unclear"));
    assert.ok(titles.includes("RoB: 6 unclear · 1 high"));
    const baxter = lenses.find((l) => l.title === "RoB: 3 low · 4 unclear")!;
    assert.ok(SAMPLE.slice(baxter.offset).startsWith("id: Baxter 2025"));
  });
});

describe("new protocol skeleton", () => {
  it("is a valid protocol that addresses every PRISMA-P item of a new review: no PRISMA-P notes at all", async () => {
    const { protocolSkeleton } = await import("../server/src/service/skeleton.js");
    const text = protocolSkeleton();
    const analysis = analyseText(text);
    assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning").map((d) => d.message), []);
    assert.deepEqual(analysis.diagnostics.filter((d) => d.code === "prisma-p-missing").map((d) => d.data?.item), []);
    for (const item of ["PRISMA-P 2 Registration", "PRISMA-P 17 Confidence"]) assert.ok(text.includes(item), item);
  });
});
