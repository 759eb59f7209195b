/** Section 8.1's methods set on a protocol the tests did not write (an imported review). */

/** Every analysis under `model: random, tau2: REML, ci: hksj, prediction: true`, pooled over all its rows (totals overall). */
export function withNewMethods(protocol: string): string {
  return protocol
    .replace(/^ {4}model: (fixed|random)\n/gm, "    model: random\n    tau2: REML\n    ci: hksj\n    prediction: true\n")
    .replace(/^ {4}totals: (subgroups|none)\n/gm, "");
}
