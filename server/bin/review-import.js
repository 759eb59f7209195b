#!/usr/bin/env node
// Launcher: the importer is bundled into dist/ by `npm run build` (run by `npm install`).
require("../../dist/review-import.js");
