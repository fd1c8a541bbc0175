#!/usr/bin/env bash
# Fails when the committed bundle in im-server's static/app/ is not what the sources build to now.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
committed="$here/../../im-server/src/main/resources/static/app"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
"$here/build.sh" "$fresh" >/dev/null
if ! diff -r "$committed" "$fresh" >/dev/null; then
  diff -rq "$committed" "$fresh" || true
  echo "the committed web app bundle in $committed is stale: run clients/web/build.sh and commit the result" >&2
  exit 1
fi
echo "the committed web app bundle is up to date"
