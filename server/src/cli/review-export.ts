/**
 * review-export PROTOCOL --format rm5|datapackage [--out DIR] [--force] —
 * contract section 10. Command-line glue: the workspace reads and checks the
 * protocol (under its root's settings file), exports it and saves the files,
 * all or none; this parses the arguments and says what happened. Exit 0 (written), 2 (bad usage, an
 * unreadable file, a protocol with errors, an existing output without --force:
 * nothing written).
 */
import * as nodePath from "node:path";
import { PROTOCOL_FILE, PROTOCOL_FILE_PATTERNS } from "../../../schemas/src/files";
import { EXPORT_FORMATS, type ExportFormat } from "../service/workspace/export";
import { Workspace } from "../service/workspace/workspace";

const USAGE = `usage: review-export PROTOCOL --format rm5|datapackage [--out DIR] [--force]

Writes a review protocol as a RevMan 5 file (<name>.rm5) or a version-1 Cochrane
data package (<ID>-datapackage.zip), every stored result filled from the
protocol's analyses. DIR is the protocol's folder by default.

  --format F  rm5 or datapackage
  --out DIR   where to write
  --force     overwrite existing files
  -h, --help  show this help
`;

interface Args {
  file: string;
  format: ExportFormat;
  out?: string;
  force: boolean;
}

/** The arguments, or the message and status to exit with. */
function parseArgs(argv: string[]): Args | { message: string; status: number } {
  let file: string | undefined;
  let format: string | undefined;
  let out: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (name: string) => (a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i]) ?? `--${name}`;
    if (a === "-h" || a === "--help") return { message: USAGE.trimEnd(), status: 0 };
    if (a === "--force") force = true;
    else if (a === "--out" || a.startsWith("--out=")) out = value("out");
    else if (a === "--format" || a.startsWith("--format=")) format = value("format");
    else if (a.startsWith("-")) return { message: `review-export: unknown option '${a}'\n${USAGE}`, status: 2 };
    else if (file) return { message: `review-export: one protocol at a time ('${file}', '${a}')`, status: 2 };
    else file = a;
  }
  if (!file) return { message: `review-export: which protocol?\n${USAGE}`, status: 2 };
  if (!PROTOCOL_FILE.test(file)) return { message: `review-export: '${file}' is not a protocol (${PROTOCOL_FILE_PATTERNS.join(", ")})`, status: 2 };
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) return { message: `review-export: --format must be ${EXPORT_FORMATS.join(" or ")}${format ? `, not '${format}'` : ""}\n${USAGE}`, status: 2 };
  if (out?.startsWith("--")) return { message: `review-export: --out needs a folder\n${USAGE}`, status: 2 };
  return { file, format: format as ExportFormat, out, force };
}

export function main(argv: string[], log: (s: string) => void = (s) => process.stdout.write(s + "\n"), error: (s: string) => void = (s) => process.stderr.write(s + "\n")): number {
  const args = parseArgs(argv);
  if ("message" in args) return (args.status ? error : log)(args.message), args.status;
  const path = nodePath.resolve(args.file);
  const workspace = new Workspace();
  if (!workspace.exists(path)) return error(`review-export: cannot read '${args.file}': no such file`), 2;
  const result = workspace.exportFile(path, nodePath.dirname(path), args.format);
  if (!result) return error(`review-export: cannot read '${args.file}'`), 2;
  if ("errors" in result) return error(`review-export: ${args.file} has errors; nothing written (review-lint lists them):\n${result.errors.slice(0, 20).map((e) => `${args.file}:${e}`).join("\n")}`), 2;
  const dir = nodePath.resolve(args.out ?? nodePath.dirname(path));
  const saved = workspace.saveFiles(dir, result.files.map((f) => ({ name: f.name, content: f.bytes })), args.force);
  if (saved.kind === "exists") return error(`review-export: '${saved.paths[0]}' already exists; nothing written (--force overwrites)`), 2;
  if (saved.kind === "unwritable") return error(`review-export: cannot write to '${saved.dir}': ${saved.message}`), 2;
  for (const p of saved.paths) log(`wrote ${p}`);
  for (const n of result.notes) log(`note: ${n}`);
  return 0;
}
