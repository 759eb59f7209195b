#!/usr/bin/env node
// End to end in real VS Code: code-server (VS Code's workbench over HTTP, with a
// Node extension host) driven by Playwright in Debian's Chromium. Installs the
// packaged .vsix, opens a copy of seeds/, and checks what a user sees: the
// Problems panel, a citation's hover card, the tool's judgements offered while
// typing, a quick fix that completes an incomplete record, and "Import RevMan
// review (.rm5)" from the explorer opening the imported protocol with its
// diagnostics; the status bar item for the active protocol (and its click: the
// Problems panel, that file only); the progress while a 90 MB library is
// indexed; "Show forest and funnel plots" on an imported public review in a pane
// half the window wide, the analysis under the cursor first and whole.
// Screenshots go to $ARTIFACTS_DIR/e2e.
//   node test/e2e/code-server.mjs CODE_SERVER_BIN VSIX
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { codeServerFolders, launchChromium, startCodeServer } from "../helpers/code-server.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const [codeServer, vsix] = process.argv.slice(2);
const ARTIFACTS = path.join(process.env.ARTIFACTS_DIR ?? path.join(ROOT, ".ci-artifacts"), "e2e");
mkdirSync(ARTIFACTS, { recursive: true });

const folders = codeServerFolders("rp-e2e-");
const { tmp, userData, extensions, env } = folders;
const workspace = path.join(tmp, "seeds");
cpSync(path.join(ROOT, "seeds"), workspace, { recursive: true });
// A public RevMan 5 review to import (read from ../shared beside the project, as the other tests do).
const rm5 = path.resolve(ROOT, "../shared/rm5/Fleiss1993.rm5");
cpSync(rm5, path.join(workspace, "Fleiss1993.rm5"));
// A larger public review (21 analyses), imported by the command line before the editor starts.
execFileSync(process.execPath, [path.join(ROOT, "dist/review-import.js"), path.resolve(ROOT, "../shared/rm5/CD000023-stats.rm5"), "--out", workspace], { stdio: "ignore" });
// A protocol citing a 90 MB library (a reference manager's whole export): indexed with progress.
const library = [];
for (let i = 0, size = 0; size < 90 * 1024 * 1024; i++) {
  const entry = `@article{entry${i},\n  author = {Author${i}, A.},\n  title = {Trial number ${i}},\n  year = {${1990 + (i % 30)}},\n  abstract = {${"We did things. ".repeat(60)}}\n}\n`;
  library.push(entry);
  size += entry.length;
}
writeFileSync(path.join(workspace, "library.bib"), library.join(""));
writeFileSync(path.join(workspace, "library.protocol.yaml"), "protocol: 1\ntitle: Library - a systematic review protocol\ntype: intervention\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\nsources:\n  - bibliography: library.bib\nrationale: See [@entry20000].\n");
execFileSync(codeServer, ["--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", vsix], { env, stdio: "inherit" });

const { port, stop } = startCodeServer(codeServer, folders, workspace, 18000);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const step = async (name, run) => {
  const started = Date.now();
  try {
    await run();
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    await page.screenshot({ path: path.join(ARTIFACTS, `failed-${name.replace(/\W+/g, "-")}.png`) });
    console.log(`FAIL ${name}: ${e.message.split("\n")[0]}`);
    await browser.close();
    stop();
    process.exit(1);
  }
};
const text = readFileSync(path.join(workspace, "mms-lactation.protocol.yaml"), "utf8").split("\n");
const lineOf = (needle) => text.findIndex((l) => l.includes(needle)) + 1;
const goTo = async (line, column) => {
  await page.keyboard.press("Control+G");
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press("Enter");
};

await step("workbench loads", async () => {
  for (let i = 0; i < 60; i++) {
    try {
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { timeout: 5000 });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  await page.waitForSelector(".monaco-workbench .part.statusbar", { timeout: 60000 });
});

await step("the sample opens as a review protocol", async () => {
  await page.locator('.explorer-folders-view .monaco-list-row:has-text("mms-lactation.protocol.yaml")').click({ timeout: 30000 });
  await page.waitForSelector(".monaco-editor .view-lines", { timeout: 30000 });
  await page.waitForSelector('.statusbar-item[aria-label*="Review Protocol" i], .statusbar-item:has-text("Review Protocol")', { timeout: 30000 });
});

await step("the Problems panel lists the outcome-not-reported warnings", async () => {
  await page.keyboard.press("Control+Shift+M");
  await page.waitForSelector('.markers-panel .monaco-list-row:has-text("No included study reports usable data for primary outcome")', { timeout: 60000 });
  const rows = await page.locator('.markers-panel .monaco-list-row:has-text("for primary outcome")').count();
  if (rows !== 3) throw new Error(`${rows} rows`);
  await page.screenshot({ path: path.join(ARTIFACTS, "problems.png") });
});

await step("hovering a citation shows the source card", async () => {
  await page.locator(".monaco-editor .view-lines").first().click();
  await goTo(lineOf("cite: baxter2025"), 13);
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+I");
  await page.waitForSelector('.monaco-hover:has-text("Maternal multiple micronutrient supplementation in rural Pakistan")', { timeout: 20000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "hover.png") });
  await page.keyboard.press("Escape");
});

await step("typing in a risk-of-bias block offers the tool's judgements", async () => {
  const line = lineOf("      other-bias: { judgement: low, support: none identified }");
  await goTo(line, text[line - 1].indexOf("low") + 1);
  await page.keyboard.press("Shift+End");
  await page.keyboard.press("Delete");
  // Completion can be asked before the edit reaches the server: ask again once if nothing came.
  await page.keyboard.press("Control+Space");
  const offered = await page
    .waitForSelector('.suggest-widget .monaco-list-row:has-text("unclear")', { timeout: 10000 })
    .then(() => true)
    .catch(() => false);
  if (!offered) {
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+Space");
    await page.waitForSelector('.suggest-widget .monaco-list-row:has-text("unclear")', { timeout: 20000 });
  }
  await page.screenshot({ path: path.join(ARTIFACTS, "completion.png") });
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+Z");
});

await step("a quick fix completes an incomplete record, and the warning goes", async () => {
  const line = lineOf("      allocation-concealment: { judgement: unclear, support: not described in the substudy }");
  await goTo(line, 1);
  await page.keyboard.press("Control+Shift+K");
  await page.waitForSelector('.markers-panel .monaco-list-row:has-text("has no judgement for: allocation-concealment")', { timeout: 30000 });
  // Baxter 2025's risk_of_bias key, above the deleted line (so its number is unchanged).
  const rob = text.findIndex((l, i) => i >= lineOf("- id: Baxter 2025") && l.includes("risk_of_bias:")) + 1;
  await goTo(rob, 6);
  await page.keyboard.press("Control+.");
  await page.waitForSelector('.action-widget, .context-view .monaco-list', { timeout: 20000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "quick-fix.png") });
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => !document.querySelector('.markers-panel')?.textContent?.includes("has no judgement for"), null, { timeout: 30000 });
});

await step("Import RevMan review (.rm5) opens the imported protocol with its diagnostics", async () => {
  // The workbench's context menu can drop a click that comes right after it opens: try again, then by keyboard.
  let opened = false;
  for (let attempt = 0; attempt < 3 && !opened; attempt++) {
    await page.locator('.explorer-folders-view .monaco-list-row:has-text("Fleiss1993.rm5")').click({ button: "right", timeout: 30000 });
    const item = page.locator('.monaco-menu .action-item:has(.action-label:has-text("Import RevMan review"))');
    await item.waitFor({ timeout: 20000 });
    await item.hover();
    if (attempt < 2) await item.click({ delay: 50 });
    else await page.keyboard.press("Enter");
    opened = await page
      .waitForSelector('.tab:has-text("Fleiss1993.protocol.yaml")', { timeout: 15000 })
      .then(() => true)
      .catch(() => false);
    if (!opened) await page.keyboard.press("Escape");
  }
  if (!opened) throw new Error("the imported protocol did not open");
  await page.keyboard.press("Control+Shift+M");
  await page.waitForSelector('.markers-panel .monaco-list-row:has-text("Fleiss1993.protocol.yaml")', { timeout: 60000 });
  await page.waitForSelector('.notifications-toasts:has-text("2 analyses; 1 reproduces the results stored in the file; 1 has no stored results"), .notification-toast:has-text("reproduces the results")', { timeout: 30000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "import.png") });
});

const quickOpen = async (name) => {
  await page.locator(`.explorer-folders-view .monaco-list-row:has-text("${name}")`).first().click({ timeout: 20000 });
  await page.waitForSelector(`.tab.active:has-text("${name}")`, { timeout: 20000 });
};

await step("the status bar shows the protocol's stage, tool, studies, errors and warnings; a click shows its problems only", async () => {
  await quickOpen("mms-lactation.protocol.yaml");
  const item = page.locator('.statusbar-item:has-text("studies")');
  await item.waitFor({ timeout: 30000 });
  const said = (await item.innerText()).trim();
  if (!/Protocol · RoB 1 · \d+ studies · \d+ errors? · \d+ warnings?/.test(said)) throw new Error(`status bar: ${said}`);
  await item.click();
  await page.waitForSelector('.markers-panel .monaco-list-row:has-text("mms-lactation.protocol.yaml")', { timeout: 30000 });
  await page.waitForFunction(() => ![...document.querySelectorAll(".markers-panel .monaco-list-row")].some((r) => r.textContent.includes("Fleiss1993")), null, { timeout: 20000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "status-bar.png") });
});

await step("a 90 MB library shows its progress while it is indexed, then its citations resolve", async () => {
  await quickOpen("library.protocol.yaml");
  // The server's work-done progress (VS Code shows it in the status bar, 150 ms after it begins) beside the item's "indexing library…".
  await page.waitForSelector('.statusbar-item:has-text("indexing library")', { timeout: 30000 });
  await page.waitForSelector('.statusbar-item:has-text("Indexing library.bib")', { timeout: 30000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "indexing.png") });
  await page.waitForSelector('.statusbar-item:has-text("Protocol · RoB 1 · 0 studies")', { timeout: 60000 });
  await page.waitForFunction(() => ![...document.querySelectorAll(".statusbar-item")].some((i) => /indexing library/i.test(i.textContent)), null, { timeout: 60000 });
});

await step("Show forest and funnel plots in a pane half the window wide shows the whole plot of the analysis under the cursor", async () => {
  await quickOpen("CD000023-stats.protocol.yaml");
  // No side bar and no panel: the editor and the plots share the window, half each.
  await page.keyboard.press("Control+B");
  await page.waitForFunction(() => !document.querySelector(".part.sidebar")?.checkVisibility?.(), null, { timeout: 10000 }).catch(() => undefined);
  await page.keyboard.press("Control+J");
  await page.locator(".monaco-editor .view-lines").first().click();
  const review = readFileSync(path.join(workspace, "CD000023-stats.protocol.yaml"), "utf8").split("\n");
  const first = review.findIndex((l) => l === "analyses:");
  const items = review.map((l, i) => [l, i]).filter(([l, i]) => i > first && l.startsWith("  - id: "));
  const [idLine, index] = items[4];
  const wanted = idLine.slice("  - id: ".length).trim();
  await goTo(index + 2, 5);
  await page.keyboard.press("F1");
  await page.keyboard.type("Show forest and funnel plots");
  await page.waitForSelector('.quick-input-widget .monaco-list-row:has-text("Show forest and funnel plots")', { timeout: 20000 });
  await page.keyboard.press("Enter");
  let shown;
  for (let i = 0; i < 120 && !shown; i++) {
    for (const frame of page.frames()) {
      shown = await frame
        .evaluate(() => {
          const section = document.querySelector(".fit-picture:not([hidden])");
          const svg = section?.querySelector("svg");
          if (!svg) return undefined;
          const r = svg.getBoundingClientRect();
          return { id: section.dataset.picture, right: r.right, left: r.left, width: r.width, pane: document.documentElement.clientWidth, options: document.querySelectorAll("#fit-picker option").length, drawn: Number(svg.getAttribute("width")) };
        })
        .catch(() => undefined);
      if (shown) break;
    }
    if (!shown) await new Promise((r) => setTimeout(r, 500));
  }
  if (!shown) throw new Error("no forest plot in a webview");
  const webview = await page.locator(".webview.ready, iframe.webview").first().boundingBox();
  console.log(`     forest plot ${shown.id}: drawn ${shown.drawn} px wide, shown ${Math.round(shown.width)} px in a ${shown.pane} px pane (webview ${Math.round(webview?.width ?? 0)} of 1400 px); ${shown.options} analyses in the picker`);
  if (shown.id !== wanted) throw new Error(`shows ${shown.id}, the cursor is in ${wanted}`);
  if (shown.right > shown.pane + 0.5 || shown.left < 0) throw new Error(`the plot (${shown.left}–${shown.right}) is cut by the pane (${shown.pane})`);
  if (shown.options !== items.length) throw new Error(`${shown.options} analyses in the picker, ${items.length} in the review`);
  if (!webview || webview.width < 560 || webview.width > 760) throw new Error(`the plots' pane is ${webview?.width} px wide, not about half of 1400`);
  await page.screenshot({ path: path.join(ARTIFACTS, "forest-pane.png") });
});

await page.screenshot({ path: path.join(ARTIFACTS, "vscode.png") });
await browser.close();
stop();
console.log(`code-server end to end: all steps passed; screenshots in ${ARTIFACTS}`);
process.exit(0);
