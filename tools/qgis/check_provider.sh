#!/usr/bin/env bash
# Runs the QGIS Processing provider's checks (check_provider.py) headless in
# Debian's QGIS, with the prospect built in build/ first on PATH. Installs
# qgis and python3-qgis with apt-get if they are missing.
#
#   tools/qgis/check_provider.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
"$here/tools/install_packages.sh" check_provider qgis python3-qgis
export QT_QPA_PLATFORM=offscreen
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR=${TMPDIR:-/tmp}/runtime-$(id -u)
  mkdir -p -m 700 "$XDG_RUNTIME_DIR"
fi
export PATH="$here/build:$PATH"
exec /usr/bin/python3 "$here/tools/qgis/check_provider.py"
