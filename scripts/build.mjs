// npm run build: bundles the extension client, the language server and the command line with esbuild.
import { build } from "esbuild";
import { bundles } from "./bundles.mjs";

await Promise.all(bundles.map((options) => build(options)));
