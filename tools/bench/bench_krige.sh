#!/usr/bin/env bash
# Ordinary kriging of COUNT soil samples (ln values, the 16 nearest, a given
# spherical variogram) onto a SIZE x SIZE grid of 25 m cells: prospect against R
# gstat's local kriging (krige with nmax), median wall seconds and peak RSS over
# RUNS, and the largest relative difference between the two maps. GDAL has no
# kriging (gdal_grid offers inverse distance, moving average, nearest neighbour
# and linear only), so gstat is the peer. With --gstat-rows N gstat kriges only
# the first N rows of the grid (for grids where the whole map would take it
# hours); its time is then reported for those rows and scaled to the whole grid.
#
#   tools/bench/bench_krige.sh [--size 2000] [--count 20000] [--runs 3] [--gstat-rows N]
#                              [--dir /tmp/prospect-bench]
# Needs Debian's r-cran-gstat and r-cran-sp (installed here when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size=2000 count=20000 runs=3 rows=0 dir=${BENCH_DIR:-/tmp/prospect-bench}
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --gstat-rows) rows=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
"$here/tools/install_packages.sh" bench-krige r-cran-gstat r-cran-sp
[ "$rows" -gt 0 ] || rows=$size
py=/usr/bin/python3
mkdir -p "$dir"
samples=$dir/krige_soil_${count}_${size}.csv
max_x=$(echo "400000 + $size * 25" | bc); min_y=$(echo "7800000 - $size * 25" | bc)
if [ ! -f "$samples" ]; then
  # Log-normal values with spatial structure: a smooth random field plus noise.
  $py - "$samples" "$count" "$size" <<'PY'
import os, sys
import numpy as np
path, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(20001)
x = 400000 + rng.uniform(0, size * 25, n); y = 7800000 - rng.uniform(0, size * 25, n)
k = rng.normal(size=(40, 2)) / 3000.0; phase = rng.uniform(0, 2 * np.pi, 40)
field = np.sqrt(2 / 40) * np.cos(np.outer(x, k[:, 0]) + np.outer(y, k[:, 1]) + phase).sum(axis=1)
v = np.exp(3 + 0.7 * field + 0.3 * rng.normal(size=n))
with open(path + ".part", "w") as f:
    f.write("id,x,y,Dy_ppm\n")
    for i in range(n):
        f.write(f"{i},{x[i]:.2f},{y[i]:.2f},{v[i]:.4f}\n")
os.replace(path + ".part", path)
PY
fi
model=$dir/krige_${size}.yaml
cat >"$model" <<YAML
name: bench-krige
grid: {crs: EPSG:32733, cell_size: 25, extent: [400000, $min_y, $max_x, 7800000]}
inputs:
  dy:
    path: $samples
    crs: EPSG:32733
    krige: {field: Dy_ppm, log: true, max_points: 16,
            variogram: {model: spherical, nugget: 0.09, partial_sill: 0.49, range: 4000}}
evidence:
  e: {input: dy, membership: {function: linear, low: 0, high: 1000000}}
scores: {dy_over_1e6: e}
targets: false
outputs: {compress: none, overviews: false, evidence: none}
YAML
cat >"$dir/krige_gstat.R" <<'R'
suppressMessages({ library(sp); library(gstat) })
a <- commandArgs(trailingOnly = TRUE)
size <- as.integer(a[2]); rows <- as.integer(a[3])
pts <- read.csv(a[1]); coordinates(pts) <- ~x + y
grid <- expand.grid(x = 400000 + 12.5 + 25 * (0:(size - 1)), y = 7800000 - 12.5 - 25 * (0:(rows - 1)))
gridded(grid) <- ~x + y
k <- krige(log(Dy_ppm) ~ 1, pts, grid, model = vgm(0.49, "Sph", 4000, 0.09), nmax = 16,
           debug.level = 0)
writeBin(exp(k$var1.pred), a[4], size = 4)
R
results=$dir/krige_results.txt
. "$here/tools/bench/lib.sh"
rm -f "$results"
measure prospect "$here/build/prospect" run "$model" --out "$dir/out_krige" --threads 2 --quiet
measure gstat Rscript "$dir/krige_gstat.R" "$samples" "$size" "$rows" "$dir/gstat_krige.bin"
if [ "$rows" -lt "$size" ]; then  # the whole grid's time, scaled from the rows kriged
  awk -v f="$(echo "$size / $rows" | bc -l)" '$1 == "gstat" { printf "gstat(scaled) %.2f %d\n", $2 * f, $3 } { print }' \
    "$results" > "$results.tmp" && grep -v '^gstat ' "$results.tmp" > "$results"
fi

$py - "$dir" "$size" "$rows" <<'PY'
import sys
import numpy as np
from osgeo import gdal
d, size, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ds = gdal.Open(f"{d}/out_krige/prospectivity.tif")  # kept: its bands die with it
a = ds.GetRasterBand(1).ReadAsArray(0, 0, size, rows)
a = a.astype(np.float64) * 1e6
b = np.fromfile(f"{d}/gstat_krige.bin", dtype=np.float32).astype(np.float64).reshape(rows, size)
rel = np.abs(a - b) / np.abs(b)
# Where the k-th and (k+1)-th nearest samples are within micrometres of each
# other, gstat and prospect may keep different ones: those few cells are counted.
print(f"check: prospect vs gstat krige over {rows * size} cells: {np.count_nonzero(rel > 1e-6)} "
      f"differ by more than 1e-6 relative (max {rel.max():.2e}); the others by at most "
      f"{rel[rel <= 1e-6].max():.2e} (prospect writes float32: the estimate / 1e6 as its score)")
PY
print_results "Ordinary kriging, $count samples, 16 nearest, ${size}x${size}"
