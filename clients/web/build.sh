#!/usr/bin/env bash
# Builds the web chat app and copies it to where the server serves it from (im-server's static/app/, committed so
# that bin/im-server works without npm). Usage: build.sh [OUTDIR] (default: that folder).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="${1:-$here/../../im-server/src/main/resources/static/app}"

install() { # npm ci in $1 unless its node_modules is newer than its lock file
  if [ ! -d "$1/node_modules" ] || [ "$1/package-lock.json" -nt "$1/node_modules" ]; then
    (cd "$1" && npm ci --no-audit --no-fund)
  fi
}

install "$here/../typescript"
(cd "$here/../typescript" && npm run --silent build) # generates the protobuf code and compiles the client to dist/
install "$here"
cd "$here"
npx tsc -p tsconfig.json
rm -rf dist
node build.mjs dist
mkdir -p "$target"
rm -f "$target"/*
cp dist/index.html dist/app.js dist/app.css "$target"/
echo "built $(du -cb "$target"/* | tail -1 | cut -f1) bytes into $target"
