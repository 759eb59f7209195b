/**
 * Reads the entries of a ZIP (fflate, streaming), bounded: the input is pushed
 * in small pieces so that no piece inflates to more than a few megabytes, the
 * bytes inflated are counted across every entry (and the ZIP inside), and the
 * reading stops at the limit — a ZIP bomb costs at most the limit, never its
 * claimed size. An entry whose path would leave the folder it is extracted to
 * (zip-slip: `..`, an absolute path, a drive) is refused before anything is read.
 */
import { Unzip, UnzipInflate, type UnzipFile } from "fflate";
import { PackageError } from "./csv";

/** At most this many bytes inflated from one package, inner ZIP included (contract: a ZIP bomb stops at 200 MB). */
const MAX_UNCOMPRESSED = 200 * 1024 * 1024;

/** Input is pushed to the inflater in pieces this large: DEFLATE expands at most ~1032:1, so one piece inflates to under 17 MB. */
const PIECE = 16 * 1024;

/** Whether an entry's path stays inside the folder it is extracted to. */
function safeEntryPath(name: string): boolean {
  if (/^[\\/]/.test(name) || /^[A-Za-z]:/.test(name) || name.includes("\0")) return false;
  return !name.split(/[\\/]/).includes("..");
}

/** A running count of the bytes inflated, shared by a package's ZIPs. */
export class InflateBudget {
  used = 0;
  constructor(readonly limit: number = MAX_UNCOMPRESSED) {}
}

/**
 * The entries of a ZIP that `wanted` selects (by path), as bytes. `label` names
 * the ZIP in errors. Throws PackageError for a path that leaves the folder, a
 * ZIP that is not one or is damaged, and when the budget runs out.
 */
export function readZip(bytes: Uint8Array, label: string, wanted: (path: string) => boolean, budget: InflateBudget = new InflateBudget()): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let failure: PackageError | undefined;
  let entries = 0;
  const unzip = new Unzip((file: UnzipFile) => {
    entries++;
    if (failure) return;
    if (!safeEntryPath(file.name)) {
      failure = new PackageError(`entry '${file.name}' would be written outside the folder the package is extracted to (zip-slip): refused`, label, 0);
      return;
    }
    if (file.name.endsWith("/") || !wanted(file.name)) return;
    const chunks: Uint8Array[] = [];
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) {
        failure = new PackageError(`entry '${file.name}' is damaged: ${err.message}`, label, 0);
        return;
      }
      budget.used += data.length;
      if (budget.used > budget.limit) {
        failure = new PackageError(`entry '${file.name}' inflates past ${budget.limit / 1024 / 1024} MB (a ZIP bomb?): stopped reading`, label, 0);
        file.terminate();
        return;
      }
      chunks.push(data);
      if (final) out.set(file.name, concat(chunks));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length && !failure; at += PIECE) unzip.push(bytes.subarray(at, Math.min(at + PIECE, bytes.length)), at + PIECE >= bytes.length);
  } catch (e) {
    failure ??= new PackageError(`not a readable ZIP: ${(e as Error).message}`, label, 0);
  }
  if (failure) throw failure;
  if (!entries) throw new PackageError("not a ZIP file (no entries found)", label, 0);
  return out;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.length;
  const all = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}
