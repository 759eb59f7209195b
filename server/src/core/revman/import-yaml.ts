/**
 * The YAML the import writes, quoted by the `yaml` library's own stringifier
 * (never by hand): plain where YAML reads the text back unchanged, quoted
 * otherwise; a text of several lines as a literal block scalar (`|`), one line
 * per paragraph. A large review has tens of thousands of texts: the writer puts
 * a placeholder for each and `yaml` quotes them all in a few batches at the end.
 */
import { Document, stringify, type ToStringOptions } from "yaml";

const BLOCK: ToStringOptions = { lineWidth: 0, blockQuote: "literal" };
const QUOTED: ToStringOptions = { ...BLOCK, defaultStringType: "QUOTE_DOUBLE" };

type Kind = "b" | "f" | "t";
/** Placeholders: NUL never occurs in XML text, so never in a review's text. */
const TOKEN = /\0([bft])(\d+)\0/g;

/** One YAML text, written with placeholders for its scalars. */
export class YamlScalars {
  private readonly pending: Record<Kind, { texts: string[]; ids: Map<string, number> }> = {
    b: { texts: [], ids: new Map() },
    f: { texts: [], ids: new Map() },
    t: { texts: [], ids: new Map() },
  };
  private readonly keys = new Map<string, string>();

  private token(kind: Kind, text: string): string {
    const p = this.pending[kind];
    let id = p.ids.get(text);
    if (id === undefined) {
      id = p.texts.push(text) - 1;
      p.ids.set(text, id);
    }
    return `\0${kind}${id}\0`;
  }

  /** One line of text as a value in block context (`key: <here>`). */
  block(text: string): string {
    return this.token("b", text.replace(/\s*\n\s*/g, " "));
  }

  /** One line of text as a value inside a flow collection (`{ key: <here> }`, `[<here>]`). */
  flow(text: string): string {
    return this.token("f", text.replace(/\s*\n\s*/g, " "));
  }

  /** A key of a block mapping (`<here>: value`). */
  key(text: string): string {
    let out = this.keys.get(text);
    if (out === undefined) this.keys.set(text, (out = stringify({ [text]: null }, BLOCK).replace(/:( null)?\n$/, "")));
    return out;
  }

  /** `key: text` at an indent: one line, or a literal block scalar with one line per paragraph. */
  field(indent: string, key: string, text: string): string {
    return `${indent}${this.key(key)}: ${text.includes("\n") ? this.token("t", `${text}\n`) : this.block(text)}`;
  }

  /** A list item `- text` at an indent (a literal block scalar when the text has several lines). */
  item(indent: string, text: string): string {
    return `${indent}- ${text.includes("\n") ? this.token("t", `${text}\n`) : this.block(text)}`;
  }

  /** A flow mapping `{ a: 1, b: text }` (keys are the format's own). */
  flowMap(entries: readonly (readonly [string, string | number | boolean | undefined])[]): string {
    const parts = entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${typeof v === "string" ? this.flow(v) : String(v)}`);
    return `{ ${parts.join(", ")} }`;
  }

  /** The YAML text: every placeholder replaced by what `yaml` writes for it. */
  resolve(text: string): string {
    const done = { b: blockValues(this.pending.b.texts), f: flowValues(this.pending.f.texts), t: blockTexts(this.pending.t.texts) };
    return text.replace(TOKEN, (_, kind: Kind, id: string, offset: number) => {
      const out = done[kind][Number(id)]!;
      if (kind !== "t" || !out.includes("\n")) return out;
      // A block scalar's lines sit two columns deeper than the line that holds its key.
      const lineStart = text.lastIndexOf("\n", offset) + 1;
      const indent = " ".repeat(/^ */.exec(text.slice(lineStart, offset))![0].length + 2);
      return out.replace(/\n/g, `\n${indent}`);
    });
  }
}

/** `yaml`'s block sequence of the texts, one item per text: each item's text after `- `, its lines unindented. */
function items(texts: readonly string[], options: ToStringOptions): string[] | undefined {
  if (!texts.length) return [];
  const out: string[] = [];
  for (const line of stringify(texts, options).replace(/\n$/, "").split("\n")) {
    if (line.startsWith("- ")) out.push(line.slice(2));
    else if (line.startsWith("  ") && out.length) out[out.length - 1] += `\n${line.slice(2)}`;
    else if (line === "" && out.length) out[out.length - 1] += "\n";
    else return undefined;
  }
  return out.length === texts.length ? out : undefined;
}

function blockValues(texts: readonly string[]): string[] {
  return items(texts, BLOCK) ?? texts.map((t) => stringify(t, BLOCK).replace(/\n$/, ""));
}

/** Block scalars (`|` and their lines, unindented), or a one-line quoted text where `yaml` chooses one. */
function blockTexts(texts: readonly string[]): string[] {
  return items(texts, BLOCK) ?? texts.map((t) => stringify(t, BLOCK).replace(/\n$/, ""));
}

/** Each text as the only item of a flow sequence, in one document: `- [ text ]` per line. */
function inFlow(texts: readonly string[], options: ToStringOptions): string[] | undefined {
  const doc = new Document(texts.map((t) => [t]));
  for (const seq of (doc.contents as unknown as { items: { flow: boolean }[] }).items) seq.flow = true;
  const lines = doc.toString(options).replace(/\n$/, "").split("\n");
  return lines.length === texts.length && lines.every((l) => l.startsWith("- [ ") && l.endsWith(" ]")) ? lines.map((l) => l.slice(4, -2)) : undefined;
}

const needsQuotes = (plain: string) => !/^["']/.test(plain) && plain.includes(":");

/** One value inside a flow collection, on its own. */
function flowValue(text: string): string {
  const one = (options: ToStringOptions) => stringify([text], { ...options, collectionStyle: "flow" }).replace(/^\[ ?/, "").replace(/ ?\]\n$/, "");
  const plain = one(BLOCK);
  return needsQuotes(plain) ? one(QUOTED) : plain;
}

/**
 * Values inside flow collections. Plain text with a colon ("1:1 randomisation")
 * is valid YAML there, but the fast reader (yaml-subset.ts) leaves it to `yaml`:
 * such text is double-quoted, so an imported review reads fast.
 */
function flowValues(texts: readonly string[]): string[] {
  if (!texts.length) return [];
  const plain = inFlow(texts, BLOCK);
  if (!plain) return texts.map(flowValue);
  const quoted = plain.some(needsQuotes) ? inFlow(texts, QUOTED) : undefined;
  return plain.map((p, i) => (needsQuotes(p) ? (quoted?.[i] ?? flowValue(texts[i]!)) : p));
}
