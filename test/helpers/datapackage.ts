/**
 * Data packages for the tests, built in memory with fflate from the public
 * package of Fleiss 1993 in ../shared (its CSV and RIS files, each
 * changeable) — the outer layout `<ID>-files/<ID>-data.zip`, the data ZIP alone,
 * or extracted into a folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import { folderWith } from "./rm5";

/** The files of a package's data ZIP (Fleiss 1993's: `pkg` is its path): path inside it -> text. */
export function packageFiles(pkg: string): Map<string, string> {
  const outer = unzipSync(fs.readFileSync(pkg));
  const dataZip = Object.keys(outer).find((p) => p.endsWith("-data.zip"))!;
  const inner = unzipSync(outer[dataZip]!);
  return new Map(Object.entries(inner).filter(([p]) => !p.endsWith("/")).map(([p, b]) => [p, strFromU8(b)]));
}

/** Fleiss 1993's package id (the files' prefix). */
function fleissId(files: Map<string, string>): string {
  // RevMan Web's ids are numbers: the prefix of every file's name.
  return path.basename([...files.keys()][0]!).split("-")[0]!;
}

/** The path of the file whose name ends with `suffix`. */
export const fileEnding = (files: Map<string, string>, suffix: string): string => [...files.keys()].find((p) => p.endsWith(suffix))!;

/** Replaces text in the file ending with `suffix`. */
export function edit(files: Map<string, string>, suffix: string, from: string | RegExp, to: string): Map<string, string> {
  const out = new Map(files);
  const p = fileEnding(files, suffix);
  const text = files.get(p)!;
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${suffix}: '${String(from)}' not found`);
  out.set(p, next);
  return out;
}

/** The data ZIP of `files`. */
export function dataZip(files: Map<string, string>): Uint8Array {
  const z: Zippable = {};
  for (const [p, t] of files) z[p] = strToU8(t);
  return zipSync(z);
}

/** The outer package: `<name>/<ID>-files/<ID>-data.zip` (and extra entries, path -> bytes). */
export function outerZip(files: Map<string, string>, name = "Review", extra: Record<string, Uint8Array> = {}): Uint8Array {
  const id = fleissId(files);
  return zipSync({ [`${name}/${id}-files/${id}-data.zip`]: dataZip(files), ...extra });
}

/** A fresh folder holding `bytes` as `file`; returns the path. */
export function written(file: string, bytes: Uint8Array): string {
  const dir = folderWith({});
  fs.writeFileSync(path.join(dir, file), bytes);
  return path.join(dir, file);
}
