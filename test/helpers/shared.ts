/**
 * ../shared (the contract's conformance cases and the public RevMan files) beside
 * the project. A suite that can use it but does not need it runs without it and
 * says so in one line; under CI=true its absence is a failure, never a quietly
 * smaller suite.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const SHARED = path.resolve(__dirname, "../../../../shared");
const said = new Set<string>();

/** The absolute path of `relative` in ../shared, or undefined (outside CI) when it is not there. */
export function sharedFolder(relative: string, without: string): string | undefined {
  const folder = path.join(SHARED, relative);
  if (fs.existsSync(folder)) return folder;
  if (process.env.CI === "true") throw new Error(`${folder} is missing: ../shared must be beside the project under CI (${without})`);
  if (!said.has(without)) console.log(`      no ../shared/${relative} beside the project: ${without}`);
  said.add(without);
  return undefined;
}
