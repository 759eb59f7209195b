/**
 * One line of progress on stderr for the command line's long work (an import,
 * a folder of protocols, an export): shown only when stderr is a terminal and
 * the work has run about a second, redrawn in place, cleared when done. Nothing
 * when stderr is not a terminal (CI logs stay clean) or with `--quiet`.
 *
 *   const progress = terminalProgress("review-export", { quiet });
 *   progress.update(i / n, `writing ${file}`);   // as often as you like
 *   progress.done();                              // before printing the result
 *
 * The commands are synchronous: the line is drawn when `update` is called, so
 * call it between steps (REVIEW_PROTOCOL_PROGRESS_DELAY_MS sets the delay, for tests).
 */

export interface TerminalProgress {
  /** `fraction` of the work done (0–1) and what is being done now. */
  update(fraction: number, what: string): void;
  /** Clears the line (if it was drawn). */
  done(): void;
}

export interface ProgressOptions {
  quiet?: boolean;
  stream?: Pick<NodeJS.WriteStream, "write" | "isTTY" | "columns">;
  /** Milliseconds of work before the line is first drawn. */
  delayMs?: number;
}

/** Redraws at most this often. */
const REDRAW_MS = 100;

function defaultDelay(): number {
  const env = Number(process.env.REVIEW_PROTOCOL_PROGRESS_DELAY_MS);
  return Number.isFinite(env) && env >= 0 ? env : 1000;
}

export function terminalProgress(command: string, options: ProgressOptions = {}): TerminalProgress {
  const stream = options.stream ?? process.stderr;
  const active = !options.quiet && Boolean(stream.isTTY);
  const delay = options.delayMs ?? defaultDelay();
  const started = performance.now();
  let drawn = false;
  let lastDraw = -Infinity;
  return {
    update(fraction, what) {
      if (!active) return;
      const now = performance.now();
      if (now - started < delay || now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
      const width = Math.max(20, (stream.columns || 80) - 1);
      const line = `${command}: ${String(percent).padStart(3)}% ${what}`;
      // \r back to the line's start, the line cut to the terminal's width, then erase to its end.
      stream.write(`\r${line.length > width ? line.slice(0, width - 1) + "…" : line}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
      drawn = false;
    },
  };
}
