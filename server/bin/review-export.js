#!/usr/bin/env node
// Launcher: the exporter is bundled into dist/ by `npm run build` (run by `npm install`).
require("../../dist/review-export.js");
