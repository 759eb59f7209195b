#!/usr/bin/env bash
# End to end in real VS Code (code-server 4.100.3, the newest that runs on the
# system Node 20) driven by Playwright in Debian's Chromium: see
# ../shared/design/real-editors.md and test/e2e/code-server.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(bash .ci/install-code-server.sh)
[ -f review-protocol.vsix ] || npm run package >/dev/null
node test/e2e/code-server.mjs "$bin" "$PWD/review-protocol.vsix"
