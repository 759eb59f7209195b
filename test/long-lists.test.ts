/**
 * Long lists (issue 23, hostile sizes): the fast reader packs the mappings of a
 * list of hundreds of items (core/syntax/packed.ts) and the schema check reads
 * such a list item by item. Both must give exactly what a short list gives: the
 * same diagnostics at the same places, the same nodes, on every parse path.
 */
import * as assert from "node:assert/strict";
import { analyseText } from "./helpers/check";
import { PackedMap } from "../server/src/core/syntax/packed";
import { setParsePath, type ParsePath } from "../server/src/core/syntax/parse";
import type { Diagnostic } from "../server/src/core/checks/diagnostics";

const HEAD = "protocol: 1\ntitle: Long lists - a systematic review protocol\ntype: intervention\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\n";

/** Items with one schema error each: an unknown key, a missing reason, a reason that is not text. */
const WRONG = ["  - id: a\n    reason: x\n    colour: red\n", "  - id: b\n", "  - id: c\n    reason: [x]\n", '  - { id: d, reson: "y" }\n'];

const valid = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `  - id: e${i + from}\n    reason: not randomised\n`).join("");

function schemaDiagnostics(text: string, path: ParsePath = "fast"): Diagnostic[] {
  setParsePath(path);
  try {
    return analyseText(text).diagnostics.filter((d) => d.code.startsWith("schema-"));
  } finally {
    setParsePath("fast");
  }
}

const strip = (ds: Diagnostic[]) => ds.map((d) => ({ code: d.code, start: d.start, end: d.end, message: d.message, data: d.data }));

describe("long lists: packed and checked item by item, the same as short ones", () => {
  const short = `${HEAD}excluded_studies:\n${WRONG.join("")}`;
  const long = `${HEAD}excluded_studies:\n${WRONG.join("")}${valid(2000)}`;

  it("the schema errors of a list of 2,004 items are those of its first four items alone", () => {
    const expected = schemaDiagnostics(short);
    // The fourth item has two: its misspelt key, and so no reason.
    assert.equal(expected.length, 5, expected.map((d) => d.message).join("\n"));
    assert.deepEqual(strip(schemaDiagnostics(long)), strip(expected));
  });

  it("an error at the end of a long list names its item, on every parse path", () => {
    const text = `${HEAD}excluded_studies:\n${valid(1500)}  - id: last\n    reason: 7.5\n    colour: red\n`;
    const byPath = (["fast", "fast-packed", "yaml", "yaml-whole"] as const).map((p) => strip(schemaDiagnostics(text, p)));
    assert.deepEqual(
      byPath[0]!.map((d) => d.message),
      ["'reason' (excluded_studies[1500].reason) must be text; found 7.5", "Unknown key 'colour' in excluded_studies[1500] ('last')"],
    );
    for (const other of byPath.slice(1)) assert.deepEqual(other, byPath[0]);
  });

  it("the fast reader packs the long list's mappings, and each stands for the node `yaml` builds", () => {
    const read = (path: ParsePath) => {
      setParsePath(path);
      try {
        return analyseText(long).parsed.sections.find((s) => s.key === "excluded_studies")!.value!;
      } finally {
        setParsePath("fast");
      }
    };
    const fast = read("fast");
    const reference = read("yaml");
    assert.ok(fast.kind === "seq" && reference.kind === "seq");
    assert.equal(fast.items.length, 2004);
    assert.ok(fast.items[2003] instanceof PackedMap && fast.items.filter((i) => i instanceof PackedMap).length > 2000);
    assert.ok(!reference.items.some((i) => i instanceof PackedMap));
    assert.deepEqual(JSON.parse(JSON.stringify(fast)), JSON.parse(JSON.stringify(reference)));
  });

  it("a citation in a long list is found like one in a short list", () => {
    const text = `${HEAD}excluded_studies:\n${valid(1000)}  - cite: nowhere2020\n    reason: x\n`;
    const unresolved = analyseText(text).diagnostics.filter((d) => d.code === "unresolved-citation");
    assert.equal(unresolved.length, 1);
    assert.equal(text.slice(unresolved[0]!.start, unresolved[0]!.end), "nowhere2020");
  });
});
