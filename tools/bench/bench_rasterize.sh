#!/usr/bin/env bash
# Rasterizing COUNT lithology polygons (class codes) onto a SIZE x SIZE grid of
# 25 m cells: `prospect evidence` (tile by tile with GDAL's rasterizer, in
# parallel, written as evidence/lithology.tif) against gdal_rasterize, both
# writing one uncompressed tiled Float32 GeoTIFF without overviews. Median wall seconds and peak RSS over
# RUNS, and how many cells differ between the two class rasters.
#
#   tools/bench/bench_rasterize.sh [--size 8000] [--count 3000] [--runs 3] [--dir /tmp/prospect-bench]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size=8000 count=3000 runs=3 dir=${BENCH_DIR:-/tmp/prospect-bench}
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
mkdir -p "$dir"
polygons=$dir/lithology_${count}.gpkg
$py "$here/tools/bench/make_lithology_polygons.py" --count "$count" --out "$polygons"
max_x=$(echo "400000 + $size * 25" | bc); min_y=$(echo "7800000 - $size * 25" | bc)
model=$dir/rasterize_${size}.yaml
cat >"$model" <<YAML
name: bench-rasterize
grid: {crs: EPSG:32733, cell_size: 25, extent: [400000, $min_y, $max_x, 7800000]}
inputs:
  lithology: {path: $polygons, rasterize: {field: code}}
evidence:
  host: {input: lithology, membership: {function: categorical, classes: {7: 1, 6: 0.7}, other: 0.1}}
scores: {host_rock: host}
targets: false
outputs: {compress: none, overviews: false, evidence: derived}
YAML

results=$dir/rasterize_results.txt
. "$here/tools/bench/lib.sh"
peer() {
  rm -f "$dir/rasterized.tif"
  gdal_rasterize -q -a code -te 400000 "$min_y" "$max_x" 7800000 -tr 25 25 -ot Float32 \
    -init 0 -co TILED=YES -co BLOCKXSIZE=512 -co BLOCKYSIZE=512 \
    "$polygons" "$dir/rasterized.tif"
}
export -f peer; export dir min_y max_x polygons

rm -f "$results"
measure prospect "$here/build/prospect" evidence "$model" --out "$dir/out_rasterize" --threads 2 --quiet
measure gdal_rasterize bash -c peer

$py - "$dir" <<'PY'
import sys
import numpy as np
from osgeo import gdal
d = sys.argv[1]
ours_ds = gdal.Open(f"{d}/out_rasterize/evidence/lithology.tif")
peer_ds = gdal.Open(f"{d}/rasterized.tif")
ours, peer = ours_ds.GetRasterBand(1), peer_ds.GetRasterBand(1)
w, h = ours.XSize, ours.YSize
differ, n = 0, 0
for y in range(0, h, 512):
    rows = min(512, h - y)
    a = ours.ReadAsArray(0, y, w, rows)
    b = peer.ReadAsArray(0, y, w, rows)
    differ += int((a != b).sum()); n += a.size
print(f"check: class codes differ in {differ} of {n} cells")
PY
print_results "rasterize polygons"
