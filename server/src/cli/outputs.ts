/**
 * review-lint's output folders (--plots, --results): made and tried before any
 * protocol is checked, so that a CI learns at once that its pictures or numbers
 * cannot be written (contract section 6), and written per protocol at its path
 * relative to the root.
 */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import { PLOT_FILES, protocolName, resultsFile } from "../../../schemas/src/files";
import type { ProtocolAnalysis } from "../core/analyzer/analyzer";
import { plots } from "../core/pictures/plots";
import { resultsJson } from "../core/model/results";

/** Why an output folder cannot be used, in words a user reads. */
export class OutputFolderError extends Error {}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  ENOTDIR: "a part of the path is a file, not a folder",
  ENOENT: "it cannot be created there",
  ENAMETOOLONG: "the path is too long",
  ELOOP: "the path has a loop of symbolic links",
};

function reason(e: unknown, at: string): string {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return `${REASONS[code] ?? (e as Error).message} ('${at}')`;
}

/**
 * Makes a folder and its missing parents, one at a time. Node's own recursive
 * mkdir never returns on some paths (`/proc/x`: the parent exists, the child can
 * never be made, and it retries for ever); here every failure is reported.
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let at = nodePath.resolve(dir); ; ) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(at);
    } catch (e) {
      // Missing (or below a file, which the walk up then names): make it after its parents.
      const parent = nodePath.dirname(at);
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === at) throw new OutputFolderError(reason(e, at));
      missing.push(at);
      at = parent;
      continue;
    }
    if (!stat.isDirectory()) throw new OutputFolderError(`'${at}' is a file, not a folder`);
    break;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      fs.mkdirSync(missing[i]!);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new OutputFolderError(reason(e, missing[i]!));
    }
  }
}

/** Makes the folder and writes (and removes) a file in it: what --plots and --results will need. */
export function prepareOutputFolder(dir: string): void {
  makeFolder(dir);
  const probe = nodePath.join(dir, `.review-lint-${process.pid}`);
  try {
    fs.writeFileSync(probe, "");
    fs.rmSync(probe, { force: true });
  } catch (e) {
    throw new OutputFolderError(reason(e, nodePath.resolve(dir)));
  }
}

/** Where a protocol's outputs go under OUTDIR: its path relative to the root, without `.protocol.yaml`. */
function outputBase(outDir: string, root: string, file: string): string {
  const abs = nodePath.resolve(file);
  const rel = nodePath.relative(root, abs);
  const inside = rel && !rel.startsWith("..") && !nodePath.isAbsolute(rel);
  const name = protocolName(inside ? rel : nodePath.basename(abs));
  return nodePath.join(outDir, name);
}

/** Writes a protocol's risk-of-bias plots, outcome matrix, forest and funnel plots, summary of findings tables and flow diagram under OUTDIR. Throws on failure. */
export function writePlots(outDir: string, root: string, file: string, analysis: ProtocolAnalysis, weighted: boolean): void {
  const dir = outputBase(outDir, root, file);
  makeFolder(dir);
  const svg = plots(analysis, weighted);
  fs.writeFileSync(nodePath.join(dir, PLOT_FILES.trafficLight()), svg.trafficLight);
  fs.writeFileSync(nodePath.join(dir, PLOT_FILES.summary()), svg.summary);
  // Studies judged with another tool (bias.by_design) get their own pictures.
  for (const other of svg.rob.slice(1)) {
    fs.writeFileSync(nodePath.join(dir, PLOT_FILES.trafficLight(other.tool)), other.trafficLight);
    fs.writeFileSync(nodePath.join(dir, PLOT_FILES.summary(other.tool)), other.summary);
  }
  fs.writeFileSync(nodePath.join(dir, PLOT_FILES.outcomeMatrix), svg.matrix);
  const written = new Set<string>();
  for (const [i, a] of analysis.metaAnalyses.entries()) {
    // An id that is not a slug, or used twice (a duplicate-id error), names no file.
    if (!/^[a-z0-9][a-z0-9-]*$/.test(a.id) || written.has(a.id)) continue;
    written.add(a.id);
    fs.writeFileSync(nodePath.join(dir, PLOT_FILES.forest(a.id)), svg.forests[i]!.svg);
    fs.writeFileSync(nodePath.join(dir, PLOT_FILES.funnel(a.id)), svg.funnels[i]!.svg);
  }
  for (const t of svg.summaries) {
    // Arm ids that are not slugs name no file (their schema error says why).
    if (/^[a-z0-9][a-z0-9-]*$/.test(t.experimental) && /^[a-z0-9][a-z0-9-]*$/.test(t.control)) fs.writeFileSync(nodePath.join(dir, PLOT_FILES.summaryOfFindings(t.experimental, t.control)), t.page);
  }
  if (svg.prismaFlow) fs.writeFileSync(nodePath.join(dir, PLOT_FILES.prismaFlow), svg.prismaFlow);
}

/** Writes `<name>.results.json` with every analysis's numbers under OUTDIR; returns its path. Throws on failure. */
export function writeResults(outDir: string, root: string, file: string, analysis: ProtocolAnalysis): string {
  const target = resultsFile(outputBase(outDir, root, file));
  makeFolder(nodePath.dirname(target));
  const protocol = nodePath.relative(root, nodePath.resolve(file)).split(nodePath.sep).join("/");
  fs.writeFileSync(target, JSON.stringify(resultsJson(protocol, analysis.metaAnalyses), null, 2) + "\n");
  return target;
}
