/**
 * The CSV files of a data package (RFC 4180: comma-separated, double quotes,
 * quoted fields over several lines; UTF-8 with or without a BOM), each record
 * with the line it starts on, so that every complaint names the file and line.
 */

/** A file of the package the import cannot read: where (the path inside the package) and the line. */
export class PackageError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface CsvRecord {
  line: number;
  /** Column name -> text (a missing trailing field is ""). */
  get(column: string): string;
}

export interface CsvTable {
  file: string;
  columns: string[];
  records: CsvRecord[];
}

/** Splits the text into records of fields, each with the line it starts on. */
function records(text: string, file: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
      quoteLine = line;
    } else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== "") out.push({ line: start, fields });
      fields = [];
      field = "";
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw new PackageError("a quoted field is not closed", file, quoteLine);
  if (field !== "" || fields.length) out.push({ line: start, fields: [...fields, field] });
  return out;
}

/** Reads a CSV file with a header row. `file` names it in errors. */
export function readCsv(text: string, file: string): CsvTable {
  const all = records(text.replace(/^\uFEFF/, "").replace(/\0/g, ""), file);
  const header = all.shift();
  if (!header) throw new PackageError("empty file: no header row", file, 1);
  const columns = header.fields.map((c) => c.trim());
  const index = new Map<string, number>();
  columns.forEach((c, i) => index.has(c) || index.set(c, i));
  return {
    file,
    columns,
    records: all.map((r) => ({ line: r.line, get: (column: string) => r.fields[index.get(column) ?? -1]?.trim() ?? "" })),
  };
}

/** The columns a file must have; a missing one is an error on the header line. */
export function requireColumns(table: CsvTable, required: readonly string[]): void {
  const missing = required.filter((c) => !table.columns.includes(c));
  if (missing.length) throw new PackageError(`missing column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `'${c}'`).join(", ")}`, table.file, 1);
}

/** A number of a record, or undefined when blank; anything else that is not a number is an error at its line. */
export function numberAt(table: CsvTable, record: CsvRecord, column: string): number | undefined {
  const text = record.get(column);
  if (text === "" || text === "#N/A" || /^nan$/i.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new PackageError(`'${column}' is '${text}', not a number`, table.file, record.line);
  return n;
}

/** The decimal places a number was written with ("0.896866" → 6, "1.2E-5" → 6, "12" → 0). */
export function decimalPlaces(text: string): number {
  const m = /^[-+]?\d*(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text.trim());
  if (!m) return 0;
  return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
}
