/** Generators of protocols for fuzzing: the seeds, mutated the ways files get broken. */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { FIXTURES } from "./check";
import { sharedFolder } from "./shared";

const ROOT = path.resolve(__dirname, "../../..");

function seeds(): string[] {
  const out = [fs.readFileSync(path.join(ROOT, "seeds/mms-lactation.protocol.yaml"), "utf8")];
  for (const dir of ["fixes"]) for (const f of fs.readdirSync(path.join(FIXTURES, dir))) if (f.endsWith(".yaml")) out.push(fs.readFileSync(path.join(FIXTURES, dir, f), "utf8"));
  const cases = sharedFolder("conformance/cases", "fuzzing starts from the sample and the fixtures only");
  if (cases) for (const c of fs.readdirSync(cases)) for (const f of fs.readdirSync(path.join(cases, c))) if (f.endsWith(".protocol.yaml")) out.push(fs.readFileSync(path.join(cases, c, f), "utf8"));
  return out;
}
export const SEEDS = seeds();

export type Mutation = (text: string) => string;
export const lines = (t: string) => t.split("\n");
/** Mutations of a protocol: the ways files get broken by hand, by tools and by accident. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.string({ unit: "binary", minLength: 1, maxLength: 3 })).map(([i, s]) => (t: string) => {
    const at = t.length ? i % t.length : 0;
    return t.slice(0, at) + s + t.slice(at + 1);
  }),
  fc.nat().map((i) => (t: string) => t.slice(0, t.length ? i % t.length : 0)),
  fc.nat().map((i) => (t: string) => {
    const l = lines(t);
    l.splice(i % Math.max(1, l.length), 1);
    return l.join("\n");
  }),
  fc.nat().map((i) => (t: string) => {
    const l = lines(t);
    const k = i % Math.max(1, l.length);
    l.splice(k, 0, l[k] ?? "");
    return l.join("\n");
  }),
  fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 })).map(([i, d]) => (t: string) => {
    const l = lines(t);
    const k = i % Math.max(1, l.length);
    l[k] = d > 0 ? " ".repeat(d) + (l[k] ?? "") : (l[k] ?? "").slice(Math.min(-d, ((l[k] ?? "").match(/^ */)?.[0].length ?? 0)));
    return l.join("\n");
  }),
  fc.tuple(fc.nat(), fc.constantFrom("- ", ": ", "{", "}", "[", "]", "&a ", "*a", "!!str ", "|\n", ">\n", "---\n", "...\n", "#", "'", '"', "\t", "\\", "@", "[@", "%YAML 1.2\n", "? ", "<<: ")).map(([i, s]) => (t: string) => {
    const at = t.length ? i % t.length : 0;
    return t.slice(0, at) + s + t.slice(at);
  }),
  fc.constant((t: string) => t.replace(/\n/g, "\r\n")),
  fc.constant((t: string) => t.replace(/\n/g, "\r")),
  fc.constant((t: string) => "\uFEFF" + t),
  fc.tuple(fc.nat(), fc.string({ unit: "grapheme", maxLength: 12 })).map(([i, s]) => (t: string) => {
    const at = t.length ? i % t.length : 0;
    return t.slice(0, at) + s + t.slice(at);
  }),
);

export const document: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([seed, ms]) => ms.reduce((t, m) => m(t), seed)) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 400 }) },
);

