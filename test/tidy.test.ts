/** Tidy tests (as rust-analyzer's): the layers' one-way dependencies hold in the sources. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CUSTOM_TOOL_ID, EFFECT_MODELS, MEASURES, OUTCOME_STATUSES, STUDY_DESIGNS, TOOLS, TOTALS } from "../schemas/src/domain";
import { recursiveGroups } from "./helpers/recursion";

const ROOT = path.resolve(__dirname, "../..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...sources(p));
    else if (d.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

const imports = (file: string) => [...fs.readFileSync(file, "utf8").matchAll(/^import [^;]*? from "([^"]+)";/gms)].map((m) => m[1]!);

describe("tidy: layers", () => {
  it("core imports nothing from LSP, VS Code, the service, the server or the CLI", () => {
    const bad: string[] = [];
    for (const f of sources(path.join(ROOT, "server/src/core"))) {
      for (const i of imports(f)) if (/^vscode|^vscode-languageserver|\/service\/|\/server\/|\/cli\//.test(i)) bad.push(`${path.relative(ROOT, f)} imports ${i}`);
    }
    assert.deepEqual(bad, []);
  });

  it("core's rooms import only rooms below them: syntax, stats, model, sources, checks and revman, the analyzer, pictures", () => {
    // Floors as ARCHITECTURE.md draws them; checks and revman stand side by side and import neither the other;
    // datapackage reads into revman's review and is imported by the analyzer, so it stands between them.
    const FLOORS: Record<string, number> = { syntax: 1, stats: 2, model: 3, sources: 4, checks: 5, revman: 5, datapackage: 5.5, analyzer: 6, pictures: 7, export: 7 };
    const core = path.join(ROOT, "server/src/core");
    const roomOf = (f: string) => path.relative(core, f).split(path.sep)[0]!;
    const bad: string[] = [];
    for (const f of sources(core)) {
      const room = roomOf(f);
      if (!(room in FLOORS) || !path.relative(core, f).includes(path.sep)) {
        bad.push(`${path.relative(ROOT, f)} is in no room`);
        continue;
      }
      for (const i of imports(f)) {
        const target = path.resolve(path.dirname(f), i);
        if (!i.startsWith(".") || !target.startsWith(core + path.sep)) continue;
        const other = roomOf(target);
        if (other !== room && !(FLOORS[other]! < FLOORS[room]!)) bad.push(`${path.relative(ROOT, f)} (${room}) imports ${other}: ${i}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it("the service layer imports nothing from LSP, VS Code or the server", () => {
    const bad: string[] = [];
    for (const f of sources(path.join(ROOT, "server/src/service"))) for (const i of imports(f)) if (/^vscode|\/server\//.test(i)) bad.push(`${path.relative(ROOT, f)} imports ${i}`);
    assert.deepEqual(bad, []);
  });

  it("the server and the CLI reach analyses, imports, pictures and results only through the workspace (service/workspace)", () => {
    // The rooms the workspace assembles; the glue may still speak the core's vocabulary (diagnostics, offsets, paths).
    const assembled = /\/core\/(analyzer|revman|pictures|model|stats)\//;
    const bad: string[] = [];
    for (const dir of ["server/src/server", "server/src/cli"]) {
      for (const f of sources(path.join(ROOT, dir))) for (const i of imports(f)) if (assembled.test(i)) bad.push(`${path.relative(ROOT, f)} imports ${i}`);
    }
    // Above the core, only the workspace makes analyzers and loaders (and so gives them their file system).
    for (const dir of ["server/src/server", "server/src/cli", "server/src/service"]) {
      for (const f of sources(path.join(ROOT, dir))) {
        if (path.relative(ROOT, f).startsWith("server/src/service/workspace/")) continue;
        for (const { line, at } of codeLines(f)) if (/new (ProtocolAnalyzer|SourceLoader)\b/.test(line)) bad.push(`${at}: ${line.trim().slice(0, 120)}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it("above the core, only the workspace's Node file system touches the disk", () => {
    /** The files allowed, and why. */
    const allowed: Record<string, string> = {
      "server/src/service/workspace/node-file-system.ts": "the workspace's file system, handed to it by the server and the CLI",
      "server/src/server/library-worker.ts": "the worker thread that indexes a library the loader found inside the workspace",
    };
    const bad: string[] = [];
    for (const dir of ["server/src/server", "server/src/cli", "server/src/service"]) {
      for (const f of sources(path.join(ROOT, dir))) {
        if (path.relative(ROOT, f) in allowed) continue;
        for (const i of imports(f)) if (/^(node:)?fs(\/promises)?$/.test(i)) bad.push(`${path.relative(ROOT, f)} imports ${i}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it("the client reads the server's replies as schemas/src/replies.ts declares them", () => {
    // A reply type declared in the client would drift from what the server sends.
    const bad: string[] = [];
    for (const f of sources(path.join(ROOT, "client/src"))) {
      for (const { line, at } of codeLines(f)) if (/\bas\s*\{|^\s*(type|interface)\s+\w*(Plots|Import|Reply)\w*\b/.test(line)) bad.push(`${at}: ${line.trim().slice(0, 120)}`);
    }
    assert.deepEqual(bad, []);
  });

  it("the client imports nothing from the server (only the shared command ids)", () => {
    const bad: string[] = [];
    for (const f of sources(path.join(ROOT, "client/src"))) for (const i of imports(f)) if (/server\/src/.test(i)) bad.push(`${path.relative(ROOT, f)} imports ${i}`);
    assert.deepEqual(bad, []);
  });

  /** A line of code, not of a comment. */
  const codeLines = (f: string) =>
    fs
      .readFileSync(f, "utf8")
      .split("\n")
      .map((line, i) => ({ line, at: `${path.relative(ROOT, f)}:${i + 1}` }))
      .filter(({ line }) => !/^(\/\/|\/\*|\*)/.test(line.trim()));

  it("tool ids, judgements, statuses, designs, measures, effect models and totals are written only in schemas/src/domain/", () => {
    const facts = new Set<string>([
      ...TOOLS.map((t) => t.id),
      CUSTOM_TOOL_ID,
      ...TOOLS.flatMap((t) => t.judgements.map((j) => j.id)),
      ...OUTCOME_STATUSES.map((s) => s.id),
      ...STUDY_DESIGNS,
      ...MEASURES.map((m) => m.id),
      ...EFFECT_MODELS.map((m) => m.id),
      ...TOTALS.map((t) => t.id),
    ]);
    /** The same spelling with another meaning, and the only files that write it so. */
    const otherMeaning: Record<string, { files: string[]; why: string }> = {
      subgroups: { files: ["server/src/core/model/meta-analyses.ts", "server/src/service/locate.ts", "server/src/service/completion.ts"], why: "the format's key `subgroups:` of an analysis" },
      none: { files: ["server/src/core/pictures/svg.ts"], why: "what a picture writes for a cell without a judgement or status" },
    };
    // A quoted id, but not an attribute's value in an SVG or HTML template (`fill="none"`).
    const quoted = /(?<![=\w])"([A-Za-z0-9-]+)"/g;
    const bad: string[] = [];
    for (const f of [...sources(path.join(ROOT, "server/src")), ...sources(path.join(ROOT, "client/src"))]) {
      for (const { line, at } of codeLines(f)) {
        for (const m of line.matchAll(quoted)) {
          if (!facts.has(m[1]!) || otherMeaning[m[1]!]?.files.includes(path.relative(ROOT, f))) continue;
          bad.push(`${at}: "${m[1]}" in ${line.trim().slice(0, 120)}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it("the names of protocol files and of what the tools write are written only in schemas/src/files.ts", () => {
    const names = /\.protocol\.ya?ml|protocol\\\.ya|\.results\.json|\.references\.json|rob-traffic-light|rob-summary|outcome-matrix\.svg|(forest|funnel)-\$\{/;
    const bad: string[] = [];
    for (const f of [...sources(path.join(ROOT, "server/src")), ...sources(path.join(ROOT, "client/src"))]) {
      for (const { line, at } of codeLines(f)) if (names.test(line)) bad.push(`${at}: ${line.trim().slice(0, 120)}`);
    }
    assert.deepEqual(bad, []);
  });

  it("editor features and plots read the protocol through the semantic model, not YAML trees", () => {
    // locate.ts finds what is under the cursor in whatever parsed; the checks themselves need nodes for their fixes.
    const readers = [...sources(path.join(ROOT, "server/src/service")).filter((f) => !/locate\.ts$|artifacts\.ts$/.test(f)), ...sources(path.join(ROOT, "server/src/core/pictures"))];
    const bad: string[] = [];
    for (const f of readers) {
      const text = fs.readFileSync(f, "utf8");
      const tree = /^import [^;]*\b(valueOf|nodeAtPath|pairOf|scalarText|stringOf)\b[^;]* from "[^"]*\/tree";/ms.exec(text);
      if (tree) bad.push(`${path.relative(ROOT, f)} reads trees (${tree[1]})`);
      if (/analysis\.parsed\.studies/.test(text)) bad.push(`${path.relative(ROOT, f)} reads analysis.parsed.studies`);
    }
    assert.deepEqual(bad, []);
  });
});

describe("tidy: the checking path takes input of any size", () => {
  /**
   * Recursion on the checking path (core, service) is allowed only where its
   * depth has a bound, named here. Input nests as deep as its author likes; the
   * stack does not (a list of 200,000 items once overflowed it through a
   * spread, which the lint rule in eslint.config.mjs forbids).
   */
  const BOUNDED: Record<string, string> = {
    "core/checks/prisma-p.ts: walk": "a PRISMA-P item's path (a few keys)",
    "core/model/studies.ts: judgementOf": "a judgement's applicability (one level)",
    "core/model/studies.ts: judgement": "a judgement's applicability (one level)",
    "core/pictures/plot-data.ts: cellOf": "a judgement's applicability (one level)",
    "core/revman/rm5-sections.ts: visit": "MAX_DEPTH (rm5-xml.ts): a .rm5 file nested deeper is refused",
    "core/revman/rm5-text.ts: list, walk": "MAX_DEPTH (rm5-xml.ts): a .rm5 file nested deeper is refused",
    "core/revman/rm5-xml.ts: descendants": "MAX_DEPTH (rm5-xml.ts): a .rm5 file nested deeper is refused",
    "core/pictures/text-width.ts: charWidth": "one level: a character's base letter has no accent to strip",
    "core/checks/schema.ts: placeholder": "the schema's depth (fixed)",
    "core/checks/schema.ts: child": "the schema's depth (fixed)",
    "core/checks/schema.ts: objectKeys": "the schema's depth (fixed)",
    "core/checks/schema.ts: flatten": "the schema's depth: zod nests issues as the schema nests",
    "core/syntax/tree.ts: convert, convertKey, convertNode": "MAX_TREE_DEPTH (tree.ts): deeper is a syntax error",
    "core/syntax/tree.ts: toPlain": "the tree's depth: MAX_TREE_DEPTH",
    "core/syntax/yaml-subset.ts: flowMap, flowSeq, flowValue": "MAX_DEPTH (yaml-subset.ts): deeper is left to yaml",
    "core/syntax/yaml-subset.ts: map, node, nodeAt, seq": "MAX_DEPTH (yaml-subset.ts): deeper is left to yaml",
    "service/completion.ts: enumValues": "the schema's depth (fixed)",
    "service/workspace/package-input.ts: walk": "a package folder's depth: MAX_DEPTH",
  };

  it("recursion only where its depth is bounded", () => {
    const found: string[] = [];
    for (const layer of ["core", "service"]) {
      for (const file of sources(path.join(ROOT, "server/src", layer))) {
        for (const group of recursiveGroups(file)) found.push(`${layer}/${path.relative(path.join(ROOT, "server/src", layer), file)}: ${group.join(", ")}`);
      }
    }
    const unbounded = found.filter((g) => !(g in BOUNDED));
    assert.deepEqual(unbounded, [], "recursive functions whose depth has no bound: make them loop, or bound the depth and name the bound here");
    // A bound named here for recursion that is gone is stale.
    assert.deepEqual(Object.keys(BOUNDED).filter((g) => !found.includes(g)), []);
  });

  it("finds recursion, direct and through other functions", () => {
    const file = path.join(ROOT, "test/fixtures/recursion-sample.ts.txt");
    assert.deepEqual(recursiveGroups(file), [["count"], ["even", "odd"]]);
  });
});

describe("tidy: tests that stand alone", () => {
  const tests = () => [...sources(path.join(ROOT, "test"))].filter((f) => !f.includes(`${path.sep}fixtures${path.sep}`));

  it("a test skips only outside CI, saying why in one line (under CI=true a missing tool or ../shared fails)", () => {
    const bad: string[] = [];
    for (const file of tests()) {
      const lines = fs.readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        if (!/\bthis\.skip\(\)|\b(it|describe)\.skip\(/.test(line)) return;
        const before = lines.slice(Math.max(0, i - 4), i).join("\n");
        if (/(it|describe)\.skip\(/.test(line) || !/process\.env\.CI === "true"/.test(before) || !/console\.log\(/.test(before)) bad.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(bad, []);
  });

  it("../shared is reached through helpers/shared.ts or with the CI check beside it", () => {
    const bad: string[] = [];
    for (const file of tests()) {
      if (file.endsWith(path.join("helpers", "shared.ts"))) continue;
      const lines = fs.readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        if (!/\.\.\/shared\//.test(line) || line.trim().startsWith("*") || line.trim().startsWith("//")) return;
        // The file reads ../shared: it must fail under CI when it is missing.
        if (!/process\.env\.CI === "true"/.test(lines.join("\n"))) bad.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(bad, []);
  });
});
