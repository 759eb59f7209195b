/**
 * review-lint [paths…] [--root DIR] [--format text|json|sarif] [--no-info] [--severity CODE=LEVEL]… [--plots OUTDIR] [--results OUTDIR]
 * Contract section 6. Exit status: 0 no errors, 1 errors, 2 bad usage, an
 * unreadable path or folder, a folder with no protocol, a file given by name
 * that is not a protocol, or an output folder that cannot be written.
 */
import * as nodePath from "node:path";
import { PLOT_FILES, PROTOCOL_FILE_PATTERNS, resultsFile } from "../../../schemas/src/files";
import { ALL_CODES, type Code } from "../core/checks/diagnostics";
import { appendAll } from "../core/syntax/arrays";
import { DEFAULT_SETTINGS, type Settings } from "../service/settings";
import { OutputFolderError } from "../service/workspace/outputs";
import type { PathProblem } from "../service/workspace/protocol-files";
import { Workspace, type CheckedFile } from "../service/workspace/workspace";
import { formatJson, formatSarif, formatText } from "./format";
import { terminalProgress, type TerminalProgress } from "./progress";

const LEVELS = ["error", "warning", "information", "hint", "off"] as const;
type Level = (typeof LEVELS)[number];

const USAGE = `usage: review-lint [paths…] [--root DIR] [--format text|json|sarif] [--no-info] [--severity CODE=LEVEL]… [--plots OUTDIR [--weighted]] [--results OUTDIR] [--quiet]

Validates systematic-review protocols (${PROTOCOL_FILE_PATTERNS.join(", ")}).
Folders are searched for protocol files. Sources are read only inside --root
(default: the current folder).

  --root DIR             the workspace: source files outside it are refused
  --format FORMAT        text (default), json (LSP-style 0-based ranges) or sarif
  --no-info              leave out information diagnostics (PRISMA-P, missing support, …)
  --severity CODE=LEVEL  report CODE as LEVEL (error, warning, information, hint or off) in this
                         run, over review-protocol.json; repeat it for several codes
  --plots OUTDIR         write ${PLOT_FILES.trafficLight()}, ${PLOT_FILES.summary()}, ${PLOT_FILES.outcomeMatrix},
                         ${PLOT_FILES.forest("<analysis id>")}, ${PLOT_FILES.funnel("<analysis id>")},
                         ${PLOT_FILES.summaryOfFindings("<experimental>", "<control>")} (certainty) and
                         ${PLOT_FILES.prismaFlow} (flow) of each protocol in OUTDIR/<its folder>/<name>/
  --weighted             weight the summary plot by participants
  --results OUTDIR       write every analysis's numbers to OUTDIR/<its folder>/${resultsFile("<name>")}
  --quiet                no progress line (shown on a terminal when the run takes over a second)
  -h, --help             show this help

Exit status: 0 no errors; 1 at least one error; 2 bad usage, a path or folder that
cannot be read, a folder with no protocol, a file given by name that is not a
protocol, or an output folder that cannot be written.
`;

interface Options {
  paths: string[];
  root: string;
  format: "text" | "json" | "sarif";
  info: boolean;
  plots?: string;
  results?: string;
  weighted: boolean;
  quiet: boolean;
  severity: Partial<Record<Code, Level>>;
}

class UsageError extends Error {}

/** `CODE=LEVEL` of --severity, checked against the codes and levels there are. */
function severityOption(value: string, into: Options["severity"]): void {
  const eq = value.indexOf("=");
  const code = eq < 0 ? value : value.slice(0, eq);
  const level = eq < 0 ? "" : value.slice(eq + 1);
  if (eq < 0) throw new UsageError(`--severity needs CODE=LEVEL (e.g. missing-bias-support=off), not '${value}'`);
  if (!(ALL_CODES as string[]).includes(code)) throw new UsageError(`unknown code '${code}' in --severity; the codes are: ${ALL_CODES.join(", ")}`);
  if (!(LEVELS as readonly string[]).includes(level)) throw new UsageError(`unknown level '${level}' in --severity; the levels are: ${LEVELS.join(", ")}`);
  into[code as Code] = level as Level;
}

function parseArgs(argv: string[]): Options | "help" {
  const opts: Options = { paths: [], root: ".", format: "text", info: true, weighted: false, quiet: false, severity: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (name: string) => {
      const eq = a.indexOf("=");
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (a === "-h" || a === "--help") return "help";
    else if (a === "--root" || a.startsWith("--root=")) opts.root = value("--root");
    else if (a === "--format" || a.startsWith("--format=")) {
      const f = value("--format");
      if (f !== "text" && f !== "json" && f !== "sarif") throw new UsageError(`unknown format '${f}' (text, json or sarif)`);
      opts.format = f;
    } else if (a === "--no-info") opts.info = false;
    else if (a === "--severity" || a.startsWith("--severity=")) severityOption(value("--severity"), opts.severity);
    else if (a === "--plots" || a.startsWith("--plots=")) opts.plots = value("--plots");
    else if (a === "--weighted") opts.weighted = true;
    else if (a === "--quiet") opts.quiet = true;
    else if (a === "--results" || a.startsWith("--results=")) opts.results = value("--results");
    else if (a === "--") {
      appendAll(opts.paths, argv.slice(i + 1));
      i = argv.length;
    } else if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option '${a}'`);
    else opts.paths.push(a);
  }
  if (!opts.paths.length) opts.paths.push(".");
  return opts;
}

/** Each output folder made and tried before anything is checked: false (with the reason on stderr) when one cannot be written. */
function outputFoldersReady(workspace: Workspace, opts: Options): boolean {
  const outputs: [string, string | undefined][] = [
    ["plots", opts.plots],
    ["results", opts.results],
  ];
  for (const [what, dir] of outputs) {
    if (dir === undefined) continue;
    try {
      workspace.prepareOutputFolder(dir);
    } catch (e) {
      if (!(e instanceof OutputFolderError)) throw e;
      process.stderr.write(`review-lint: cannot write ${what} to '${dir}': ${e.message}\n`);
      return false;
    }
  }
  return true;
}

/** A path the command line named that could not be used, as review-lint says it. */
function problemMessage(problem: PathProblem): string {
  switch (problem.kind) {
    case "unreadable":
      return `cannot read '${problem.path}'`;
    case "unreadable-folder":
      return `cannot read folder '${problem.path}': its protocols are not checked`;
    case "no-protocol":
      return `no protocol under ${problem.path} (${PROTOCOL_FILE_PATTERNS.join(" or ")})`;
    case "not-a-protocol":
      return `'${problem.path}' is not a protocol (${PROTOCOL_FILE_PATTERNS.join(" or ")})`;
  }
}

/** Writes the plots and results each protocol asks for; false when one could not be written (reason on stderr). */
function writeOutputs(workspace: Workspace, opts: Options, root: string, reports: readonly CheckedFile[], progress: TerminalProgress): boolean {
  let ok = true;
  for (const [i, report] of reports.entries()) {
    if (!report.analysis) continue;
    progress.update(i / reports.length, `writing ${opts.plots !== undefined ? "plots" : "results"} of ${report.file}`);
    if (opts.plots !== undefined) {
      try {
        workspace.writePlots(opts.plots, root, report.file, report.analysis, opts.weighted);
      } catch (e) {
        progress.done();
        process.stderr.write(`review-lint: cannot write the plots of '${report.file}' to '${opts.plots}': ${(e as Error).message}\n`);
        ok = false;
      }
    }
    if (opts.results !== undefined) {
      try {
        workspace.writeResults(opts.results, root, report.file, report.analysis);
      } catch (e) {
        progress.done();
        process.stderr.write(`review-lint: cannot write the results of '${report.file}' to '${opts.results}': ${(e as Error).message}\n`);
        ok = false;
      }
    }
  }
  return ok;
}

export function main(argv: string[]): number {
  let opts: Options | "help";
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`review-lint: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (opts === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const workspace = new Workspace();
  const root = nodePath.resolve(opts.root);
  if (!workspace.isFolder(root)) {
    process.stderr.write(`review-lint: --root ${opts.root} is not a folder\n`);
    return 2;
  }
  if (!outputFoldersReady(workspace, opts)) return 2;
  const { files, problems } = workspace.protocolFiles(opts.paths);
  for (const problem of problems) process.stderr.write(`review-lint: ${problemMessage(problem)}\n`);
  let unreadable = problems.length > 0;
  const reports: CheckedFile[] = [];
  // review-protocol.json at the root: the same settings the editor reads; --severity over it, as the editor's settings are.
  const overrides: Settings = { ...DEFAULT_SETTINGS, severity: opts.severity };
  const { settings, file: settingsFile } = workspace.settings(root, overrides);
  const settingsProblem = workspace.settingsReport(settingsFile);
  if (settingsProblem) reports.push(settingsProblem);
  const progress = terminalProgress("review-lint", { quiet: opts.quiet });
  for (const [i, file] of files.entries()) {
    progress.update(i / files.length, `checking ${i + 1} of ${files.length}: ${file}`);
    const report = workspace.checkFile(file, root, settings);
    if (!report) {
      progress.done();
      process.stderr.write(`review-lint: cannot read '${file}'\n`);
      unreadable = true;
      continue;
    }
    if (!opts.info) report.diagnostics = report.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
    reports.push(report);
  }
  if (!writeOutputs(workspace, opts, root, reports, progress)) unreadable = true;
  progress.done();
  const output = opts.format === "json" ? formatJson(reports) : opts.format === "sarif" ? formatSarif(reports, root) : formatText(reports);
  process.stdout.write(output);
  if (unreadable) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === "error")) ? 1 : 0;
}
