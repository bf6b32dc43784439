#!/usr/bin/env bash
# Distance to COUNT fault lines on a SIZE x SIZE grid of 25 m cells: prospect
# (exact distance to the line geometry) against the GDAL route a GIS user takes
# (gdal_rasterize the lines, then gdal_proximity.py: distance to the nearest
# burnt cell centre, so up to half a cell diagonal off). Median wall seconds and
# peak RSS over RUNS, and how far the peer's distances are from the exact ones.
#
#   tools/bench/bench_distance.sh [--size 8000] [--count 5000] [--runs 3] [--dir /tmp/prospect-bench]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size=8000 count=5000 runs=3 dir=${BENCH_DIR:-/tmp/prospect-bench}
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
faults=$dir/faults_${count}.gpkg
$py "$here/tools/bench/make_fault_lines.py" --count "$count" --out "$faults"
max_x=$(echo "400000 + $size * 25" | bc); min_y=$(echo "7800000 - $size * 25" | bc)
model=$dir/distance_${size}.yaml
cat >"$model" <<YAML
name: bench-distance
grid: {crs: EPSG:32733, cell_size: 25, extent: [400000, $min_y, $max_x, 7800000]}
inputs:
  faults: {path: $faults, distance: true}
evidence:
  d: {input: faults, membership: {function: linear, low: 0, high: 1000000}}
scores: {distance_over_1000km: d}
targets: false
outputs: {compress: none, overviews: false, evidence: none}
YAML

results=$dir/distance_results.txt
. "$here/tools/bench/lib.sh"
peer() {
  rm -f "$dir/burnt.tif" "$dir/proximity.tif"
  gdal_rasterize -q -burn 1 -te 400000 "$min_y" "$max_x" 7800000 -tr 25 25 -ot Byte \
    -co TILED=YES "$faults" "$dir/burnt.tif"
  gdal_proximity.py -q "$dir/burnt.tif" "$dir/proximity.tif" -values 1 -distunits GEO \
    -ot Float32 -co TILED=YES -co BLOCKXSIZE=512 -co BLOCKYSIZE=512
}
export -f peer; export dir min_y max_x faults

rm -f "$results"
measure prospect "$here/build/prospect" run "$model" --out "$dir/out_distance" --threads 2 --quiet
measure gdal_rasterize+proximity bash -c peer

$py - "$dir" <<'PY'
import sys
import numpy as np
from osgeo import gdal
d = sys.argv[1]
ours_ds = gdal.Open(f"{d}/out_distance/prospectivity.tif")  # datasets must outlive their bands
peer_ds = gdal.Open(f"{d}/proximity.tif")
ours, peer = ours_ds.GetRasterBand(1), peer_ds.GetRasterBand(1)
w = ours.XSize
worst, total, n = 0.0, 0.0, 0
for y in range(0, w, w // 8):
    a = ours.ReadAsArray(0, y, w, 64).astype(np.float64) * 1e6  # back to metres
    b = peer.ReadAsArray(0, y, w, 64).astype(np.float64)
    diff = np.abs(a - b)
    worst = max(worst, float(diff.max())); total += float(diff.sum()); n += diff.size
print(f"check: GDAL proximity vs exact distance: mean |difference| {total / n:.2f} m, max {worst:.2f} m (cell 25 m)")
PY
print_results "distance to lines"
