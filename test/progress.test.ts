/**
 * Work-done progress and the status notification over stdio, from the real
 * server: a protocol citing a generated 50 MB library shows "Indexing
 * library.bib" (begin, reports with a percentage by bytes read, end, in order)
 * to a client that declares window.workDoneProgress, and nothing to one that
 * does not; the status says indexing, then the protocol's state.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { ProtocolStatus } from "../schemas/src/status";
import { STATUS_NOTIFICATION } from "../schemas/src/status";
import { LspClient } from "./helpers/lsp";

interface ProgressValue {
  kind: "begin" | "report" | "end";
  title?: string;
  percentage?: number;
  message?: string;
}

/** A client that answers window/workDoneProgress/create and records every $/progress and status. */
function recordingClient(): {
  client: LspClient;
  created: string[];
  progress: { token: string; value: ProgressValue }[];
  statuses: ProtocolStatus[];
  ended: Promise<string>;
  status: (match: (s: ProtocolStatus) => boolean) => Promise<ProtocolStatus>;
} {
  const client = new LspClient();
  const created: string[] = [];
  const progress: { token: string; value: ProgressValue }[] = [];
  const statuses: ProtocolStatus[] = [];
  let resolveEnded: (token: string) => void = () => undefined;
  const ended = new Promise<string>((resolve) => (resolveEnded = resolve));
  client.connection.onRequest("window/workDoneProgress/create", (p: { token: string }) => {
    created.push(p.token);
    return null;
  });
  client.connection.onNotification("$/progress", (p: { token: string; value: ProgressValue }) => {
    progress.push(p);
    if (p.value.kind === "end") resolveEnded(p.token);
  });
  let waiters: { match: (s: ProtocolStatus) => boolean; resolve: (s: ProtocolStatus) => void }[] = [];
  client.connection.onNotification(STATUS_NOTIFICATION, (s: ProtocolStatus) => {
    statuses.push(s);
    waiters = waiters.filter((w) => !(w.match(s) && (w.resolve(s), true)));
  });
  const status = (match: (s: ProtocolStatus) => boolean) => {
    const seen = statuses.find(match);
    return seen ? Promise.resolve(seen) : new Promise<ProtocolStatus>((resolve) => waiters.push({ match, resolve }));
  };
  return { client, created, progress, statuses, ended, status };
}

describe("work-done progress and status over stdio", function () {
  this.timeout(120000);
  let dir: string;
  let uri: string;
  const text = `protocol: 1\ntitle: T - a systematic review protocol\ntype: intervention\nstage: review\nquestion: {}\noutcomes: [{ id: death, name: Death, role: primary }]\nbias: { tool: rob1 }\nsources:\n  - bibliography: library.bib\nrationale: See [@entry20000] and [@nosuchentry].\nstudies:\n  - id: Smith 2001\n    design: rct\n`;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-progress-"));
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const e = `@article{entry${i},\n  author = {Author${i}, A.},\n  title = {Trial number ${i}},\n  year = {${1990 + (i % 30)}},\n  abstract = {${"We did things. ".repeat(60)}}\n}\n`;
      parts.push(e);
      size += e.length;
    }
    fs.writeFileSync(path.join(dir, "library.bib"), parts.join(""));
    uri = pathToFileURL(path.join(dir, "review.protocol.yaml")).href;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a client with window.workDoneProgress sees begin, reports with a percentage, and end, in order; the status says indexing, then the counts", async () => {
    const { client, created, progress, statuses, ended, status } = recordingClient();
    try {
      await client.initialize(dir, { window: { workDoneProgress: true } }, { statusNotifications: true });
      await client.open(uri, text, "yaml", 1);
      const token = await ended;
      assert.ok(created.includes(token), "the token was created with window/workDoneProgress/create first");
      const values = progress.filter((p) => p.token === token).map((p) => p.value);
      assert.equal(values[0]?.kind, "begin");
      assert.match(values[0]?.title ?? "", /^Indexing library\.bib \(5\d MB\)$/);
      assert.equal(values.at(-1)?.kind, "end");
      const reports = values.slice(1, -1);
      assert.ok(reports.length >= 1 && reports.every((v) => v.kind === "report"), JSON.stringify(values));
      assert.ok(reports.some((v) => typeof v.percentage === "number" && v.percentage > 0 && v.percentage <= 100), JSON.stringify(reports));
      const percentages = reports.map((v) => v.percentage ?? 0);
      assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), "percentages only grow");
      // The library is ready: the protocol is checked again, and its status says so.
      const published = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === "unresolved-citation" && (d.data as { key?: string }).key === "nosuchentry" && d.severity === 1));
      assert.equal(statuses[0]?.indexing, true, JSON.stringify(statuses[0]));
      const ready = await status((s) => !s.indexing);
      const count = (severity: number) => published.diagnostics.filter((d) => d.severity === severity).length;
      assert.deepEqual(ready, { uri, version: 1, stage: "review", tools: ["RoB 1"], studies: 1, errors: count(1), warnings: count(2), indexing: false });
      assert.ok(ready.errors >= 1);
    } finally {
      await client.stop();
    }
  });

  it("a client without window.workDoneProgress sees none, and no status it did not ask for", async () => {
    const { client, created, progress, statuses } = recordingClient();
    try {
      await client.initialize(dir);
      await client.open(uri, text, "yaml", 1);
      await client.logged((m) => /^Indexed library\.bib/.test(m));
      await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === "unresolved-citation" && (d.data as { key?: string }).key === "nosuchentry"));
      assert.deepEqual({ created, progress, statuses }, { created: [], progress: [], statuses: [] });
    } finally {
      await client.stop();
    }
  });
});
