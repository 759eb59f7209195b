#!/usr/bin/env bash
# Installs code-server 4.100.3 (the newest that runs on the system Node 20) into
# .ci-cache/code-server unless it is there, with what it needs from Debian; see
# ../shared/design/real-editors.md. Nothing is downloaded but npm and Debian
# packages: @vscode/ripgrep's GitHub download is served from Debian's ripgrep,
# placed where it looks for its download cache. Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="$PWD/.ci-cache/code-server"

need=""
for p in libkrb5-dev ripgrep chromium; do dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"; done
if [ -n "$need" ]; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null 2>&1
fi

if [ ! -x "$cache/node_modules/.bin/code-server" ]; then
  tmp=$(node -p 'require("os").tmpdir()')
  work=$(mktemp -d)
  cp /usr/bin/rg "$work/rg"
  tar czf "$work/rg.tar.gz" -C "$work" rg
  for v in $(seq 0 30); do
    mkdir -p "$tmp/vscode-ripgrep-cache-1.15.$v"
    cp "$work/rg.tar.gz" "$tmp/vscode-ripgrep-cache-1.15.$v/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  done
  mkdir -p "$cache"
  # Its own package.json, or npm would install into the project above it.
  echo '{ "name": "code-server-for-ci", "private": true }' > "$cache/package.json"
  (cd "$cache" && npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --no-save code-server@4.100.3 >"$cache/install.log" 2>&1) || {
    tail -20 "$cache/install.log" >&2
    exit 1
  }
fi
echo "$cache/node_modules/.bin/code-server"
