/**
 * Risk-of-bias and outcome-reporting plots: SVG snapshots for fixtures, the
 * structure of the sample's plots, and a real render in headless Chromium with
 * screenshots saved as artefacts (.ci-artifacts/plots, or $ARTIFACTS_DIR).
 * UPDATE_SNAPSHOTS=1 rewrites the snapshots.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { plotData, plots } from "../server/src/core/plots";
import { analyseText, FIXTURES } from "./helpers/check";

const ROOT = path.resolve(__dirname, "../..");
const SNAPSHOTS = path.join(FIXTURES, "plots");
const ARTIFACTS = path.join(process.env.ARTIFACTS_DIR ?? path.join(ROOT, ".ci-artifacts"), "plots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CASES: [string, string, string][] = [
  ["sample", path.join(ROOT, "seeds/mms-lactation.protocol.yaml"), ROOT],
  ["rob2", path.join(FIXTURES, "fixes/rob2.protocol.yaml"), FIXTURES],
  ["outcome-reporting", path.resolve(ROOT, "../shared/conformance/cases/05-outcome-reporting/lactation.protocol.yaml"), path.resolve(ROOT, "../shared/conformance/cases/05-outcome-reporting")],
  ["quadas", path.join(FIXTURES, "plots-input/quadas.protocol.yaml"), FIXTURES],
];

function render(file: string, root: string) {
  const analysis = analyseText(fs.readFileSync(file, "utf8"), { dir: path.dirname(file), root });
  return { analysis, svg: plots(analysis) };
}

describe("plots: SVG", () => {
  for (const [name, file, root] of CASES) {
    it(`${name}: matches the snapshots`, function () {
      if (!fs.existsSync(file)) {
        if (process.env.CI === "true") assert.fail(`${file} is missing: ../shared must be beside the project under CI`);
        console.log(`      skipped: no ${path.relative(ROOT, file)} (../shared is not beside the project)`);
        this.skip();
      }
      const { svg } = render(file, root);
      for (const [plot, text] of Object.entries({ "rob-traffic-light": svg.trafficLight, "rob-summary": svg.summary, "outcome-matrix": svg.matrix })) {
        const snapshot = path.join(SNAPSHOTS, `${name}-${plot}.svg`);
        if (process.env.UPDATE_SNAPSHOTS) fs.writeFileSync(snapshot, text);
        // A missing snapshot is a failure, never written silently: UPDATE_SNAPSHOTS=1 creates it on purpose.
        assert.ok(fs.existsSync(snapshot), `${snapshot} is missing (UPDATE_SNAPSHOTS=1 to create it)`);
        assert.equal(text, fs.readFileSync(snapshot, "utf8"), `${snapshot} differs (UPDATE_SNAPSHOTS=1 to accept)`);
      }
    });
  }

  it("the sample: every study, every domain and every outcome, with the tool's domain names", () => {
    const { analysis, svg } = render(CASES[0]![1], ROOT);
    const cells = (s: string) => (s.match(/<g class="cell"/g) ?? []).length;
    assert.equal(cells(svg.trafficLight), 3 * 8, "3 studies × (7 domains + overall)");
    assert.equal(cells(svg.matrix), 3 * 10, "3 studies × 10 outcomes");
    for (const id of ["Sneed 1981", "Brazil trial", "Baxter 2025"]) {
      assert.ok(svg.trafficLight.includes(`>${id}</text>`), id);
      assert.ok(svg.matrix.includes(`>${id}</text>`), id);
    }
    assert.ok(svg.trafficLight.includes("Random sequence generation") && svg.trafficLight.includes("Other bias"));
    assert.ok(!svg.summary.includes("Overall risk of bias"), "no study of the sample gives an overall: no overall row");
    assert.ok(render(CASES[1]![1], FIXTURES).svg.summary.includes("Overall risk of bias"));
    // Cells point back at their judgement in the file.
    const data = plotData(analysis);
    const baxter = data.studies.find((s) => s.id === "Baxter 2025")!;
    const cell = baxter.judgements.get("allocation-concealment")!;
    assert.equal(analysis.parsed.text.slice(cell.offset!, cell.offset! + 7), "unclear");
    assert.ok(svg.trafficLight.includes(`data-offset="${cell.offset}"`));
  });

  it("per-outcome tools: a row per study and outcome; weighted summaries use participants", () => {
    const { svg } = render(CASES[1]![1], FIXTURES);
    assert.ok(svg.trafficLight.includes("Nakamura 2021 — anaemia"));
    const analysis = analyseText(fs.readFileSync(CASES[0]![1], "utf8"), { dir: path.join(ROOT, "seeds"), root: ROOT });
    const weighted = plots(analysis, true).summary;
    assert.match(weighted, /weighted by participants/);
    // Baxter 2025 (186 of 238 participants) is low on blinding of outcome assessment: 78% of the weight.
    assert.match(weighted, /Blinding of outcome assessment: low 78%/);
  });
});

describe("plots: each study under its own tool", () => {
  it("a protocol mixing RCTs under RoB 2 and cohorts under ROBINS-I gets both plots; empty judgements are 'not assessed'", () => {
    const { svg } = render(path.join(FIXTURES, "plots-input/mixed.protocol.yaml"), FIXTURES);
    assert.deepEqual(svg.rob.map((r) => r.tool), ["rob2", "robins-i"]);
    const [rob2, robins] = svg.rob;
    assert.ok(rob2!.trafficLight.includes("Trial 2004 — duration") && !rob2!.trafficLight.includes("Cohort 2012"));
    assert.ok(robins!.trafficLight.includes("Cohort 2012 — duration") && !robins!.trafficLight.includes("Trial 2004"));
    assert.match(rob2!.trafficLight, /data-tone="unassessed"[^>]*><title>Trial 2004 — duration · Bias due to missing outcome data: not assessed/);
    assert.match(rob2!.trafficLight, />not assessed<\/text>/, "a legend entry for not assessed");
    assert.match(rob2!.summary, /data-judgement="not assessed"/);
    assert.match(robins!.trafficLight, /data-tone="severe"/);
  });

  it("QUADAS-2: risk of bias and applicability concerns side by side, with readable headers", () => {
    const { svg } = render(path.join(FIXTURES, "plots-input/quadas.protocol.yaml"), FIXTURES);
    assert.match(svg.trafficLight, />Risk of bias<\/text>/);
    assert.match(svg.trafficLight, />Applicability concerns<\/text>/);
    assert.match(svg.trafficLight, /A1: applicability concerns — Patient selection/);
    assert.match(svg.trafficLight, /data-applicability="true"[^>]*><title>Accuracy 2019 · Applicability concerns: Patient selection: high/);
    assert.match(svg.trafficLight, /Applicability concerns: Reference standard: not assessed/);
    assert.ok(!svg.trafficLight.includes(">Overall<"), "QUADAS-2 has no overall judgement");
  });
});

describe("plots: rendered in headless Chromium", function () {
  this.timeout(60000);
  const available = fs.existsSync(CHROMIUM);
  before(function () {
    if (!available) {
      if (process.env.CI === "true") assert.fail(`no Chromium at ${CHROMIUM}: CI must install it (.ci/run)`);
      console.log(`      skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
      this.skip();
    }
  });

  it("each plot of the sample renders with the expected cells; screenshots are saved", async () => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const { svg } = render(CASES[0]![1], ROOT);
      const expected = { "rob-traffic-light": 24, "outcome-matrix": 30, "rob-summary": 0 };
      for (const [name, text] of Object.entries({ "rob-traffic-light": svg.trafficLight, "rob-summary": svg.summary, "outcome-matrix": svg.matrix })) {
        const page = await browser.newPage();
        await page.setContent(`<!doctype html><html><body style="margin:0">${text}</body></html>`);
        const box = await page.locator("svg").boundingBox();
        assert.ok(box && box.width > 100 && box.height > 50, `${name} renders`);
        assert.equal(await page.locator("g.cell").count(), expected[name as keyof typeof expected], `${name} cells`);
        if (name === "rob-summary") assert.ok((await page.locator("g.bar").count()) >= 7);
        await page.locator("svg").screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
        await page.close();
      }
      // A forest plot, from the analyses fixture.
      const forest = render(path.join(FIXTURES, "analyses/aspirin.protocol.yaml"), FIXTURES).svg.forests[0]!;
      const page = await browser.newPage();
      await page.setContent(`<!doctype html><html><body style="margin:0">${forest.svg}</body></html>`);
      assert.equal(await page.locator("g.study").count(), 3);
      assert.equal(await page.locator("g.pooled polygon").count(), 1);
      await page.locator("svg").screenshot({ path: path.join(ARTIFACTS, "forest.png") });
      await page.close();
      console.log(`      (screenshots in ${path.relative(ROOT, ARTIFACTS)})`);
    } finally {
      await browser.close();
    }
  });
});

describe("plots: the outcome matrix and the analyses", () => {
  it("marks which studies have data in an analysis of each outcome", () => {
    const { svg } = render(path.join(FIXTURES, "analyses/aspirin.protocol.yaml"), FIXTURES);
    // MRC-1, CDP and GASP have mortality rows; CDP has an SBP row.
    assert.equal((svg.matrix.match(/class="has-data"/g) ?? []).length, 4);
    assert.match(svg.matrix, /CDP 1976 · sbp: reported; data in sbp-end/);
  });
});
