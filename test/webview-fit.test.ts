/**
 * Pictures that fit the pane (client/src/webview-fit.ts), in headless Chromium
 * as the webview renders them: the forest and funnel plots of a public review
 * (21 analyses) in a pane 480 px wide show the chosen analysis whole — scaled
 * to the width, its proportions kept — the picker reaches every other, the
 * extension's focus message switches, and zoom goes past the pane and back.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { FIT_CSS, FIT_SCRIPT, fittedPictures, type Picture } from "../client/src/webview-fit";
import { ProtocolAnalyzer } from "../server/src/core/analyzer/analyzer";
import { runImport } from "../server/src/core/analyzer/import-check";
import { plots } from "../server/src/core/pictures/plots";
import { SourceLoader } from "../server/src/core/sources/loader";
import { sharedFolder } from "./helpers/shared";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PANE = 480;

/** The forest and funnel plots of a review, as the forest view's pictures. */
function reviewPictures(rm5: string): Picture[] {
  const dir = path.dirname(rm5);
  const { result } = runImport(fs.readFileSync(rm5), "review", dir);
  const analysis = new ProtocolAnalyzer().analyse(result.protocol, { path: path.join(dir, "review.protocol.yaml"), root: dir, loader: new SourceLoader() });
  const drawn = plots(analysis);
  return drawn.forests.map((f, i) => ({ id: f.id, label: f.id, html: `<div>${f.svg}${drawn.funnels[i]!.svg}</div>` }));
}

/** What the page shows: the visible picture's id and its forest plot's box, the pane's width. */
function shown(page: Page): Promise<{ id: string; left: number; right: number; width: number; height: number; drawnWidth: number; drawnHeight: number; pane: number }> {
  // A string: the page's DOM, not this file's types.
  return page.evaluate(`(() => {
    const section = document.querySelector(".fit-picture:not([hidden])");
    const svg = section.querySelector("svg");
    const r = svg.getBoundingClientRect();
    return { id: section.dataset.picture, left: r.left, right: r.right, width: r.width, height: r.height, drawnWidth: svg.viewBox.baseVal.width, drawnHeight: svg.viewBox.baseVal.height, pane: document.documentElement.clientWidth };
  })()`);
}

describe("pictures that fit the pane, in Chromium", function () {
  this.timeout(120000);
  let browser: Browser | undefined;
  let pictures: Picture[] = [];

  before(async function () {
    const rm5 = sharedFolder("rm5", "the fitted-picture tests are skipped");
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === "true") assert.fail(`no Chromium at ${CHROMIUM}: CI must install it (.ci/run)`);
      console.log(`      skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    }
    if (!rm5 || !fs.existsSync(CHROMIUM)) return this.skip();
    pictures = reviewPictures(path.join(rm5, "CD000023-stats.rm5"));
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  });
  after(() => browser?.close());

  it("shows the chosen analysis whole in a narrow pane, its proportions kept; the picker and the focus message reach the others; zoom goes past the pane and back", async () => {
    assert.equal(pictures.length, 21);
    const page = await browser!.newPage({ viewport: { width: PANE, height: 800 } });
    const chosen = pictures[4]!.id;
    // The webview's API, as VS Code gives it: state and messages.
    const stub = `const vscode = { state: null, getState() { return this.state; }, setState(s) { this.state = s; }, postMessage(m) { (window.posted ||= []).push(m); } };`;
    await page.setContent(`<!doctype html><html><head><style>body{margin:8px}${FIT_CSS}</style></head><body>${fittedPictures(pictures, chosen)}<script>${stub}${FIT_SCRIPT}</script></body></html>`);
    const first = await shown(page);
    assert.equal(first.id, chosen);
    assert.ok(first.drawnWidth > PANE, `the plot is drawn wider (${first.drawnWidth} px) than the pane, so fitting matters`);
    assert.ok(first.left >= 0 && first.right <= first.pane + 0.5, `whole inside the pane: ${JSON.stringify(first)}`);
    assert.ok(first.width > first.pane - 40, `scaled to the pane's width, not smaller: ${JSON.stringify(first)}`);
    assert.ok(Math.abs(first.height / first.width - first.drawnHeight / first.drawnWidth) < 0.01, "proportions kept (viewBox)");
    assert.equal(await page.locator("#fit-picker option").count(), 21);

    await page.selectOption("#fit-picker", pictures[10]!.id);
    assert.equal((await shown(page)).id, pictures[10]!.id);
    assert.deepEqual(await page.evaluate("window.posted"), [{ type: "shown", id: pictures[10]!.id }]);
    const focus = JSON.stringify(pictures[2]!.id);
    await page.evaluate(`window.postMessage({ type: "focus", id: ${focus} }, "*")`);
    await page.waitForFunction(`document.querySelector(".fit-picture:not([hidden])")?.dataset.picture === ${focus}`);
    assert.equal(await page.locator("#fit-picker").inputValue(), pictures[2]!.id);

    for (let i = 0; i < 4; i++) await page.click('[data-zoom="in"]');
    const zoomed = await shown(page);
    assert.ok(zoomed.width > zoomed.pane, `zoomed in past the pane: ${zoomed.width}`);
    assert.match(await page.locator("#fit-level").innerText(), /^\d+%$/);
    await page.click('[data-zoom="fit"]');
    const fitted = await shown(page);
    assert.ok(fitted.right <= fitted.pane + 0.5 && fitted.width > fitted.pane - 40);
    assert.equal(await page.locator("#fit-level").innerText(), "Fit");
  });
});
