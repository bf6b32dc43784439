#!/usr/bin/env bash
# Opens a run's report.html in headless Chromium and checks what a reader gets
# (tools/check_report.js): no console errors or warnings, no uncaught errors,
# nothing loaded but the page itself and data: URLs, every image decoded, an
# <h1>, no SVG plot of zero size, an A4 PDF print of at least 10 kB and no
# .no-print element visible in print. Saves a full-page screenshot to PNG and
# the PDF next to it (same name, .pdf).
# Installs Debian's chromium, and nodejs/npm, with apt-get if they are missing,
# and playwright-core from the npm registry into build/node-report. Exits 1 on
# any finding; 77 (skipped) if Chromium, Node or playwright-core cannot be had.
# With CHECK_REPORT_NO_INSTALL=1 (as the ctest test runs it) nothing is
# installed: whatever is missing makes it a skip.
#
#   tools/check_report.sh build/lofdal-out build/report.png
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: tools/check_report.sh OUTPUT_DIR SCREENSHOT.png}
shot=${2:?usage: tools/check_report.sh OUTPUT_DIR SCREENSHOT.png}
# 1.64.1 drives Chromium 156, the version Debian ships; keep the two in step.
pw_version=1.64.1

skip() { echo "check_report: $*; check skipped" >&2; exit 77; }
no_install=${CHECK_REPORT_NO_INSTALL:-0}
if [ "$no_install" = 1 ]; then
  command -v chromium >/dev/null || skip "chromium is not installed"
else
  "$here/tools/install_packages.sh" check_report chromium || skip "chromium not available"
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  [ "$no_install" = 1 ] && skip "node is not installed"
  "$here/tools/install_packages.sh" check_report nodejs npm || skip "node not available"
fi

node_dir=$here/build/node-report
pw_json=$node_dir/node_modules/playwright-core/package.json
if [ ! -f "$pw_json" ] || ! grep -q "\"version\": \"$pw_version\"" "$pw_json"; then
  [ "$no_install" = 1 ] && skip "playwright-core is not installed in build/node-report"
  mkdir -p "$node_dir"
  (cd "$node_dir" && npm install --silent --no-audit --no-fund --save-exact --prefix . "playwright-core@$pw_version" >/dev/null 2>&1) ||
    skip "could not install playwright-core@$pw_version from npm"
fi
mkdir -p "$(dirname "$shot")"
NODE_PATH="$node_dir/node_modules" exec node "$here/tools/check_report.js" "$out" "$shot"
