/**
 * Pictures and results written to an output folder (review-lint's --plots and
 * --results): the folder made and tried before any protocol is checked, so
 * that a CI learns at once that its outputs cannot be written (contract section
 * 6), and each protocol's outputs at its path relative to the root.
 */
import * as nodePath from "node:path";
import { PLOT_FILES, protocolName, resultsFile } from "../../../../schemas/src/files";
import type { ProtocolAnalysis } from "../../core/analyzer/analyzer";
import { plots } from "../../core/pictures/plots";
import { resultsJson } from "../../core/model/results";
import { codeOf, reasonOf, type FileStat, type WorkspaceFileSystem } from "./file-system";

/** Why an output folder cannot be used, in words a user reads. */
export class OutputFolderError extends Error {}

/**
 * Makes a folder and its missing parents, one at a time. Node's own recursive
 * mkdir never returns on some paths (`/proc/x`: the parent exists, the child can
 * never be made, and it retries for ever); here every failure is reported.
 */
function makeFolder(fs: WorkspaceFileSystem, dir: string): void {
  const missing: string[] = [];
  for (let at = nodePath.resolve(dir); ; ) {
    let stat: FileStat;
    try {
      stat = fs.stat(at);
    } catch (e) {
      // Missing (or below a file, which the walk up then names): make it after its parents.
      const parent = nodePath.dirname(at);
      const code = codeOf(e);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === at) throw new OutputFolderError(reasonOf(e, at));
      missing.push(at);
      at = parent;
      continue;
    }
    if (!stat.isDirectory) throw new OutputFolderError(`'${at}' is a file, not a folder`);
    break;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      fs.makeFolder(missing[i]!);
    } catch (e) {
      if (codeOf(e) !== "EEXIST") throw new OutputFolderError(reasonOf(e, missing[i]!));
    }
  }
}

/** Makes the folder and writes (and removes) a file in it: what --plots and --results will need. */
export function prepareOutputFolder(fs: WorkspaceFileSystem, dir: string, pid: number): void {
  makeFolder(fs, dir);
  const probe = nodePath.join(dir, `.review-lint-${pid}`);
  try {
    fs.writeFile(probe, "");
    fs.remove(probe);
  } catch (e) {
    throw new OutputFolderError(reasonOf(e, nodePath.resolve(dir)));
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
export function writePlots(fs: WorkspaceFileSystem, outDir: string, root: string, file: string, analysis: ProtocolAnalysis, weighted: boolean): void {
  const dir = outputBase(outDir, root, file);
  makeFolder(fs, dir);
  const svg = plots(analysis, weighted);
  fs.writeFile(nodePath.join(dir, PLOT_FILES.trafficLight()), svg.trafficLight);
  fs.writeFile(nodePath.join(dir, PLOT_FILES.summary()), svg.summary);
  // Studies judged with another tool (bias.by_design) get their own pictures.
  for (const other of svg.rob.slice(1)) {
    fs.writeFile(nodePath.join(dir, PLOT_FILES.trafficLight(other.tool)), other.trafficLight);
    fs.writeFile(nodePath.join(dir, PLOT_FILES.summary(other.tool)), other.summary);
  }
  fs.writeFile(nodePath.join(dir, PLOT_FILES.outcomeMatrix), svg.matrix);
  const written = new Set<string>();
  for (const [i, a] of analysis.metaAnalyses.entries()) {
    // An id that is not a slug, or used twice (a duplicate-id error), names no file.
    if (!/^[a-z0-9][a-z0-9-]*$/.test(a.id) || written.has(a.id)) continue;
    written.add(a.id);
    fs.writeFile(nodePath.join(dir, PLOT_FILES.forest(a.id)), svg.forests[i]!.svg);
    fs.writeFile(nodePath.join(dir, PLOT_FILES.funnel(a.id)), svg.funnels[i]!.svg);
  }
  for (const t of svg.summaries) {
    // Arm ids that are not slugs name no file (their schema error says why).
    if (/^[a-z0-9][a-z0-9-]*$/.test(t.experimental) && /^[a-z0-9][a-z0-9-]*$/.test(t.control)) fs.writeFile(nodePath.join(dir, PLOT_FILES.summaryOfFindings(t.experimental, t.control)), t.page);
  }
  if (svg.prismaFlow) fs.writeFile(nodePath.join(dir, PLOT_FILES.prismaFlow), svg.prismaFlow);
}

/** Writes `<name>.results.json` with every analysis's numbers under OUTDIR; returns its path. Throws on failure. */
export function writeResults(fs: WorkspaceFileSystem, outDir: string, root: string, file: string, analysis: ProtocolAnalysis): string {
  const target = resultsFile(outputBase(outDir, root, file));
  makeFolder(fs, nodePath.dirname(target));
  const protocol = nodePath.relative(root, nodePath.resolve(file)).split(nodePath.sep).join("/");
  fs.writeFile(target, JSON.stringify(resultsJson(protocol, analysis.metaAnalyses), null, 2) + "\n");
  return target;
}
