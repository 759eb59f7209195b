#!/usr/bin/env node
// Launcher: the language server is bundled into dist/ by `npm run build` (run by `npm install`).
require("../../dist/server.js");
