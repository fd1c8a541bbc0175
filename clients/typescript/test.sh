#!/usr/bin/env bash
# Installs (when needed), builds and tests the TypeScript client against a real server (bin/im-server).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
fi
npm run build
npm test
