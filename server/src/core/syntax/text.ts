/**
 * Offsets <-> line/character positions: the only place that converts them.
 * Characters are UTF-16 code units (LSP's default encoding and JavaScript's).
 */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * Offset where the line holding `offset` starts. (`lastIndexOf` with a negative
 * position searches from 0, and would find a newline *at* 0: never call it so.)
 */
export function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf("\n", offset - 1) + 1;
}

export class LineIndex {
  /** Where each line starts; typed, so that indexing a large document each version leaves no array to grow and collect. */
  private readonly starts: Int32Array;

  constructor(private readonly text: string) {
    if (!text.includes("\r")) {
      // The usual case, a jump per line: count, then fill.
      let count = 1;
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count++;
      const starts = new Int32Array(count);
      let line = 1;
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts[line++] = i + 1;
      this.starts = starts;
      return;
    }
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = Int32Array.from(starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line]!;
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1]! : this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** JSON.parse that never throws: the value, or the parser's reason (without Node's "at position N") and the offset it names. */
export function parseJson(text: string): { value: unknown } | { error: string; offset?: number } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const message = ((e as Error).message ?? String(e)).split("\n")[0]!;
    const at = /position (\d+)/.exec(message);
    return { error: message.replace(/ in JSON at position \d+.*$/, ""), ...(at ? { offset: Number(at[1]) } : {}) };
  }
}
