/**
 * review-import FILE.rm5 [--out DIR] [--force] — contract section 9. Writes
 * DIR/<name>.protocol.yaml (and <name>.references.json), then recomputes every
 * analysis with the core and compares with the results RevMan stored.
 * Exit 0, 1 (written, some analyses do not reproduce), 2 (unreadable, truncated
 * or not RevMan XML, a row naming an undefined study, an existing output without
 * --force: nothing written).
 */
import * as nodePath from "node:path";
import { PACKAGE_FILE, protocolFile, referencesFile } from "../../../schemas/src/files";
import { codeOf } from "../service/workspace/file-system";
import { Workspace } from "../service/workspace/workspace";

import { terminalProgress } from "./progress";

const USAGE = `usage: review-import FILE.rm5|PACKAGE.zip|DIR [--out DIR] [--force] [--quiet]

Converts a RevMan 5 review, or a Cochrane data package (its ZIP, its data ZIP or
the folder either was extracted to), into a review protocol: DIR/${protocolFile("<name>")} and,
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
  const workspace = new Workspace();
  // A data package (a .zip or a folder) is read by the workspace file by file; a .rm5 as bytes.
  const pkg = workspace.isPackage(file);
  let bytes: Uint8Array | undefined;
  try {
    if (!pkg) bytes = workspace.readBytes(file);
  } catch (e) {
    return error(`review-import: ${unreadable(file, e as Error)}`), 2;
  }
  const dir = nodePath.resolve(out ?? nodePath.dirname(file));
  const name = pkg ? packageName(file) : nodePath.basename(file).replace(/\.rm5$/i, "");
  const progress = terminalProgress("review-import", { quiet });
  let imported;
  try {
    const steps = (fraction: number, step: string) => progress.update(fraction, step);
    imported = bytes ? workspace.importReview(bytes, name, dir, steps) : workspace.importPackage(file, name, dir, steps);
  } finally {
    progress.done();
  }
  if ("error" in imported) return error(`review-import: ${imported.file ?? file}${imported.line ? `:${imported.line}` : ""}: ${imported.error}`), 2;
  const saved = workspace.saveImport(dir, name, imported, force);
  if (saved.kind === "exists") {
    const paths = saved.paths;
    return error(`review-import: ${paths.map((p) => `'${p}'`).join(" and ")} already ${paths.length > 1 ? "exist" : "exists"}; nothing written (--force overwrites)`), 2;
  }
  if (saved.kind === "unwritable") return error(`review-import: cannot write to '${saved.dir}': ${saved.message}`), 2;
  const [protocol, references] = saved.paths;
  log(`wrote ${protocol}${references ? ` and ${nodePath.basename(references)}` : ""}`);
  for (const l of imported.summary) log(l);
  return imported.failures.length ? 1 : 0;
}

/** A package's output name: the ZIP's or the folder's. */
function packageName(file: string): string {
  return nodePath.basename(nodePath.resolve(file)).replace(PACKAGE_FILE, "");
}

/** Why a file cannot be read, in plain words. */
function unreadable(file: string, e: Error): string {
  const code = codeOf(e);
  if (code === "ENOENT") return `no such file: '${file}'`;
  if (code === "EISDIR") return `'${file}' is a folder, not a .rm5 file`;
  if (code === "EACCES" || code === "EPERM") return `cannot read '${file}': permission denied`;
  return `cannot read '${file}': ${e.message}`;
}

export function main(argv: string[]): number {
  return runImport(argv);
}
