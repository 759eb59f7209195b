/**
 * The README tells the truth: its sample output is what the command it shows
 * prints (so it can never go stale again), it names the Node version
 * package.json requires, and it never tells a user to `npx` a name that is not
 * installed (npx would fetch whatever package of that name the registry holds).
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** Every ```text block that starts with `$ command`: the command and the lines shown after it. */
function sampleBlocks(markdown: string): { command: string; shown: string[] }[] {
  const out: { command: string; shown: string[] }[] = [];
  for (const m of markdown.matchAll(/^```text\n\$ ([^\n]+)\n([\s\S]*?)^```$/gm)) out.push({ command: m[1]!, shown: m[2]!.replace(/\n$/, "").split("\n") });
  return out;
}

/**
 * Whether the output matches what the block shows: line for line, where a line
 * `…` stands for lines left out (the lines before it open the output, the lines
 * after it close it).
 */
function shownMatches(shown: readonly string[], output: readonly string[]): string | undefined {
  const gap = shown.indexOf("…");
  if (gap < 0) return shown.join("\n") === output.join("\n") ? undefined : "the block differs from the output";
  const head = shown.slice(0, gap);
  const tail = shown.slice(gap + 1);
  if (output.slice(0, head.length).join("\n") !== head.join("\n")) return "the lines before '…' do not open the output";
  if (output.slice(output.length - tail.length).join("\n") !== tail.join("\n")) return "the lines after '…' do not close the output";
  return undefined;
}

/** Where the README's import sample pretends to run: its output names the folder. */
const SHOWN_FOLDER = "/home/me/review";

/**
 * Runs a sample command as a user would: `npx review-lint …` in the checkout (npx finds the
 * installed copy); `review-import X.rm5` or `X.zip` (after `npm link`) in a fresh folder holding the public
 * review X.rm5 from ../shared/rm5 or the data package X.zip from ../shared/datapackage, so nothing is written into the checkout. Undefined (with one
 * printed line) when ../shared is not there outside CI.
 */
function runAsShown(command: string): { result: ReturnType<typeof spawnSync>; output: string[] } | undefined {
  const env = { ...process.env, npm_config_yes: "false", npm_config_offline: "true" };
  const imported = /^review-import (\S+\.(rm5|zip))$/.exec(command);
  if (!imported) {
    const result = spawnSync("sh", ["-c", command], { cwd: ROOT, encoding: "utf8", env });
    return { result, output: String(result.stdout).replace(/\n$/, "").split("\n") };
  }
  const file = path.resolve(ROOT, imported[2] === "zip" ? "../shared/datapackage" : "../shared/rm5", imported[1]!);
  if (!fs.existsSync(file)) {
    if (process.env.CI === "true") assert.fail(`${file} is missing: ../shared must be beside the project under CI`);
    console.log(`      not run: \`${command}\` needs ../shared/rm5 beside the project`);
    return undefined;
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "readme-import-"));
  try {
    fs.copyFileSync(file, path.join(folder, imported[1]!));
    const result = spawnSync(process.execPath, [path.join(ROOT, "dist/review-import.js"), imported[1]!], { cwd: folder, encoding: "utf8", env });
    const real = fs.realpathSync(folder);
    const output = String(result.stdout).replace(/\n$/, "").split("\n").map((l) => l.split(real).join(SHOWN_FOLDER).split(folder).join(SHOWN_FOLDER));
    return { result, output };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

describe("README", () => {
  it("its sample output is what the command it shows prints", function () {
    this.timeout(60000);
    const blocks = sampleBlocks(README);
    assert.ok(blocks.length > 0, "the README shows a command and its output");
    for (const { command, shown } of blocks) {
      const run = runAsShown(command);
      if (!run) continue;
      const r = run.result;
      assert.ok(r.status === 0 || r.status === 1, `${command}: exit ${r.status}\n${r.stderr}`);
      const output = run.output;
      const problem = shownMatches(shown, output);
      assert.equal(problem, undefined, `README.md's output of \`${command}\` is stale (${problem}). Paste this:\n${r.stdout}`);
    }
  });

  it("knows '…' stands for lines left out, and nothing else", () => {
    assert.equal(shownMatches(["a", "…", "d"], ["a", "b", "c", "d"]), undefined);
    assert.ok(shownMatches(["a", "…", "c"], ["a", "b", "c", "d"]));
    assert.ok(shownMatches(["a", "b"], ["a", "b", "c"]));
  });

  it("names the Node version package.json requires", () => {
    const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    const version = /^>=\s*(\d+\.\d+)(?:\.0)?$/.exec(engines)?.[1];
    assert.ok(version, `engines.node is '${engines}'`);
    assert.match(README, new RegExp(`Node\\.js ${version.replace(".", "\\.")} or later`));
  });

  it("says how to run the commands from any folder, and never to npx a name outside the checkout", () => {
    assert.match(README, /npm link/);
    for (const bin of ["review-lint", "review-import", "review-protocol-server"]) assert.match(README, new RegExp(`^${bin} `, "m"), `${bin} run by its name`);
    // `npx review-lint` in the checkout runs the installed copy (contract section 6); any other npx would go to the registry.
    const code = [...README.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!).concat([...README.replace(/^```[\s\S]*?^```$/gm, "").matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));
    const npx = code.flatMap((c) => [...c.matchAll(/\bnpx\b[^\n`]*/g)].map((m) => m[0])).filter((use) => use.trim() !== "npx" && !/^npx review-lint( |$)/.test(use));
    assert.deepEqual(npx, []);
  });
});
