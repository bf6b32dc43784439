#!/usr/bin/env bash
# Opens a run's output folder in real QGIS (3.22 from Debian, headless PyQGIS)
# and checks what a QGIS user gets:
#   - prospectivity.tif: CRS, band count and names as in manifest.json, nodata,
#     and the prospectivity.qml renderer applied on opening, as the GUI does;
#   - targets.geojson / targets.gpkg: feature counts (each other, manifest.json),
#     fields, CRS, and the targets.qml style, also from the GeoPackage's own
#     layer_styles table when the file is copied alone;
#   - evidence/*.tif: each with the renderer of its .qml;
#   - project.qgs, if there is one, in a copy of the folder alone: every layer
#     valid, relative paths inside the folder, CRS, layer order and visibility,
#     embedded styles;
# then renders the project (or prospectivity.tif + targets.gpkg) to a PNG,
# default OUTPUT_DIR/../qgis-render.png, and checks it is not blank.
# Installs qgis and python3-qgis with apt-get if they are missing. Exits 1 on
# any finding; QGIS/GDAL messages on stderr are only messages.
#
#   tools/check_qgis.sh build/lofdal-out [build/qgis-render.png]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: tools/check_qgis.sh OUTPUT_DIR [PNG]}

"$here/tools/install_packages.sh" check_qgis qgis python3-qgis

# Headless Qt; a private runtime dir keeps Qt from warning about a missing one.
export QT_QPA_PLATFORM=offscreen
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR=${TMPDIR:-/tmp}/runtime-$(id -u)
  mkdir -p -m 700 "$XDG_RUNTIME_DIR"
fi
exec /usr/bin/python3 "$here/tools/check_qgis.py" "$@"
