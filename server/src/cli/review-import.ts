/**
 * review-import FILE.rm5 [--out DIR] [--force] — contract section 9. Writes
 * DIR/<name>.protocol.yaml (and <name>.references.json), then recomputes every
 * analysis with the core and compares with the results RevMan stored.
 * Exit 0, 1 (written, some analyses do not reproduce), 2 (unreadable, truncated
 * or not RevMan XML, a row naming an undefined study, an existing output without
 * --force: nothing written).
 */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import { protocolFile, referencesFile } from "../../../schemas/src/files";
import { ImportError } from "../core/revman/import";
import { runImport as convert, type ImportRun } from "../core/analyzer/import-check";
import { Rm5Error } from "../core/revman/rm5";
import { terminalProgress } from "./progress";

const USAGE = `usage: review-import FILE.rm5 [--out DIR] [--force] [--quiet]

Converts a RevMan 5 review into a review protocol: DIR/${protocolFile("<name>")} and,
when the review has references, DIR/${referencesFile("<name>")} (CSL-JSON). DIR is the
file's folder by default. Every analysis is then recomputed and compared with the
results RevMan stored in the file.

  --out DIR   where to write
  --force     overwrite existing files
  --quiet     no progress line (shown on a terminal when the import takes over a second)
  -h, --help  show this help
`;

/** Runs an import; returns the exit status. `log` and `error` print lines. */
function runImport(argv: string[], log: (s: string) => void = (s) => process.stdout.write(s + "\n"), error: (s: string) => void = (s) => process.stderr.write(s + "\n")): number {
  let file: string | undefined;
  let out: string | undefined;
  let force = false;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-h" || a === "--help") return log(USAGE.trimEnd()), 0;
    if (a === "--force") force = true;
    else if (a === "--quiet") quiet = true;
    else if (a === "--out" || a.startsWith("--out=")) {
      out = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (!out) return error(`review-import: --out needs a folder\n${USAGE}`), 2;
    } else if (a.startsWith("-")) return error(`review-import: unknown option '${a}'\n${USAGE}`), 2;
    else if (file) return error(`review-import: one file at a time ('${file}', '${a}')`), 2;
    else file = a;
  }
  if (!file) return error(`review-import: which .rm5 file?\n${USAGE}`), 2;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return error(`review-import: ${unreadable(file, e as NodeJS.ErrnoException)}`), 2;
  }
  const dir = nodePath.resolve(out ?? nodePath.dirname(file));
  const name = nodePath.basename(file).replace(/\.rm5$/i, "");
  let run: ImportRun;
  const progress = terminalProgress("review-import", { quiet });
  try {
    run = convert(bytes, name, dir, (fraction, step) => progress.update(fraction, step));
  } catch (e) {
    if (e instanceof Rm5Error || e instanceof ImportError) return progress.done(), error(`review-import: ${file}:${e.line}: ${e.message}`), 2;
    throw e;
  } finally {
    progress.done();
  }
  const { result } = run;
  const protocolPath = nodePath.join(dir, protocolFile(name));
  const referencesPath = nodePath.join(dir, referencesFile(name));
  const targets: [string, string][] = [[protocolPath, result.protocol], ...(result.references ? [[referencesPath, result.references] as [string, string]] : [])];
  if (!force) {
    const existing = targets.filter(([p]) => fs.existsSync(p)).map(([p]) => p);
    if (existing.length) return error(`review-import: ${existing.map((p) => `'${p}'`).join(" and ")} already ${existing.length > 1 ? "exist" : "exists"}; nothing written (--force overwrites)`), 2;
  }
  // Nothing half-written: every file goes to a temporary name first, then all are renamed.
  try {
    fs.mkdirSync(dir, { recursive: true });
    const temps = targets.map(([p, text]) => {
      const tmp = nodePath.join(dir, `.${nodePath.basename(p)}.${process.pid}.tmp`);
      fs.writeFileSync(tmp, text);
      return [tmp, p] as const;
    });
    for (const [tmp, p] of temps) fs.renameSync(tmp, p);
  } catch (e) {
    return error(`review-import: cannot write to '${dir}': ${(e as Error).message}`), 2;
  }
  log(`wrote ${protocolPath}${result.references ? ` and ${nodePath.basename(referencesPath)}` : ""}`);
  for (const l of run.summary) log(l);
  return run.check.failures.length ? 1 : 0;
}

/** Why a file cannot be read, in plain words. */
function unreadable(file: string, e: NodeJS.ErrnoException): string {
  if (e.code === "ENOENT") return `no such file: '${file}'`;
  if (e.code === "EISDIR") return `'${file}' is a folder, not a .rm5 file`;
  if (e.code === "EACCES" || e.code === "EPERM") return `cannot read '${file}': permission denied`;
  return `cannot read '${file}': ${e.message}`;
}

export function main(argv: string[]): number {
  return runImport(argv);
}
