/**
 * The YAML the import writes, quoted by the `yaml` library's own stringifier
 * (never by hand): plain where YAML reads the text back unchanged, quoted
 * otherwise; a text of several lines as a literal block scalar (`|`), one line
 * per paragraph. Scalars are cached: a large review repeats many of them.
 */
import { stringify } from "yaml";

const BLOCK = { lineWidth: 0, blockQuote: "literal" } as const;
const FLOW = { lineWidth: 0, collectionStyle: "flow" } as const;
const FLOW_QUOTED = { ...FLOW, defaultStringType: "QUOTE_DOUBLE" } as const;

const blockCache = new Map<string, string>();
const flowCache = new Map<string, string>();
const keyCache = new Map<string, string>();

function cached(cache: Map<string, string>, text: string, make: () => string): string {
  let out = cache.get(text);
  if (out === undefined) {
    out = make();
    // A review's scalars, not a stream of them: a bound only guards memory.
    if (cache.size > 200_000) cache.clear();
    cache.set(text, out);
  }
  return out;
}

/** One line of text as a value in block context (`key: <here>`). */
export function blockScalar(text: string): string {
  const one = text.replace(/\s*\n\s*/g, " ");
  return cached(blockCache, one, () => stringify(one, BLOCK).replace(/\n$/, ""));
}

/**
 * One line of text as a value inside a flow collection (`{ key: <here> }`,
 * `[<here>]`). Plain text with a colon ("1:1 randomisation") is valid YAML
 * there, but the fast reader (yaml-subset.ts) leaves it to `yaml`: such text is
 * double-quoted, so an imported review reads fast.
 */
export function flowScalar(text: string): string {
  const one = text.replace(/\s*\n\s*/g, " ");
  const inFlow = (options: typeof FLOW | typeof FLOW_QUOTED) => stringify([one], options).replace(/^\[ ?/, "").replace(/ ?\]\n$/, "");
  return cached(flowCache, one, () => {
    const plain = inFlow(FLOW);
    return /^["']/.test(plain) || !plain.includes(":") ? plain : inFlow(FLOW_QUOTED);
  });
}

/** A key of a block mapping (`<here>: value`). */
export function mappingKey(text: string): string {
  return cached(keyCache, text, () => stringify({ [text]: null }, BLOCK).replace(/:( null)?\n$/, ""));
}

/**
 * `key: text` at an indent: one line, or a literal block scalar with one line
 * per paragraph when the text has several. Returns the lines.
 */
export function textField(indent: string, key: string, text: string): string[] {
  if (!text.includes("\n")) return [`${indent}${mappingKey(key)}: ${blockScalar(text)}`];
  const yaml = stringify({ [key]: `${text}\n` }, BLOCK).replace(/\n$/, "");
  return yaml.split("\n").map((l) => (l ? indent + l : l));
}

/** A list item `- text` at an indent (a literal block scalar when the text has several lines). */
export function textItem(indent: string, text: string): string[] {
  if (!text.includes("\n")) return [`${indent}- ${blockScalar(text)}`];
  const yaml = stringify([`${text}\n`], BLOCK).replace(/\n$/, "");
  return yaml.split("\n").map((l) => (l ? indent + l : l));
}

/** A flow mapping of plain values: `{ a: 1, b: text }` (texts on one line). */
export function flowMap(entries: readonly (readonly [string, string | number | boolean | undefined])[]): string {
  const parts = entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${typeof v === "string" ? flowScalar(v) : String(v)}`);
  return `{ ${parts.join(", ")} }`;
}
