/** Hover cards, go to definition and find references (issue 3), on fixtures and the sample. */
import * as fs from "node:fs";
import * as path from "node:path";
import { minimalHead } from "./helpers/check";
import { checkDefinition, checkHover, checkReferences } from "./helpers/features";

const ROOT = path.resolve(__dirname, "../..");
const SEEDS = path.join(ROOT, "seeds");
const SAMPLE = fs.readFileSync(path.join(SEEDS, "mms-lactation.protocol.yaml"), "utf8");
const atSample = (needle: string, within = 0) => {
  const i = SAMPLE.indexOf(needle);
  if (i < 0) throw new Error(`not in the sample: ${needle}`);
  return SAMPLE.slice(0, i + within) + "$0" + SAMPLE.slice(i + within);
};
const sample = { dir: SEEDS, root: ROOT };

describe("hover", () => {
  it("on a cite: the source card (title, authors, journal, date, DOI and registrations as links, key findings, open source)", () => {
    checkHover(atSample("cite: baxter2025", 8), [
      "**Maternal multiple micronutrient supplementation in rural Pakistan",
      "Jo-Anna B Baxter, Yaqub Wasan, Allison I Daniel et al.",
      "*The American Journal of Clinical Nutrition* · 2025-05-21",
      "[10.1016/j.ajcnut.2025.05.019](https://doi.org/10.1016/j.ajcnut.2025.05.019)",
      "[NCT04451395](https://clinicaltrials.gov/study/NCT04451395)",
      "Key findings:",
      /\[Open source\]\(file:\/\/.*003_762e078f2203bac8\.txt#L1\)/,
    ], sample);
  });

  it("on [@key] in text: the same card, overrides winning", () => {
    checkHover(atSample("[@abe2016]", 3), ["**Multiple-micronutrient supplementation for breastfeeding women for improving outcomes for the mother and her baby**", "Abe SK, Balogun OO, Ota E et al.", "*Cochrane Database of Systematic Reviews* · 2016"], sample);
    checkHover(atSample("[@hmhb2025]", 3), ["**New Guidance from the MMS TAG**", "*Healthy Mothers Healthy Babies* · 2025-01-20"], sample);
  });

  it("on a study id: design, arms with descriptions, outcome reporting, risk of bias, and the source card", () => {
    checkHover(atSample("- id: Baxter 2025", 8), [
      "**Baxter 2025** — cluster-rct · Pakistan · 186 participants",
      "**mms** (Supplement with three or more micronutrients",
      "reports infant-growth, milk-micronutrients",
      "does not report maternal-morbidity",
      "allocation-concealment: **unclear**",
      "DOI [10.1016/j.ajcnut.2025.05.019]",
    ], sample);
  });

  it("on an outcome: its declaration and how many studies report it", () => {
    checkHover(atSample("      infant-growth: reported", 8), ["**Infant length-for-age z-score** (`infant-growth`) — secondary · infant · continuous", "reported by 1 of 3 studies"], sample);
    checkHover(atSample("  - id: maternal-anaemia", 9), ["reported by 0 of 3 studies"], sample);
  });

  it("on a domain, a judgement, a status, an ORBIT letter and the tool: the domain data", () => {
    checkHover(atSample("      allocation-concealment: { judgement: unclear, support: not described in the substudy", 8), ["**Allocation concealment** (selection bias)", "`unclear` — Unclear risk of bias"], sample);
    checkHover(atSample("{ judgement: unclear, support: not described in the substudy", 14), ["**unclear** — Unclear risk of bias", "Allocation concealment"], sample);
    checkHover(atSample("      maternal-adverse-effects: not-reported", 32), ["**not-reported** — Not mentioned in the study report"], sample);
    const withLetter = SAMPLE.replace("{ status: not-reported, note: the substudy", "{ status: not-reported, orbit: H$0, note: the substudy");
    checkHover(withLetter, ["ORBIT **H** — Not mentioned; judged unlikely to have been measured", "**low**"], sample);
    checkHover(atSample("  tool: rob1", 8), ["Cochrane risk-of-bias tool (RoB 1)", "judged per study", "`random-sequence-generation` — Random sequence generation"], sample);
  });

  it("on a key: what the key is for", () => {
    checkHover(atSample("meta_bias:", 2), ["**meta\\_bias** — Meta-bias(es) (PRISMA-P 16)"], sample);
    checkHover(atSample("    participants: 186", 6), ["Number of participants (a positive whole number)"], sample);
  });

  it("keeps working on the parts that parse while the document is broken", () => {
    const broken = atSample("- id: Baxter 2025", 8).replace("  - id: Sneed 1981\n", "  - id: Sneed 1981\n    country: [Brazil\n");
    checkHover(broken, ["**Baxter 2025**"], sample);
  });

  it("nothing on plain text", () => {
    checkHover(atSample("Breastfeeding women need more", 4), null, sample);
  });
});

describe("definition and references", () => {
  it("a citation goes to the source document's title line", () => {
    checkDefinition(atSample("cite: baxter2025", 8), [path.join(SEEDS, "003_762e078f2203bac8.txt"), "# Maternal multiple micronutrient"], sample);
    checkDefinition(atSample("[@hmhb2025]", 3), [path.join(SEEDS, "004_8a65247345ed8d2d.txt"), "New Guidance from the MMS TAG"], sample);
  });

  it("an outcome or arm id used in a study goes to its declaration", () => {
    checkDefinition(atSample("      infant-growth: reported", 8), "infant-growth", sample);
    checkDefinition(atSample("arms: [mms, ifa]", 13), "ifa", sample);
  });

  it("a citation key in a bibliography goes to its entry", () => {
    checkDefinition(`protocol: 1
rationale: See [@fofa$0na2022].
sources:
  - bibliography: sources/refs.bib
`, [path.resolve(ROOT, "test/fixtures/diagnostics/sources/refs.bib"), "@book{fofana2022"]);
  });

  it("references of a source key list every citation, in studies and in text", () => {
    checkReferences(`protocol: 1
rationale: Trials [@⟨lee2019|ref⟩; @other] and [see @⟨lee2019|ref⟩].
sources:
  - key: ⟨lee2019|ref⟩
    file: sources/lee2019.md
studies:
  - id: Lee 2019
    cite: ⟨lee2019|ref⟩
  - id: Lee 2019b
    cite: ⟨lee2$0019|ref⟩
`);
  });

  it("references of an outcome list its declaration and every use", () => {
    checkReferences(`protocol: 1
outcomes:
  - id: ⟨anaemia|ref⟩
    name: Anaemia
    role: primary
  - id: hb
    name: Haemoglobin
    role: secondary
bias: { tool: rob2 }
studies:
  - id: A
    outcomes: { ⟨anaemia|ref⟩: reported, hb: reported }
    risk_of_bias:
      ⟨anae$0mia|ref⟩:
        randomisation-process: { judgement: low }
`);
  });
});

describe("hover: overall keys and aliases", () => {
  const rob = `${minimalHead("rob2")}studies:
  - id: A 2020
    outcomes: { death: reported }
    risk_of_bias:
      death: &judged
        randomisation-process: { judgement: low, support: x }
        overall: low
  - id: B 2021
    outcomes: { death: reported }
    risk_of_bias:
      death: *judged
`;
  it("an overall key speaks of the study's tool's overall rule", () => {
    checkHover(rob.replace("        overall: low", "        ove$0rall: low"), ["**overall** — the overall risk-of-bias judgement (RoB 2", "Low only if every domain is low"]);
  });
  it("an alias hovers as what it stands for", () => {
    checkHover(rob.replace("death: *judged", "death: *jud$0ged"), ["Alias `*judged` stands for:", "randomisation-process: { judgement: low, support: x }", "overall: low"]);
  });
});

describe("hover: the confidence framework", () => {
  it("GRADE shows its certainty levels and what downgrades and upgrades", () => {
    checkHover(SAMPLE.replace("  framework: GRADE", "  framework: GR$0ADE"), ["**GRADE** — certainty of the evidence: high, moderate, low, very low", "Downgrade for risk of bias, inconsistency"], sample);
  });
});
