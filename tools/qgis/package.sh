#!/usr/bin/env bash
# Packs the QGIS plugin (tools/qgis/prospect) as an installable zip, or
# installs it into a QGIS profile's plugin folder.
#
#   tools/qgis/package.sh                 # writes build/prospect-qgis-plugin.zip
#   tools/qgis/package.sh --install       # into ~/.local/share/QGIS/QGIS3/profiles/default
#   tools/qgis/package.sh --install DIR   # into DIR/python/plugins (another profile)
#
# The zip installs in QGIS with Plugins > Manage and Install Plugins > Install
# from ZIP. The plugin calls the prospect program: on PATH, or set in
# Processing > Options > Providers > prospect.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
src=$here/tools/qgis/prospect
if [ "${1:-}" = --install ]; then
  profile=${2:-$HOME/.local/share/QGIS/QGIS3/profiles/default}
  dest=$profile/python/plugins/prospect
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$src"/*.py "$src"/metadata.txt "$dest"/
  echo "installed $dest (enable it in Plugins > Manage and Install Plugins)"
  exit 0
fi
mkdir -p "$here/build"
zip=$here/build/prospect-qgis-plugin.zip
rm -f "$zip"
# Fixed times and order: the same sources give the same zip.
/usr/bin/python3 - "$src" "$zip" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(os.listdir(src)):
        if name.endswith(".py") or name == "metadata.txt":
            info = zipfile.ZipInfo("prospect/" + name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(os.path.join(src, name), "rb") as f:
                z.writestr(info, f.read())
print(out)
PY
