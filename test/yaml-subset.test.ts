/**
 * The fast reader of plain YAML (core/yaml-subset.ts) against the `yaml`
 * library, its reference: wherever the fast reader answers, its tree equals the
 * tree built from `yaml`'s document (offsets, values, styles), and it never
 * answers a text `yaml` calls an error. Random documents are rendered with
 * comments and blank lines at every depth, empty values, flow collections and
 * awkward scalars, then mutated; the real protocols (seeds, fixtures, imported
 * Cochrane reviews, the bench workloads) are compared chunk by chunk.
 * YAML_SUBSET_RUNS sets the number of random documents per property (default 10,000).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { parseDocument } from "yaml";
import { splitDocument } from "../server/src/core/syntax/chunks";
import { importRm5 } from "../server/src/core/revman/import";
import { decodeRm5, readRm5 } from "../server/src/core/revman/rm5";
import { buildTree, toPlain, type TreeNode } from "../server/src/core/syntax/tree";
import { parseYamlSubset } from "../server/src/core/syntax/yaml-subset";
import { PackedMap } from "../server/src/core/syntax/packed";

const ROOT = path.resolve(__dirname, "../..");
const RM5 = path.resolve(ROOT, "../shared/rm5");
const RUNS = Number(process.env.YAML_SUBSET_RUNS ?? 10000);
/** The options parse.ts gives `yaml`. */
const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, maxAliasCount: 100, strict: true } as const;

/** What `yaml` makes of a text: its tree, or that it is an error (the options parse.ts uses). */
function reference(text: string): { tree: TreeNode | null } | { errors: string[] } {
  const doc = parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length) return { errors: doc.errors.map((e) => e.message) };
  return { tree: buildTree(doc) };
}

/** The tree with every packed item (packed.ts) built as the reader builds it unpacked. */
function unpacked(n: TreeNode | null): TreeNode | null {
  if (!n || n.kind === "scalar") return n;
  if (n.kind === "seq") return { kind: "seq", start: n.start, end: n.end, flow: n.flow, items: n.items.map((i) => unpacked(i)!) };
  return { kind: "map", start: n.start, end: n.end, flow: n.flow, pairs: n.pairs.map((p) => ({ key: p.key, value: unpacked(p.value) })) };
}

/** How many items the checks below saw packed (each list packed from its first item). */
let packedItems = 0;

function countPacked(n: TreeNode | null): number {
  if (!n || n.kind === "scalar") return 0;
  if (n.kind === "map") return (n instanceof PackedMap ? 1 : 0) + n.pairs.reduce((k, p) => k + countPacked(p.value), 0);
  return n.items.reduce((k, i) => k + countPacked(i), 0);
}

/** "answered" when the fast reader gave the reference's tree, "declined" when it left the text to `yaml`; throws on any disagreement. */
function check(text: string): "answered" | "declined" {
  const fast = parseYamlSubset(text);
  if (fast === undefined) return "declined";
  const ref = reference(text);
  if ("errors" in ref) assert.fail(`the fast reader answered a text yaml rejects (${ref.errors.join("; ")}):\n${JSON.stringify(text)}`);
  assert.deepEqual(fast, ref.tree, `trees differ for ${JSON.stringify(text)}`);
  // Every list packed, however short: the nodes built from the table, and the plain values read from it, are the same.
  const packed = parseYamlSubset(text, 1)!;
  packedItems += countPacked(packed);
  assert.deepEqual(unpacked(packed), ref.tree, `packed trees differ for ${JSON.stringify(text)}`);
  assert.deepEqual(toPlain(packed), toPlain(ref.tree), `packed plain values differ for ${JSON.stringify(text)}`);
  return "answered";
}

const SCALARS = [
  "a", "id", "low", "some concerns", "Smith 2010 (a)", "true", "False", "NULL", "null", "~", "1", "-2", "+3", "007", "0o17", "0x1F",
  "1e3", "-1.5E-2", ".5", "1.", "1.50", ".inf", "-.Inf", ".NaN", "1_000", "12:30", "http://x.org/a?b=1", "a#b", "a #b", "- a", "-a",
  "?a", "? a", ":a", "a:", "a: b", "a,b", "[a]", "{a}", "a]", "a}", "&a", "*a", "!t", "|", "> x", "%x", "@x", "`x", "'q'", "\"q\"",
  "it's", '"a\\tb"', "'a''b'", '"\\u00e9\\x41\\U0001F600"', '"\\x"', '"\\q"', '"a\\"b"', "'a", '"a', "é", "a\u2028b", "a\tb",
  "a\u0085b", "Über", "10.1000/xyz", "a'b\"c", "\"\"", "''", "a  b", "#", "a\\b", "---", "...", "<<",
];

const scalar = fc.constantFrom(...SCALARS);
const key = fc.constantFrom("a", "b", "id", "judgement", "support", "1", "01", "true", "True", "null", "~", "<<", ".nan", '"q k"', "'s'", "a b", "-k", "a:b", "k#", "b");
/** True `tenths` times in ten. */
const sometimes = (tenths: number) => fc.integer({ min: 0, max: 9 }).map((n) => n < tenths);
const trivia = fc.array(fc.record({ comment: fc.boolean(), depth: fc.integer({ min: -4, max: 4 }), spaces: fc.boolean() }), { maxLength: 2 });

interface Block {
  kind: "block";
  header: string;
  lines: { text: string; extra: number }[];
}
type Collection = { kind: "map" | "seq"; flow: boolean; compact: boolean; entries: Entry[] };
type Value = string | Block | Collection;
interface Entry {
  key: string;
  value: Value;
  /** Write an empty value (`key:` or `-`) instead of the value. */
  empty: boolean;
  nextLine: boolean;
  comment: string | null;
  after: { comment: boolean; depth: number; spaces: boolean }[];
  /** Lines continuing a plain value (indented `extra` more than the entry, after a blank line or not). */
  fold: { text: string; blank: boolean; extra: number }[];
}

/** A `|` or `>` scalar: its header and lines (indented `extra` spaces more than the first). */
const block: fc.Arbitrary<Block> = fc.record({
  kind: fc.constant("block" as const),
  header: fc.constantFrom("|", ">", "|-", ">-", "|+", ">2", "|  # c", ">#c", "|x"),
  lines: fc.array(fc.record({ text: fc.constantFrom("a", "b c", "# not a comment", "", "", "x: y", "- z", "  "), extra: fc.constantFrom(0, 0, 0, 1, -1, -2) }), { minLength: 1, maxLength: 4 }),
});

const { value } = fc.letrec<{ value: Value; collection: Value }>((tie) => ({
  value: fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: block }, { weight: 2, arbitrary: tie("collection") }),
  collection: fc.record({
    kind: fc.constantFrom("map" as const, "seq" as const),
    flow: sometimes(2),
    compact: fc.boolean(),
    entries: fc.array(
      fc.record({
        key,
        value: tie("value"),
        empty: sometimes(2),
        nextLine: sometimes(1),
        comment: fc.option(fc.constantFrom("# c", "#x", "# - a: b", "  # two")),
        after: trivia,
        fold: fc.array(fc.record({ text: fc.constantFrom("b", "c d", "1", "- e", "x: y", "# z", "f #g", "'q'", "h:i", "[j]"), blank: sometimes(2), extra: fc.constantFrom(2, 2, 3, 1, 0, -1) }), { maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
}));

function flowText(v: Value): string {
  if (typeof v === "string") return v;
  if (v.kind === "block") return "a";
  const parts = v.entries.map((e) => (v.kind === "map" ? `${e.key}: ${e.empty ? "" : flowText(e.value)}` : flowText(e.value)));
  return v.kind === "map" ? `{ ${parts.join(", ")} }` : `[${parts.join(", ")}]`;
}

/** Lines of a block collection at `indent`; `first` is written before its first line (a `- ` of the parent). */
function blockLines(v: Collection, indent: number, out: string[], first = ""): void {
  const pad = " ".repeat(indent);
  v.entries.forEach((e, i) => {
    const lead = i === 0 && first ? first : pad;
    const head = v.kind === "map" ? `${lead}${e.key}:` : `${lead}-`;
    const comment = e.comment ? ` ${e.comment}` : "";
    const child = e.value;
    if (e.empty) out.push(head + comment);
    else if (typeof child !== "string" && child.kind === "block") {
      out.push(`${head} ${child.header}`);
      for (const l of child.lines) out.push(l.text ? " ".repeat(Math.max(0, indent + 2 + l.extra)) + l.text : " ".repeat(Math.max(0, l.extra)));
    } else if (typeof child === "string" || child.flow) {
      if (e.nextLine) out.push(head + comment, `${pad}  ${flowText(child)}`);
      else out.push(`${head} ${flowText(child)}${comment}`);
      if (typeof child === "string") for (const f of e.fold) out.push(...(f.blank ? [""] : []), " ".repeat(Math.max(0, indent + f.extra)) + f.text);
    } else if (v.kind === "seq" && child.compact) {
      blockLines(child, indent + 2, out, `${head} `);
    } else {
      out.push(head + comment);
      const sameColumn = v.kind === "map" && child.kind === "seq" && child.compact;
      blockLines(child, sameColumn ? indent : indent + 2, out);
    }
    for (const t of e.after) out.push(t.comment ? `${" ".repeat(Math.max(0, indent + t.depth))}# t` : t.spaces ? "   " : "");
  });
}

function render(v: Value, indent: number): string {
  if (typeof v === "string" || v.kind === "block" || v.flow) return `${flowText(v)}\n`;
  const out: string[] = [];
  blockLines(v, indent, out);
  return `${out.join("\n")}\n`;
}

const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("insert", "delete", "indent", "dedent", "newline", "duplicate"),
  text: fc.constantFrom(" ", ":", ": ", "#", " #", "-", "- ", "'", '"', "[", "]", "{", "}", ",", "&a ", "*a", "!", "|", ">", "\t", "\r", "\\", "?", "%", "x"),
});

function mutate(text: string, muts: { at: number; op: string; text: string }[]): string {
  let t = text;
  for (const m of muts) {
    const at = t.length ? m.at % t.length : 0;
    const lineStart = t.lastIndexOf("\n", at - 1) + 1;
    if (m.op === "insert") t = t.slice(0, at) + m.text + t.slice(at);
    else if (m.op === "delete") t = t.slice(0, at) + t.slice(at + 1);
    else if (m.op === "indent") t = `${t.slice(0, lineStart)} ${t.slice(lineStart)}`;
    else if (m.op === "dedent") t = t.startsWith(" ", lineStart) ? t.slice(0, lineStart) + t.slice(lineStart + 1) : t;
    else if (m.op === "newline") t = `${t.slice(0, at)}\n${t.slice(at)}`;
    else {
      const end = t.indexOf("\n", at);
      const line = t.slice(lineStart, end < 0 ? t.length : end + 1);
      t = t.slice(0, lineStart) + line + t.slice(lineStart);
    }
  }
  return t;
}

describe("the fast YAML reader (against yaml)", function () {
  this.timeout(120_000);

  it("answers, and agrees on, the shapes protocols are written in", () => {
    const answered = [
      "id: Smith 2010\nparticipants: 120\ndoi: 10.1000/xyz\narms: [treatment, control]\n",
      "risk_of_bias:\n  allocation-concealment: { judgement: , support: \"\" }\n  other-bias: { judgement: low, support: random, stratified }\n",
      "support: Sealed opaque\n  envelopes, numbered.\n\n  Second paragraph.\nnext: 1\n",
      "  - id: A 2001\n    note: a note\n      that goes on\n  # a comment\n",
      "title: >-\n  Multiple-micronutrient supplementation\n  for breastfeeding women\nrationale: |\n  Line one.\n\n  Line two.\n",
      "outcomes:\n- id: mortality  # primary\n  role: primary\n\n# end\n",
      "a: 'it''s'\nb: \"caf\\u00e9 \\\"x\\\"\"\nc: ~\nd: .5\ne: 0x1F\n",
      "id: Smith 2010\r\nnote: wrapped\r\n  text\r\n",
    ];
    for (const text of answered) assert.equal(check(text), "answered", JSON.stringify(text));
    assert.ok(packedItems >= 2, "list items were packed and compared");
    const declined = ["a: &x 1\nb: *x\n", "a: !t 1\n", "a: b\n  c: d\n", "a: |+\n  x\n\n", "a: b\n  c\n  # x\n", "a:\tb\n", "a: 1\na: 2\n"];
    for (const text of declined) assert.equal(check(text), "declined", JSON.stringify(text));
  });

  it("agrees with yaml wherever it answers, on random documents", () => {
    let answered = 0;
    let total = 0;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 3 }), (v, indent) => {
        total++;
        if (check(render(v, indent)) === "answered") answered++;
      }),
      { numRuns: RUNS },
    );
    // The comparison means something only when the reader answers most plain documents.
    assert.ok(answered > total * 0.3, `answered ${answered} of ${total}`);
  });

  it("agrees with yaml wherever it answers, on random documents with CRLF line ends", () => {
    let answered = 0;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 3 }), (v, indent) => {
        if (check(render(v, indent).replace(/\n/g, "\r\n")) === "answered") answered++;
      }),
      { numRuns: RUNS },
    );
    assert.ok(answered > RUNS * 0.3, `answered ${answered} of ${RUNS}`);
  });

  it("agrees with yaml, or declines, on mutated documents", () => {
    fc.assert(
      fc.property(value, fc.array(mutation, { minLength: 1, maxLength: 3 }), (v, muts) => {
        check(mutate(render(v, 0), muts));
      }),
      { numRuns: RUNS },
    );
  });

  it("agrees with yaml, or declines, on strings of YAML's characters", () => {
    const piece = fc.constantFrom("a", "1", " ", "  ", "\n", ":", ": ", "-", "- ", "#", " #", "'", '"', "[", "]", "{", "}", ",", "|", ">", "\\", "&", "*", "!", "?", "%", "@", "`", "\t", "\r", "é", "\u2028", "---", "...");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        check(pieces.join(""));
      }),
      { numRuns: RUNS },
    );
  });

  it("declines 10,000-deep nesting instead of overflowing the stack", () => {
    let block = "";
    for (let i = 0; i < 10000; i++) block += `${" ".repeat(i)}k${i}:\n`;
    assert.equal(parseYamlSubset(block), undefined);
    assert.equal(parseYamlSubset(`r: ${"[".repeat(10000)}${"]".repeat(10000)}\n`), undefined);
    assert.equal(parseYamlSubset(`r: ${"[".repeat(50)}${"]".repeat(50)}\n`)?.kind, "map");
  });

  /** Every chunk of a protocol is answered (but those with anchors or aliases) and agrees with yaml, in LF and in CRLF. */
  function checkProtocol(name: string, text: string): void {
    for (const lineEnds of [text, text.replace(/\r?\n/g, "\r\n")]) {
      const split = splitDocument(lineEnds);
      const spans = split.mode === "whole" ? [{ start: 0, end: lineEnds.length }] : split.sections;
      for (const span of [...spans, ...(split.studies?.items ?? []), ...(split.analyses?.items ?? [])]) {
        const chunk = lineEnds.slice(span.start, span.end);
        if (check(chunk) === "declined") assert.match(chunk, /[&*][a-z]/, `${name} declined:\n${chunk.slice(0, 300)}`);
      }
    }
  }

  it("answers every chunk of the shipped and test protocols but those with anchors, and agrees", () => {
    const files = [path.join(ROOT, "seeds"), path.join(ROOT, "test/fixtures")].flatMap((dir) =>
      fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).map((f) => path.join(dir, f)),
    );
    assert.ok(files.length >= 3, `protocols found: ${files.length}`);
    for (const file of files) checkProtocol(path.relative(ROOT, file), fs.readFileSync(file, "utf8"));
  });

  it("answers every chunk of the Cochrane reviews in ../shared/rm5 as imported, and agrees", function () {
    const files = fs.existsSync(RM5) ? fs.readdirSync(RM5).filter((f) => f.endsWith(".rm5")) : [];
    if (!files.length) {
      if (process.env.CI === "true") assert.fail(`no .rm5 files in ${RM5}: ../shared is missing`);
      console.log("      skipped: no ../shared/rm5 beside the project (CI fails instead)");
      this.skip();
    }
    for (const f of files) checkProtocol(f, importRm5(readRm5(decodeRm5(fs.readFileSync(path.join(RM5, f)))), f).protocol);
  });
});
