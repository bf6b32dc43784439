#!/usr/bin/env bash
# IDW of COUNT soil samples onto a SIZE x SIZE grid of 25 m cells with the 12
# nearest samples within a radius: prospect against gdal_grid -a invdistnn (the
# same estimator), median wall seconds and peak RSS over RUNS, and the largest
# relative difference between the two grids.
#
#   tools/bench/bench_idw.sh [--size 2000] [--count 20000] [--runs 3] [--dir /tmp/prospect-bench]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size=2000 count=20000 runs=3 dir=${BENCH_DIR:-/tmp/prospect-bench}
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
samples=$dir/soil_${count}_${size}.csv
max_x=$(echo "400000 + $size * 25" | bc); min_y=$(echo "7800000 - $size * 25" | bc)
radius=$(echo "$size * 25 / 20" | bc)
if [ ! -f "$samples" ]; then
  $py - "$samples" "$count" "$size" <<'PY'
import sys, numpy as np
path, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(20000)
x = 400000 + rng.uniform(0, size * 25, n); y = 7800000 - rng.uniform(0, size * 25, n)
v = np.exp(rng.normal(3, 0.8, n))  # log-normal ppm
with open(path + ".part", "w") as f:
    f.write("id,x,y,Dy_ppm\n")
    for i in range(n):
        f.write(f"{i},{x[i]:.2f},{y[i]:.2f},{v[i]:.4f}\n")
import os; os.replace(path + ".part", path)
PY
fi
model=$dir/idw_${size}.yaml
cat >"$model" <<YAML
name: bench-idw
grid: {crs: EPSG:32733, cell_size: 25, extent: [400000, $min_y, $max_x, 7800000]}
inputs:
  dy: {path: $samples, crs: EPSG:32733, idw: {field: Dy_ppm, power: 2, max_points: 12, radius: $radius}}
evidence:
  e: {input: dy, membership: {function: linear, low: 0, high: 1000000}}
scores: {dy_over_1e6: e}
targets: false
outputs: {compress: none, overviews: false, evidence: none}
YAML
# gdal_grid reads the CSV through a VRT naming the coordinate columns.
cat >"$dir/soil_${count}_${size}.vrt" <<VRT
<OGRVRTDataSource><OGRVRTLayer name="soil_${count}_${size}"><SrcDataSource>$samples</SrcDataSource>
<GeometryType>wkbPoint</GeometryType><LayerSRS>EPSG:32733</LayerSRS>
<GeometryField encoding="PointFromColumns" x="x" y="y" z="Dy_ppm"/></OGRVRTLayer></OGRVRTDataSource>
VRT

results=$dir/idw_results.txt
. "$here/tools/bench/lib.sh"
rm -f "$results"
measure prospect "$here/build/prospect" run "$model" --out "$dir/out_idw" --threads 2 --quiet
measure gdal_grid gdal_grid -q -a "invdistnn:power=2.0:radius=$radius:max_points=12:min_points=1:nodata=-9999" \
  -txe 400000 "$max_x" -tye 7800000 "$min_y" -outsize "$size" "$size" -ot Float32 \
  -co TILED=YES "$dir/soil_${count}_${size}.vrt" "$dir/gdal_grid_idw.tif"

$py - "$dir" <<'PY'
import sys
import numpy as np
from osgeo import gdal
d = sys.argv[1]
a_ds = gdal.Open(f"{d}/out_idw/prospectivity.tif"); b_ds = gdal.Open(f"{d}/gdal_grid_idw.tif")
a = a_ds.GetRasterBand(1).ReadAsArray().astype(np.float64) * 1e6
b = b_ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
ok = (a > -9999 * 1e5) & (b != -9999)
rel = np.abs(a[ok] - b[ok]) / np.maximum(np.abs(b[ok]), 1e-12)
print(f"check: prospect vs gdal_grid invdistnn: max relative difference {rel.max():.2e}, "
      f"cells compared {ok.sum()}, nodata agreement {np.mean((a <= -9999 * 1e5) == (b == -9999)):.4f}")
PY
print_results "IDW"
