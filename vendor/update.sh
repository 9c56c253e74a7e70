#!/usr/bin/env bash
# Refresh the vendored browser files from the npm registry at the versions pinned in
# vendor/package.json, then record their checksums. Run from anywhere; needs node and npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
[ -f "$here/package-lock.json" ] && cp "$here/package-lock.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --silent)
cp "$work/package-lock.json" "$here/package-lock.json"
hm="$work/node_modules/@jupyter-widgets/html-manager/dist"
web="$here/web/pivot-widgets"
rm -rf "$web" "$here/axe-core"
mkdir -p "$web" "$here/axe-core"
cp "$hm/embed-amd.js" "$web/"
# The widget bundle's icon font; browsers pick woff2, older ones woff or ttf (eot/svg unused).
cp "$hm"/*.woff2 "$hm"/*.woff "$hm"/*.ttf "$web/"
# RequireJS with our small configuration appended (see widgets-boot.js).
cat "$work/node_modules/requirejs/require.js" "$here/widgets-boot.js" > "$web/require-boot.js"
cp "$work/node_modules/@jupyter-widgets/html-manager/LICENSE" "$web/LICENSE.html-manager" 2>/dev/null || true
cp "$work/node_modules/axe-core/axe.min.js" "$here/axe-core/"
cp "$work/node_modules/axe-core/LICENSE" "$here/axe-core/LICENSE"
(cd "$here" && find web axe-core -type f ! -name SHA256SUMS | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
echo "vendored files updated; checksums in vendor/SHA256SUMS"
