/**
 * check helpers for editor features, with `$0` marking the cursor:
 * checkHover(fixture, expected fragments) — the fragments say what the card must
 * tell, and its whole text is compared with its snapshot (helpers/snapshot.ts) —,
 * checkDefinition(fixture, expected),
 * checkReferences(fixture) where `⟨text|ref⟩` marks every expected reference.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { complete, type CompletionItem } from "../../server/src/service/completion";
import { hover } from "../../server/src/service/hover";
import { rename } from "../../server/src/service/rename";
import { definition, references } from "../../server/src/service/navigation";
import { LineIndex } from "../../server/src/core/syntax/text";
import { analyseText, type CheckOptions } from "./check";
import { parseFixture } from "./markers";
import { matchSnapshot } from "./snapshot";

const lineOf = (path: string, offset: number) => new LineIndex(fs.readFileSync(path, "utf8")).positionAt(offset).line;

export function checkHover(fixture: string, expected: (string | RegExp)[] | null, options: CheckOptions = {}): string | undefined {
  const { text, cursor } = parseFixture(fixture);
  assert.ok(cursor !== undefined, "the fixture needs a $0 cursor");
  const result = hover(analyseText(text, options), cursor, lineOf);
  if (expected === null) {
    assert.equal(result, undefined, `expected no hover, got:\n${result?.markdown}`);
    return undefined;
  }
  assert.ok(result, "expected a hover");
  for (const e of expected) {
    const ok = typeof e === "string" ? result.markdown.includes(e) : e.test(result.markdown);
    assert.ok(ok, `hover lacks ${String(e)}:\n${result.markdown}`);
  }
  assert.ok(result.start <= cursor && cursor <= result.end, "the hover range covers the cursor");
  matchSnapshot(result.markdown);
  return result.markdown;
}

/** `expected`: for this file, the text at the definition; for a source file, [path, line text prefix]. */
export function checkDefinition(fixture: string, expected: string | [string, string] | null, options: CheckOptions = {}): void {
  const { text, cursor } = parseFixture(fixture);
  const place = definition(analyseText(text, options), cursor!);
  if (expected === null) return assert.equal(place, undefined);
  assert.ok(place, "expected a definition");
  if (typeof expected === "string") {
    assert.equal(place.path, undefined);
    assert.equal(text.slice(place.start, place.end), expected);
  } else {
    assert.equal(place.path, expected[0]);
    assert.ok(fs.readFileSync(expected[0], "utf8").slice(place.start).startsWith(expected[1]));
  }
}

export function checkReferences(fixture: string, options: CheckOptions = {}): void {
  const { text, cursor, marks } = parseFixture(fixture);
  const places = references(analyseText(text, options), cursor!, true) ?? [];
  const got = places.filter((p) => p.path === undefined).map((p) => `${p.start}-${p.end}:${text.slice(p.start, p.end)}`).sort();
  const want = marks.filter((m) => m.code === "ref").map((m) => `${m.start}-${m.end}:${text.slice(m.start, m.end)}`).sort();
  assert.deepEqual(got, want);
}

/**
 * checkCompletion(fixture, expected, absent): the labels offered at `$0` include
 * `expected` in that order (not necessarily adjacent) and none of `absent`.
 */
export function checkCompletion(fixture: string, expected: string[], absent: string[] = [], options: CheckOptions = {}): CompletionItem[] {
  const { text, cursor } = parseFixture(fixture);
  assert.ok(cursor !== undefined, "the fixture needs a $0 cursor");
  const items = complete(analyseText(text, options), cursor);
  const labels = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
  let at = -1;
  for (const e of expected) {
    const i = labels.indexOf(e);
    assert.ok(i >= 0, `'${e}' is not offered; offered: ${labels.join(", ")}`);
    assert.ok(i > at, `'${e}' is out of order; offered: ${labels.join(", ")}`);
    at = i;
  }
  for (const a of absent) assert.ok(!labels.includes(a), `'${a}' should not be offered; offered: ${labels.join(", ")}`);
  for (const item of items) assert.ok(item.start <= cursor && cursor <= item.end, `${item.label} replaces a range around the cursor`);
  return items;
}

/** checkRename(fixture, newName): every `⟨text|ref⟩` mark, and nothing else, becomes `newName`. A string `expected` is the error. */
export function checkRename(fixture: string, newName: string, error?: RegExp, options: CheckOptions = {}): void {
  const { text, cursor, marks } = parseFixture(fixture);
  const analysis = analyseText(text, options);
  const result = rename(analysis, cursor!, newName);
  if (error) {
    assert.ok("error" in result, "expected the rename to be refused");
    assert.match(result.error, error);
    return;
  }
  assert.ok(!("error" in result), "error" in result ? result.error : "");
  const got = result.map((e) => `${e.from}-${e.to}`).sort();
  const want = marks.filter((m) => m.code === "ref").map((m) => `${m.start}-${m.end}`).sort();
  assert.deepEqual(got, want);
}

/** `text` with the `$0` cursor `within` characters into the first `needle`. */
export function cursorAt(text: string, needle: string, within = 0): string {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return text.slice(0, i + within) + "$0" + text.slice(i + within);
}
