#!/usr/bin/env node
// Launcher: the command line is bundled into dist/ by `npm run build` (run by `npm install`).
require("../../dist/review-lint.js");
