/** Highlighting: the TextMate grammars tokenised with vscode-textmate, as VS Code does. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as oniguruma from "vscode-oniguruma";
import { INITIAL, Registry, type IGrammar, type IRawGrammar } from "vscode-textmate";

const ROOT = path.resolve(__dirname, "../..");
const read = (p: string) => JSON.parse(fs.readFileSync(p, "utf8")) as IRawGrammar;

describe("TextMate grammar", () => {
  let grammar: IGrammar;

  before(async () => {
    const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    const grammars: Record<string, IRawGrammar> = {
      "source.review-protocol": read(path.join(ROOT, "syntaxes/review-protocol.tmLanguage.json")),
      "review-protocol.injection": read(path.join(ROOT, "syntaxes/review-protocol.injection.tmLanguage.json")),
      "source.yaml": read(require.resolve("tm-grammars/grammars/yaml.json")),
    };
    const registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (s) => new oniguruma.OnigScanner(s), createOnigString: (s) => new oniguruma.OnigString(s) }),
      loadGrammar: async (scope) => grammars[scope] ?? null,
      getInjections: (scope) => (scope === "source.review-protocol" ? ["review-protocol.injection"] : undefined),
    });
    grammar = (await registry.loadGrammar("source.review-protocol"))!;
  });

  /** The scopes of the first token with exactly this text on the line. */
  function scopesOf(line: string, text: string): string[] {
    const tokens = grammar.tokenizeLine(line, INITIAL).tokens;
    const token = tokens.find((t) => line.slice(t.startIndex, t.endIndex) === text);
    assert.ok(token, `no token '${text}' in: ${tokens.map((t) => `[${line.slice(t.startIndex, t.endIndex)}]`).join("")}`);
    return token.scopes;
  }
  const has = (scopes: string[], scope: string) => assert.ok(scopes.some((s) => s.startsWith(scope)), `${scope} not in ${scopes.join(" ")}`);

  it("colours judgements by meaning", () => {
    const line = "      allocation-concealment: { judgement: low, support: x }";
    has(scopesOf(line, "low"), "markup.inserted.judgement.good");
    has(scopesOf(line.replace("low", "unclear"), "unclear"), "markup.changed.judgement.concern");
    has(scopesOf(line.replace("low", "high"), "high"), "markup.deleted.judgement.bad");
    has(scopesOf(line.replace("low", "no-information"), "no-information"), "comment.judgement.none");
    has(scopesOf("        overall: serious", "serious"), "markup.deleted.judgement.bad");
    has(scopesOf("        judgement: low", "judgement"), "entity.name.tag.yaml");
  });

  it("colours statuses and ORBIT letters, whole words only", () => {
    has(scopesOf("      infant-growth: reported", "reported"), "markup.inserted.status");
    has(scopesOf("      infant-growth: not-reported", "not-reported"), "markup.deleted.status");
    has(scopesOf("      infant-growth: { status: partial, note: x }", "partial"), "markup.changed.status");
    has(scopesOf("      maternal-morbidity: { status: not-reported, orbit: G }", "G"), "markup.deleted.orbit");
    has(scopesOf("      maternal-morbidity: { status: not-reported, orbit: H }", "H"), "markup.changed.orbit");
  });

  it("marks citation keys and ids", () => {
    has(scopesOf("    cite: baxter2025", "baxter2025"), "entity.name.reference.citation");
    has(scopesOf("rationale: Trials disagree [@lee2019; @osei2020].", "lee2019"), "entity.name.reference.citation");
    has(scopesOf("rationale: Trials disagree [@lee2019; @osei2020].", "osei2020"), "entity.name.reference.citation");
    has(scopesOf("  - id: Baxter 2025", "Baxter 2025"), "entity.name.type.id");
    const email = grammar.tokenizeLine("objectives: write to a.b@example.org", INITIAL).tokens;
    assert.ok(!email.some((t) => t.scopes.some((s) => s.includes("citation"))), "an e-mail address is not a citation");
  });

  it("leaves comments alone", () => {
    const scopes = scopesOf("# judgement: low", "# judgement: low".slice(1)) ?? [];
    assert.ok(!scopes.some((s) => s.includes("judgement.good")));
  });
});
