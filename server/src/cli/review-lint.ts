/**
 * review-lint [paths…] [--root DIR] [--format text|json|sarif] [--no-info] [--plots OUTDIR] [--results OUTDIR]
 * Contract section 6. Exit status: 0 no errors, 1 errors, 2 bad usage, an
 * unreadable path or folder, or a file given by name that is not a protocol.
 */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import { lintFile, workspaceSettings, type FileReport } from "./lint";
import { formatJson, formatSarif, formatText } from "./format";
import { forestSvg } from "../core/forest";
import { plots } from "../core/plots";
import { resultsJson } from "../core/results";
import { appendAll } from "../core/arrays";

const USAGE = `usage: review-lint [paths…] [--root DIR] [--format text|json|sarif] [--no-info] [--plots OUTDIR [--weighted]] [--results OUTDIR]

Validates systematic-review protocols (*.protocol.yaml, *.protocol.yml).
Folders are searched for protocol files. Sources are read only inside --root
(default: the current folder).

  --root DIR        the workspace: source files outside it are refused
  --format FORMAT   text (default), json (LSP-style 0-based ranges) or sarif
  --no-info         leave out information diagnostics (PRISMA-P, missing support, …)
  --plots OUTDIR    write rob-traffic-light.svg, rob-summary.svg, outcome-matrix.svg and
                    forest-<analysis id>.svg of each protocol in OUTDIR/<its folder>/<name>/
  --weighted        weight the summary plot by participants
  --results OUTDIR  write every analysis's numbers to OUTDIR/<its folder>/<name>.results.json
  -h, --help        show this help
`;

interface Options {
  paths: string[];
  root: string;
  format: "text" | "json" | "sarif";
  info: boolean;
  plots?: string;
  results?: string;
  weighted: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options | "help" {
  const opts: Options = { paths: [], root: ".", format: "text", info: true, weighted: false };
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
    else if (a === "--plots" || a.startsWith("--plots=")) opts.plots = value("--plots");
    else if (a === "--weighted") opts.weighted = true;
    else if (a === "--results" || a.startsWith("--results=")) opts.results = value("--results");
    else if (a === "--") {
      appendAll(opts.paths, argv.slice(i + 1));
      i = argv.length;
    }
    else if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option '${a}'`);
    else opts.paths.push(a);
  }
  if (!opts.paths.length) opts.paths.push(".");
  return opts;
}

const PROTOCOL_FILE = /\.protocol\.ya?ml$/;
const SKIPPED_FOLDERS = new Set(["node_modules", ".git"]);

/**
 * Protocol files below a folder, in a stable order; symbolic links are not
 * followed. A folder that cannot be read is returned in `unreadable`: a CI must
 * never pass on protocols it did not see.
 */
function findProtocols(dir: string, out: string[], unreadable: string[]): void {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    unreadable.push(dir);
    return;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    const p = nodePath.join(dir, d.name);
    if (d.isDirectory() && !SKIPPED_FOLDERS.has(d.name)) findProtocols(p, out, unreadable);
    else if (d.isFile() && PROTOCOL_FILE.test(d.name)) out.push(p);
  }
}

/** Where a protocol's outputs go under OUTDIR: its path relative to the root, without `.protocol.yaml`. */
function outputBase(outDir: string, root: string, file: string): string {
  const abs = nodePath.resolve(file);
  const rel = nodePath.relative(root, abs);
  const inside = rel && !rel.startsWith("..") && !nodePath.isAbsolute(rel);
  const name = (inside ? rel : nodePath.basename(abs)).replace(/\.protocol\.ya?ml$/, "");
  return nodePath.join(outDir, name);
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
  const root = nodePath.resolve(opts.root);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    process.stderr.write(`review-lint: --root ${opts.root} is not a folder\n`);
    return 2;
  }
  const files: string[] = [];
  let unreadable = false;
  for (const p of opts.paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      process.stderr.write(`review-lint: cannot read '${p}'\n`);
      unreadable = true;
      continue;
    }
    if (stat.isDirectory()) {
      const folders: string[] = [];
      findProtocols(p, files, folders);
      for (const f of folders) process.stderr.write(`review-lint: cannot read folder '${f}': its protocols are not checked\n`);
      if (folders.length) unreadable = true;
    } else if (!PROTOCOL_FILE.test(p)) {
      process.stderr.write(`review-lint: '${p}' is not a protocol (*.protocol.yaml or *.protocol.yml)\n`);
      unreadable = true;
    } else files.push(p);
  }
  const reports: FileReport[] = [];
  // review-protocol.json at the root: the same settings the editor reads.
  const workspace = workspaceSettings(root);
  if (workspace.problem) reports.push(workspace.problem);
  for (const file of files) {
    const report = lintFile(file, root, workspace.settings);
    if (!report) {
      process.stderr.write(`review-lint: cannot read '${file}'\n`);
      unreadable = true;
      continue;
    }
    if (!opts.info) report.diagnostics = report.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
    reports.push(report);
  }
  const protocols = reports.filter((r) => r.analysis);
  if (opts.plots !== undefined) {
    for (const report of protocols) {
      const dir = outputBase(opts.plots, root, report.file);
      try {
        fs.mkdirSync(dir, { recursive: true });
        const svg = plots(report.analysis, opts.weighted);
        fs.writeFileSync(nodePath.join(dir, "rob-traffic-light.svg"), svg.trafficLight);
        fs.writeFileSync(nodePath.join(dir, "rob-summary.svg"), svg.summary);
        // Studies judged with another tool (bias.by_design) get their own pictures.
        for (const other of svg.rob.slice(1)) {
          fs.writeFileSync(nodePath.join(dir, `rob-traffic-light-${other.tool}.svg`), other.trafficLight);
          fs.writeFileSync(nodePath.join(dir, `rob-summary-${other.tool}.svg`), other.summary);
        }
        fs.writeFileSync(nodePath.join(dir, "outcome-matrix.svg"), svg.matrix);
        const written = new Set<string>();
        for (const a of report.analysis.analyses) {
          // An id that is not a slug, or used twice (a duplicate-id error), names no file.
          if (!/^[a-z0-9][a-z0-9-]*$/.test(a.id) || written.has(a.id)) continue;
          written.add(a.id);
          fs.writeFileSync(nodePath.join(dir, `forest-${a.id}.svg`), forestSvg(a, armLabels(a.compare.map((c) => c.id))));
        }
      } catch (e) {
        process.stderr.write(`review-lint: cannot write plots to '${dir}': ${(e as Error).message}\n`);
        unreadable = true;
      }
    }
  }
  if (opts.results !== undefined) {
    for (const report of protocols) {
      const file = `${outputBase(opts.results, root, report.file)}.results.json`;
      try {
        fs.mkdirSync(nodePath.dirname(file), { recursive: true });
        const protocol = nodePath.relative(root, nodePath.resolve(report.file)).split(nodePath.sep).join("/");
        fs.writeFileSync(file, JSON.stringify(resultsJson(protocol, report.analysis.analyses), null, 2) + "\n");
      } catch (e) {
        process.stderr.write(`review-lint: cannot write results to '${file}': ${(e as Error).message}\n`);
        unreadable = true;
      }
    }
  }
  const output = opts.format === "json" ? formatJson(reports) : opts.format === "sarif" ? formatSarif(reports, root) : formatText(reports);
  process.stdout.write(output);
  if (unreadable) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === "error")) ? 1 : 0;
}



/** The arms' names for "Favours …": the intervention's and comparator's ids (their descriptions are often sentences). */
function armLabels(ids: string[]): [string, string] {
  return [ids[0] ?? "experimental", ids[1] ?? "control"];
}
