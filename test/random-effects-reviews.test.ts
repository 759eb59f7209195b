/**
 * Section 8.1 end to end (issue 26): the five public reviews of ../shared/rm5
 * imported with review-import, every analysis set to `model: random, tau2: REML,
 * ci: hksj, prediction: true` (totals overall, so each has its pool of all rows),
 * and `review-lint --results` compared with metafor's numbers in
 * ../shared/reference/random-effects.json: the pooled effect, its HKSJ interval,
 * t, df and P, the prediction interval, τ² with its Q-profile interval and I²
 * from τ², to 1e-6 relative.
 */
import * as assert from "node:assert/strict";
import * as cp from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { withNewMethods } from "./helpers/random-effects";
import { sharedFolder } from "./helpers/shared";

const ROOT = path.resolve(__dirname, "../..");
const IMPORT = path.join(ROOT, "dist/review-import.js");
const LINT = path.join(ROOT, "dist/review-lint.js");

interface MetaforHksj {
  se: number;
  ci: [number, number];
  t: number;
  df: number;
  p: number;
  prediction: [number, number] | null;
}
interface Reference {
  review: string;
  rm5_id: string;
  measure: string;
  log_scale: boolean;
  studies: string[];
  reml: { tau2: number; tau2_ci: [number, number]; i2: number; q: number; mu: number; hksj: MetaforHksj };
}
interface ResultsAnalysis {
  id: string;
  method: string;
  pooled: { effect: number; ci: [number, number]; z: number | null; t: number | null; df: number | null; p: number | null; prediction: [number, number] | null; studies: number } | null;
  heterogeneity: { q: number; i2: number | null; tau2: number | null; tau2_ci: [number, number] | null } | null;
}

describe("random effects: review-lint --results on the public reviews against metafor", function () {
  this.timeout(300000);

  it("the five reviews imported and set to REML, HKSJ and prediction intervals give metafor's numbers to 1e-6", () => {
    const rm5 = sharedFolder("rm5", "the public reviews are not checked against metafor");
    const referenceDir = sharedFolder("reference", "the public reviews are not checked against metafor");
    if (!rm5 || !referenceDir) return;
    const reference = JSON.parse(fs.readFileSync(path.join(referenceDir, "random-effects.json"), "utf8")) as Reference[];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-random-effects-"));
    try {
      const reviews = [...new Set(reference.map((r) => r.review))];
      for (const review of reviews) {
        const imported: cp.SpawnSyncReturns<string> = cp.spawnSync(process.execPath, [IMPORT, path.join(rm5, review), "--out", dir], { encoding: "utf8" });
        assert.equal(imported.status, 0, imported.stderr);
        const file = path.join(dir, review.replace(/\.rm5$/, ".protocol.yaml"));
        const text = fs.readFileSync(file, "utf8");
        const changed = withNewMethods(text);
        assert.notEqual(changed, text, `${review}: no analysis to set`);
        fs.writeFileSync(file, changed);
      }
      const lint = cp.spawnSync(process.execPath, [LINT, "--root", dir, "--format", "json", dir, "--results", path.join(dir, "results")], { encoding: "utf8" });
      assert.ok(lint.status === 0 || lint.status === 1, lint.stderr);
      // The settings are valid everywhere: no schema error about them.
      const schema = (JSON.parse(lint.stdout) as { code: string; message: string }[]).filter((d) => d.code.startsWith("schema-") && /tau2|ci|prediction|model/.test(d.message));
      assert.deepEqual(schema, []);
      const mismatches: string[] = [];
      let compared = 0;
      for (const entry of reference) {
        const results = JSON.parse(fs.readFileSync(path.join(dir, "results", entry.review.replace(/\.rm5$/, ".results.json")), "utf8")) as { analyses: ResultsAnalysis[] };
        const prefix = `${entry.rm5_id.replace(/^CMP-/, "").replace(/\./g, "-")}-`;
        const matching = results.analyses.filter((a) => a.id.startsWith(prefix));
        assert.equal(matching.length, 1, `${entry.review} ${entry.rm5_id}: ${matching.length} analyses with ids starting ${prefix}`);
        const a = matching[0]!;
        const label = `${entry.review} ${entry.rm5_id}`;
        if (!a.pooled || !a.heterogeneity) {
          mismatches.push(`${label}: no pooled result`);
          continue;
        }
        const show = (x: number) => (entry.log_scale ? Math.exp(x) : x);
        const m = entry.reml;
        const compare = (name: string, ours: number | null | undefined, theirs: number | null | undefined, absolute = 0) => {
          compared++;
          const missing = (x: unknown) => x === null || x === undefined;
          if (missing(ours) || missing(theirs)) {
            if (missing(ours) !== missing(theirs)) mismatches.push(`${label} ${name}: ${ours} ≠ metafor's ${theirs}`);
          } else if (!(Math.abs(ours! - theirs!) <= 1e-6 * Math.abs(theirs!) + absolute)) mismatches.push(`${label} ${name}: ${ours} ≠ metafor's ${theirs}`);
        };
        compare("effect", a.pooled.effect, show(m.mu));
        compare("ci[0]", a.pooled.ci[0], show(m.hksj.ci[0]));
        compare("ci[1]", a.pooled.ci[1], show(m.hksj.ci[1]));
        compare("t", a.pooled.t, m.hksj.t);
        compare("df", a.pooled.df, m.hksj.df);
        compare("p", a.pooled.p, m.hksj.p);
        compare("z", a.pooled.z ?? null, null);
        compare("prediction[0]", a.pooled.prediction?.[0], m.hksj.prediction ? show(m.hksj.prediction[0]) : null);
        compare("prediction[1]", a.pooled.prediction?.[1], m.hksj.prediction ? show(m.hksj.prediction[1]) : null);
        compare("tau2", a.heterogeneity.tau2, m.tau2, 1e-12);
        compare("tau2_ci[0]", a.heterogeneity.tau2_ci?.[0], m.tau2_ci[0], 1e-12);
        compare("tau2_ci[1]", a.heterogeneity.tau2_ci?.[1], m.tau2_ci[1], 1e-12);
        compare("i2", a.heterogeneity.i2, m.i2, 1e-6);
        // metafor's Q is around the inverse-variance estimate; a Mantel-Haenszel analysis's is around its own (section 8).
        if (a.method === "IV") compare("q", a.heterogeneity.q, m.q);
      }
      assert.deepEqual(mismatches, []);
      assert.equal(reference.length, 67);
      console.log(`      ${reference.length} analyses of ${reviews.length} reviews, ${compared} numbers matched metafor's`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
