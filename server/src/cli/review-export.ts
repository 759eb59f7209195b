/**
 * review-export PROTOCOL --format rm5|datapackage [--out DIR] [--force] —
 * contract section 10. Command-line glue: the export is the service's
 * (service/export.ts); this reads the protocol, writes what comes back and says
 * what could not be exported as written. Exit 0 (written), 2 (bad usage, an
 * unreadable file, a protocol with errors, an existing output without --force:
 * nothing written).
 */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import { PROTOCOL_FILE, PROTOCOL_FILE_PATTERNS } from "../../../schemas/src/files";
import { EXPORT_FORMATS, exportProtocol, type ExportFormat } from "../service/export";

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
  let text: string;
  try {
    text = fs.readFileSync(args.file, "utf8");
  } catch (e) {
    return error(`review-export: cannot read '${args.file}': ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`), 2;
  }
  const path = nodePath.resolve(args.file);
  const result = exportProtocol(text, path, nodePath.dirname(path), args.format);
  if ("errors" in result) return error(`review-export: ${args.file} has errors; nothing written (review-lint lists them):\n${result.errors.slice(0, 20).map((e) => `${args.file}:${e}`).join("\n")}`), 2;
  const dir = nodePath.resolve(args.out ?? nodePath.dirname(path));
  const targets = result.files.map((f) => ({ path: nodePath.join(dir, f.name), bytes: f.bytes }));
  const existing = targets.filter((t) => fs.existsSync(t.path));
  if (existing.length && !args.force) return error(`review-export: '${existing[0]!.path}' already exists; nothing written (--force overwrites)`), 2;
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const t of targets) {
      // Never half-written: a temporary name, then renamed.
      const tmp = nodePath.join(dir, `.${nodePath.basename(t.path)}.${process.pid}.tmp`);
      fs.writeFileSync(tmp, t.bytes);
      fs.renameSync(tmp, t.path);
    }
  } catch (e) {
    return error(`review-export: cannot write to '${dir}': ${(e as Error).message}`), 2;
  }
  for (const t of targets) log(`wrote ${t.path}`);
  for (const n of result.notes) log(`note: ${n}`);
  return 0;
}
