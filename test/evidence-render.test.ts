/**
 * The summary of findings tables and PRISMA 2020 flow diagrams rendered in
 * headless Chromium: no text overlaps another or leaves its box, every count
 * is on the page; screenshots saved as artefacts (.ci-artifacts/evidence, or
 * $ARTIFACTS_DIR) and, with UPDATE_SCREENSHOTS=1, in docs/images for the README.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { plots } from "../server/src/core/pictures/plots";
import { analyseText, FIXTURES } from "./helpers/check";
import { sharedFolder } from "./helpers/shared";

const ROOT = path.resolve(__dirname, "../..");
const ARTIFACTS = path.join(process.env.ARTIFACTS_DIR ?? path.join(ROOT, ".ci-artifacts"), "evidence");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The screenshots the README shows (docs/images). */
const README_SHOTS = ["sof-synthesis", "prisma-flow-update", "prisma-flow-synthesis"];

/** The protocols drawn: [name, file, root]; the README shows the first table and the full flow. */
function protocols(): [string, string, string][] {
  const out: [string, string, string][] = [
    ["cooling", path.join(FIXTURES, "evidence/cooling.protocol.yaml"), FIXTURES],
    ["update", path.join(FIXTURES, "evidence/update.protocol.yaml"), FIXTURES],
    ["sample", path.join(ROOT, "seeds/mms-lactation.protocol.yaml"), ROOT],
  ];
  const cases = sharedFolder("conformance/cases", "the conformance case 11-synthesis is not drawn");
  if (cases) out.push(["synthesis", path.join(cases, "11-synthesis/hypothermia.protocol.yaml"), path.join(cases, "11-synthesis")]);
  return out;
}

/** The page's DOM as these checks see it (the tests compile without the DOM library; types only, nothing runs in the page). */
interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface El {
  getBoundingClientRect(): Rect;
  textContent: string | null;
  closest(s: string): El | null;
  querySelector(s: string): El | null;
  querySelectorAll(s: string): Iterable<El>;
}

/** In the page: every text (SVG text, or a text line of the table) inside its frame, and no two overlapping. */
async function overlaps(page: Page, selector: string, frameSelector: string): Promise<string[]> {
  return page.evaluate(
    ([sel, frameSel]) => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El> } }).document;
      const texts = [...doc.querySelectorAll(sel!)].filter((t) => (t.textContent ?? "").trim());
      const out: string[] = [];
      const slack = 0.5;
      const inside = (r: Rect, f: Rect) => r.left >= f.left - slack && r.right <= f.right + slack && r.top >= f.top - slack && r.bottom <= f.bottom + slack;
      const boxes = texts.map((t) => ({ r: t.getBoundingClientRect(), s: t.textContent ?? "", frame: t.closest(frameSel!)?.getBoundingClientRect() }));
      for (const b of boxes) if (b.frame && !inside(b.r, b.frame)) out.push(`leaves its frame: "${b.s}"`);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, c] = [boxes[i]!.r, boxes[j]!.r];
          if (a.left < c.right - slack && c.left < a.right - slack && a.top < c.bottom - slack && c.top < a.bottom - slack) out.push(`"${boxes[i]!.s}" overlaps "${boxes[j]!.s}"`);
        }
      }
      return out;
    },
    [selector, frameSelector],
  );
}

/** Each box's text lies inside its rectangle (SVG: the <g> holds the rect and its texts). */
async function boxesHoldTheirText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El> } }).document;
    const out: string[] = [];
    for (const g of doc.querySelectorAll("svg g")) {
      const rect = g.querySelector("rect")?.getBoundingClientRect();
      if (!rect) continue;
      for (const t of g.querySelectorAll("text")) {
        const r = t.getBoundingClientRect();
        if (r.left < rect.left || r.right > rect.right || r.top < rect.top || r.bottom > rect.bottom) out.push(`outside its box: "${t.textContent}"`);
      }
    }
    return out;
  });
}

describe("summary of findings and PRISMA flow: rendered in headless Chromium", function () {
  this.timeout(120000);
  let browser: Browser;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === "true") assert.fail(`no Chromium at ${CHROMIUM}: CI must install it (.ci/run)`);
      console.log(`      skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
      this.skip();
    }
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => browser?.close());

  const shot = async (page: Page, name: string, selector: string) => {
    const readme = README_SHOTS.includes(name) && process.env.UPDATE_SCREENSHOTS;
    const files = [path.join(ARTIFACTS, `${name}.png`), ...(readme ? [path.join(ROOT, "docs/images", `${name}.png`)] : [])];
    for (const file of files) await page.locator(selector).first().screenshot({ path: file });
  };

  it("flow diagrams: no text overlaps another or leaves its box or the picture; every count is shown", async () => {
    for (const [name, file, root] of protocols()) {
      const analysis = analyseText(fs.readFileSync(file, "utf8"), { dir: path.dirname(file), root });
      const svg = plots(analysis).prismaFlow;
      assert.ok(svg, `${name} has a flow`);
      const page = await browser.newPage({ deviceScaleFactor: 1 });
      await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
      assert.deepEqual(await overlaps(page, "svg text", "svg"), [], name);
      assert.deepEqual(await boxesHoldTheirText(page), [], name);
      const shown = await page.locator("svg").innerText().catch(async () => (await page.locator("svg").textContent()) ?? "");
      for (const c of analysis.flow!.counts.values()) {
        assert.ok(shown.includes(`(n = ${c.value})`), `${name}: ${c.field} (n = ${c.value}) is drawn`);
        for (const p of c.parts ?? []) assert.ok(shown.includes(`${p.name} (n = ${p.count})`), `${name}: ${p.name}`);
      }
      await shot(page, `prisma-flow-${name}`, "svg");
      await page.close();
    }
  });

  it("summary of findings pages: no text overlaps another or leaves its cell; every row's numbers are on the page", async () => {
    for (const [name, file, root] of protocols()) {
      const analysis = analyseText(fs.readFileSync(file, "utf8"), { dir: path.dirname(file), root });
      for (const t of plots(analysis).summaries) {
        const page = await browser.newPage({ deviceScaleFactor: 1, viewport: { width: 1100, height: 800 } });
        await page.setContent(t.page);
        assert.deepEqual(await overlaps(page, "td > span, th, td.grade", "td, th"), [], `${name} ${t.experimental} vs ${t.control}`);
        const shown = await page.locator(".sof").innerText();
        for (const a of analysis.metaAnalyses.filter((x) => x.compare[0]?.id === t.experimental && analysis.certainty.some((e) => e.analysis?.value === x.id))) {
          assert.ok(shown.includes(a.name ?? a.id), `${name}: the row of ${a.id}`);
        }
        assert.match(shown, /per 1,000/);
        assert.match(shown, /⊕/);
        await shot(page, `sof-${name}`, ".sof");
        await page.close();
      }
    }
  });

  it("the README's screenshots exist (UPDATE_SCREENSHOTS=1 writes them)", () => {
    for (const name of README_SHOTS) assert.ok(fs.existsSync(path.join(ROOT, "docs/images", `${name}.png`)), `docs/images/${name}.png`);
  });
});
