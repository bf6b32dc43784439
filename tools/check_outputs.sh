#!/usr/bin/env bash
# Checks a run's output folder with validators that are not prospect's own:
#   - prospectivity.tif against the COG layout rules (GDAL's
#     validate_cloud_optimized_geotiff.py, shipped by Debian's python3-gdal);
#   - targets.gpkg and layers.gpkg with GDAL's validate_gpkg.py;
#   - targets.geojson with @mapbox/geojsonhint from the npm registry (RFC 7946:
#     structure, right-hand rule, no crs member), plus lon/lat ranges.
# Exits 1 on any finding. If npm cannot install the GeoJSON validator (no
# network), that check is skipped with a warning; the others still run.
#
#   tools/check_outputs.sh build/lofdal-out
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: tools/check_outputs.sh OUTPUT_DIR}
py=/usr/bin/python3
samples=$($py -c "import osgeo_utils.samples, os; print(os.path.dirname(osgeo_utils.samples.__file__))")

echo "prospectivity.tif: COG layout"
$py "$samples/validate_cloud_optimized_geotiff.py" --full-check=yes "$out/prospectivity.tif"

for gpkg in targets.gpkg layers.gpkg; do
  if [ -f "$out/$gpkg" ]; then
    echo "$gpkg: GeoPackage rules"
    $py "$samples/validate_gpkg.py" "$out/$gpkg"
  fi
done

if [ -f "$out/targets.geojson" ]; then
  echo "targets.geojson: RFC 7946"
  node_dir=$here/build/node-tools
  if [ ! -d "$node_dir/node_modules/@mapbox/geojsonhint" ]; then
    if ! command -v npm >/dev/null; then
      apt-get install -y -qq nodejs npm >/dev/null 2>&1 || true
    fi
    mkdir -p "$node_dir"
    (cd "$node_dir" && npm install --silent --no-audit --no-fund --prefix . @mapbox/geojsonhint@2.2.0 >/dev/null 2>&1) || true
  fi
  if [ -d "$node_dir/node_modules/@mapbox/geojsonhint" ]; then
    NODE_PATH="$node_dir/node_modules" node "$here/tools/check_geojson.js" "$out/targets.geojson"
  else
    echo "warning: could not install @mapbox/geojsonhint from npm; RFC 7946 check skipped" >&2
  fi
fi
echo "outputs OK"
