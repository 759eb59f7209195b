/**
 * Fixture markers. `⟨text|code⟩` marks the range of a diagnostic with that code
 * (several codes: `⟨text|code-a,code-b⟩`; an empty range: `⟨|code⟩`).
 * `$0` marks a cursor. Markers are removed from the text the tests analyse.
 */
interface Marked {
  code: string;
  start: number;
  end: number;
}

export interface Fixture {
  text: string;
  marks: Marked[];
  cursor?: number;
}

const MARKER = /⟨([^⟨⟩|]*)\|([a-z0-9,-]+)⟩|\$0/g;

export function parseFixture(source: string): Fixture {
  let text = "";
  let last = 0;
  const marks: Marked[] = [];
  let cursor: number | undefined;
  for (const m of source.matchAll(MARKER)) {
    text += source.slice(last, m.index);
    last = m.index! + m[0].length;
    if (m[0] === "$0") {
      cursor = text.length;
      continue;
    }
    const start = text.length;
    const inner = m[1]!;
    const at = inner.indexOf("$0");
    if (at >= 0) cursor = start + at;
    text += inner.replace("$0", "");
    for (const code of m[2]!.split(",")) marks.push({ code, start, end: text.length });
  }
  text += source.slice(last);
  return { text, marks, cursor };
}
