/**
 * Risk-of-bias and outcome-reporting plots: SVG snapshots for fixtures, the
 * structure of the sample's plots, and a real render in headless Chromium with
 * screenshots saved as artefacts (.ci-artifacts/plots, or $ARTIFACTS_DIR).
 * UPDATE_SNAPSHOTS=1 rewrites the snapshots.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import * as os from "node:os";
import type { Browser, Page } from "playwright-core";
import type { ProtocolAnalysis as Analysis } from "../server/src/core/analyzer/analyzer";
import { analysisSummary } from "../server/src/core/pictures/format";
import { importRm5 } from "../server/src/core/revman/import";
import { plotData, plots } from "../server/src/core/pictures/plots";
import { decodeRm5, readRm5 } from "../server/src/core/revman/rm5";
import { hover } from "../server/src/service/hover";
import { analyseText, FIXTURES } from "./helpers/check";
import { withNewMethods } from "./helpers/random-effects";

const ROOT = path.resolve(__dirname, "../..");
const SNAPSHOTS = path.join(FIXTURES, "plots");
const ARTIFACTS = path.join(process.env.ARTIFACTS_DIR ?? path.join(ROOT, ".ci-artifacts"), "plots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RM5 = path.resolve(ROOT, "../shared/rm5");
/** Where imported reviews are analysed (nothing is written there). */
const IMPORTED = path.join(os.tmpdir(), "rp-imported");

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
    assert.equal(cells(svg.trafficLight), 3 * 7, "3 studies × 7 domains (no study gives an overall: no overall column)");
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
      const expected = { "rob-traffic-light": 21, "outcome-matrix": 30, "rob-summary": 0 };
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

describe("plots: RoB 1 with the combined blinding domain", () => {
  const FILE = path.join(FIXTURES, "plots-input/rob1-blinding.protocol.yaml");
  const summaryDomains = (svg: string) => [...svg.matchAll(/<g class="domain" data-domain="([^"]+)"/g)].map((m) => m[1]);
  const rowDomains = (svg: string) => {
    const row = svg.split('<g class="row">')[1]!;
    return [...row.matchAll(/data-domain="([^"]+)"/g)].map((m) => m[1]);
  };

  it("the traffic light and the summary show the same domains in the same order, blinding where the two blinding domains stand", () => {
    const { svg } = render(FILE, FIXTURES);
    const expected = ["random-sequence-generation", "allocation-concealment", "blinding", "incomplete-outcome-data", "selective-reporting", "other-bias"];
    assert.deepEqual(rowDomains(svg.trafficLight), expected);
    assert.deepEqual(summaryDomains(svg.summary), expected);
    assert.ok(!svg.trafficLight.includes(">Overall<") && !svg.summary.includes("Overall risk of bias"), "no study gives an overall");
    // Every symbol used is in the legend, "not assessed" (other-bias of Sneed 1981) included.
    assert.match(svg.trafficLight, /data-tone="unassessed"/);
    for (const j of ["low", "unclear", "high", "not assessed"]) assert.match(svg.trafficLight, new RegExp(`>${j}</text>`));
  });

  it("a study in the 2011 form beside them: both forms are columns, the combined one first; an overall appears in both pictures once judged", () => {
    const text = fs.readFileSync(FILE, "utf8").replace(
      "      blinding: { judgement: high, support: open label }\n",
      "      blinding-of-participants-and-personnel: { judgement: high, support: open label }\n      blinding-of-outcome-assessment: { judgement: low, support: blinded assessors }\n",
    ) + "      overall: high\n";
    const svg = plots(analyseText(text, { dir: path.dirname(FILE), root: FIXTURES }));
    const expected = ["random-sequence-generation", "allocation-concealment", "blinding", "blinding-of-participants-and-personnel", "blinding-of-outcome-assessment", "incomplete-outcome-data", "selective-reporting", "other-bias", "overall"];
    assert.deepEqual(rowDomains(svg.trafficLight), expected);
    assert.deepEqual(summaryDomains(svg.summary), expected);
  });
});

/** Every protocol with analyses the tests can draw: the five public RevMan reviews (imported as review-import imports them), the sample, the fixtures and the conformance cases. */
function protocolsWithAnalyses(): { name: string; analysis: Analysis }[] {
  const out: { name: string; analysis: Analysis }[] = [];
  if (fs.existsSync(RM5)) {
    for (const f of fs.readdirSync(RM5).filter((x) => x.endsWith(".rm5")).sort()) {
      const name = f.replace(/\.rm5$/, "");
      const imported = importRm5(readRm5(decodeRm5(fs.readFileSync(path.join(RM5, f)))), name);
      out.push({ name, analysis: analyseText(imported.protocol, { dir: IMPORTED, root: IMPORTED }) });
      // The same review under section 8.1's methods: the method in the header, τ² intervals, t, prediction bars.
      out.push({ name: `${name} (REML, HKSJ, prediction)`, analysis: analyseText(withNewMethods(imported.protocol), { dir: IMPORTED, root: IMPORTED }) });
    }
  }
  const files = [path.join(ROOT, "seeds/mms-lactation.protocol.yaml"), ...protocolFiles(FIXTURES), ...protocolFiles(path.resolve(ROOT, "../shared/conformance/cases"))];
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    if (/^analyses:/m.test(text)) out.push({ name: path.relative(path.resolve(ROOT, ".."), file), analysis: analyseText(text, { dir: path.dirname(file), root: path.dirname(file) }) });
  }
  return out;
}

function protocolFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? protocolFiles(path.join(dir, d.name)) : /\.protocol\.ya?ml$/.test(d.name) ? [path.join(dir, d.name)] : []));
}

/** Words no picture or hover may show. */
const FORBIDDEN = /NaN|Infinity|undefined|P = 0\.00(?!\d)/;

/** In the page: every text's box inside the SVG, and no two texts' boxes overlapping. */
async function textProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // The page's DOM (the tests compile without the DOM library).
    interface Box {
      left: number;
      right: number;
      top: number;
      bottom: number;
    }
    interface Element {
      getBoundingClientRect(): Box;
      textContent: string | null;
      querySelectorAll(selector: string): Iterable<Element>;
    }
    const svg = (globalThis as unknown as { document: { querySelector(selector: string): Element } }).document.querySelector("svg");
    const frame = svg.getBoundingClientRect();
    const boxes = [...svg.querySelectorAll("text")].map((t) => ({ r: t.getBoundingClientRect(), s: t.textContent ?? "" }));
    const out: string[] = [];
    const slack = 0.5;
    for (const { r, s } of boxes) if (r.left < frame.left - slack || r.right > frame.right + slack || r.top < frame.top - slack || r.bottom > frame.bottom + slack) out.push(`leaves the picture: "${s}"`);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        if (a.left < b.right - slack && b.left < a.right - slack && a.top < b.bottom - slack && b.top < a.bottom - slack) out.push(`"${boxes[i]!.s}" overlaps "${boxes[j]!.s}"`);
      }
    }
    return out;
  });
}

async function launch(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

describe("plots: every forest plot, rendered", function () {
  this.timeout(300000);
  before(function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === "true") assert.fail(`no Chromium at ${CHROMIUM}: CI must install it (.ci/run)`);
      console.log(`      skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
      this.skip();
    }
    if (!fs.existsSync(RM5) && process.env.CI === "true") assert.fail(`no ../shared/rm5 beside the project: the public reviews' plots cannot be drawn`);
  });

  it("forest and funnel plots of the five public reviews, the sample, fixtures and cases: no text overlaps another or leaves the picture; no NaN, Infinity, undefined or 'P = 0.00' in any picture or hover", async () => {
    const protocols = protocolsWithAnalyses();
    const browser = await launch();
    const problems: string[] = [];
    let forests = 0;
    let predictionBars = 0;
    try {
      const page = await browser.newPage();
      for (const { name, analysis } of protocols) {
        const drawn = plots(analysis);
        for (const [i, a] of analysis.metaAnalyses.entries()) {
          forests++;
          if (drawn.forests[i]!.svg.includes('class="prediction"')) predictionBars++;
          for (const [kind, svg] of [["forest", drawn.forests[i]!.svg], ["funnel", drawn.funnels[i]!.svg]] as const) {
            if (FORBIDDEN.test(svg)) problems.push(`${name} ${kind} ${a.id}: shows ${FORBIDDEN.exec(svg)![0]}`);
            await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
            for (const p of await textProblems(page)) problems.push(`${name} ${kind} ${a.id}: ${p}`);
          }
          // What the editor says about it: the analysis's hover, each row's, the code lens.
          const cards = [hover(analysis, a.idSpan.start, () => 0)?.markdown ?? "", ...a.groups.flatMap((g) => g.rows.map((r) => hover(analysis, r.key.start, () => 0)?.markdown ?? ""))];
          for (const text of [...cards, analysisSummary(a)]) if (FORBIDDEN.test(text)) problems.push(`${name} hover ${a.id}: ${text.slice(0, 200)}`);
        }
      }
    } finally {
      await browser.close();
    }
    console.log(`      ${forests} analyses in ${protocols.length} protocols (${predictionBars} forest plots with a prediction interval): forest and funnel plots and hovers checked`);
    assert.ok(forests >= (fs.existsSync(RM5) ? 2 * 86 : 2), `${forests} analyses`);
    assert.ok(predictionBars >= (fs.existsSync(RM5) ? 50 : 2), `${predictionBars} forest plots with a prediction interval`);
    assert.deepEqual(problems, []);
  });

  it("the risk-of-bias plots of the public reviews: no text overlaps another or leaves the picture", async function () {
    const browser = await launch();
    const problems: string[] = [];
    try {
      const page = await browser.newPage();
      for (const { name, analysis } of protocolsWithAnalyses()) {
        for (const r of plots(analysis).rob) {
          for (const svg of [r.trafficLight, r.summary]) {
            await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
            for (const p of await textProblems(page)) problems.push(`${name} ${r.tool}: ${p}`);
          }
        }
      }
    } finally {
      await browser.close();
    }
    assert.deepEqual(problems, []);
  });

  it("screenshots of imported public reviews: CD008521 (rotavirus vaccines): a forest plot, its funnel plot and the risk-of-bias plots; CD000023 (sore throat) under REML, HKSJ and a prediction interval", async function () {
    if (!fs.existsSync(RM5)) {
      if (process.env.CI === "true") assert.fail("no ../shared/rm5 beside the project: the screenshots of a public review cannot be drawn");
      console.log("      skipped: no ../shared/rm5 beside the project (CI fails instead)");
      this.skip();
    }
    const protocols = protocolsWithAnalyses();
    const review = protocols.find((p) => p.name === "CD008521-stats")!;
    const soreThroat = protocols.find((p) => p.name === "CD000023-stats (REML, HKSJ, prediction)")!;
    const predicted = plots(soreThroat.analysis).forests[0]!.svg;
    assert.match(predicted, /(IV|M-H), Random \(REML, HKSJ\), 95% CI[\s\S]*class="prediction"/);
    const drawn = plots(review.analysis);
    const index = review.analysis.metaAnalyses.findIndex((a) => (a.result?.smallStudy ?? null) !== null);
    assert.ok(index >= 0, "an analysis with Egger's test");
    assert.match(drawn.funnels[index]!.svg, /Egger's test: intercept/);
    const shots: [string, string][] = [
      ["review-forest", drawn.forests[index]!.svg],
      ["review-funnel", drawn.funnels[index]!.svg],
      ["review-rob-traffic-light", drawn.trafficLight],
      ["review-rob-summary", drawn.summary],
      ["review-forest-prediction", predicted],
    ];
    const browser = await launch();
    try {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      for (const [name, svg] of shots) {
        const page = await browser.newPage({ deviceScaleFactor: 1 });
        await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
        const files = [path.join(ARTIFACTS, `${name}.png`), ...(process.env.UPDATE_SCREENSHOTS ? [path.join(ROOT, "docs/images", `${name}.png`)] : [])];
        for (const file of files) await page.locator("svg").screenshot({ path: file });
        await page.close();
      }
    } finally {
      await browser.close();
    }
    for (const [name] of shots) assert.ok(fs.existsSync(path.join(ROOT, "docs/images", `${name}.png`)), `docs/images/${name}.png (UPDATE_SCREENSHOTS=1 writes it)`);
  });
});

describe("plots: our forest plots of Fleiss 1993 say what RevMan Web's say", () => {
  const ZIP = path.resolve(ROOT, "../shared/datapackage/Fleiss1993.zip");
  before(function () {
    if (fs.existsSync(ZIP) && fs.existsSync(RM5)) return;
    if (process.env.CI === "true") assert.fail(`no ${ZIP} or ../shared/rm5: ../shared is missing`);
    console.log("      skipped: no ../shared/datapackage beside the project (CI fails instead)");
    this.skip();
  });

  /** The texts of an SVG by row (their y), left to right, RevMan's "-" and "[a , b]" as ours. */
  function rowsOfSvg(svg: string): Map<number, string[]> {
    const rows = new Map<number, { x: number; text: string }[]>();
    for (const m of svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)<\/text>/g)) {
      const text = decodeXml(m[3]!.replace(/<[^>]+>/g, "")).replace(/(^|[\s[(])-(?=\d)/g, "$1−").replace(/ , /g, ", ").trim();
      const y = Math.round(Number(m[2]));
      rows.set(y, [...(rows.get(y) ?? []), { x: Number(m[1]), text }]);
    }
    return new Map([...rows].map(([y, t]) => [y, t.sort((a, b) => a.x - b.x).map((x) => x.text)]));
  }
  const decodeXml = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  /** The row that starts with `label`, and its numbers (the label's own left out). */
  const numbers = (rows: Map<number, string[]>, label: string | RegExp) => {
    const row = [...rows.values()].find((r) => (typeof label === "string" ? r[0] === label : label.test(r[0]!)));
    assert.ok(row, `a row starting with ${label}`);
    return row.slice(1).join(" ").match(/−?\d+(\.\d+)?%?/g) ?? [];
  };
  const line = (rows: Map<number, string[]>, start: string) => [...rows.values()].flat().find((t) => t.startsWith(start));

  it("the same numbers in the same rows: studies, totals, weights, effects and CIs, total events, heterogeneity, overall effect, subgroup differences", () => {
    const files = unzipSync(new Uint8Array(fs.readFileSync(ZIP)), { filter: (f) => f.name.endsWith(".svg") });
    const theirs = Object.entries(files)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, bytes]) => rowsOfSvg(strFromU8(bytes)));
    assert.equal(theirs.length, 2);
    const imported = importRm5(readRm5(decodeRm5(fs.readFileSync(path.join(RM5, "Fleiss1993.rm5")))), "Fleiss1993");
    // RevMan Web drew the second analysis (SMD in the file) as a mean difference, its header says so: draw ours the same way.
    const protocol = imported.protocol.replace(/(- id: 001-02[^\n]*\n(?: {4}[^\n]*\n)*? {4}measure: )SMD/, "$1MD");
    const analysis = analyseText(protocol, { dir: IMPORTED, root: IMPORTED });
    const drawn = plots(analysis);
    const studies = [
      ["MRC-1", "CDP", "MRC-2", "GASP", "PARIS", "AMIS", "ISIS-2"],
      ["Davis", "Florell", "Gruen", "Hart", "Wilson"],
    ];
    theirs.forEach((their, i) => {
      const ours = rowsOfSvg(drawn.forests[i]!.svg);
      const headers = [...ours.values()].flat();
      for (const h of [...their.values()].flat().filter((t) => /Ratio|Difference|M-H|IV,|^Aspirin$|^Control$|^Mental Health Treatment$/.test(t))) assert.ok(headers.includes(h), `header ${h}`);
      for (const s of studies[i]!) assert.deepEqual(numbers(ours, s), numbers(their, s), `${s} in analysis ${i + 1}`);
      assert.deepEqual(numbers(ours, "Total (95% CI)"), numbers(their, "Total (95% CI)"), `total of analysis ${i + 1}`);
      if (i === 0) assert.deepEqual(numbers(ours, "Total events"), numbers(their, "Total events:"));
      for (const start of ["Heterogeneity:", "Test for overall effect:", "Test for subgroup differences:"]) {
        assert.ok(line(their, start), `RevMan's ${start}`);
        assert.equal(line(ours, start), line(their, start));
      }
    });
  });
});
