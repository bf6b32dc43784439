#!/usr/bin/env bash
# Batch throughput: COUNT generated surveys (one SIZE x SIZE Float32 raster each,
# a fuzzy model with targets, validation off) run by `prospect batch` with
# --jobs 1 and --jobs 2, against the shell loop a user would write (one
# `prospect run` per survey). Also the fixed cost per survey: the same batch on
# 16 x 16-cell surveys, where almost nothing is left but starting a survey,
# parsing the model and writing the manifest and small outputs.
#
#   tools/bench/bench_batch.sh [--count 20] [--size 1000] [--runs 3]
#                              [--dir /tmp/prospect-bench] [--prospect build/prospect]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
count=20 size=1000 runs=3 dir=${BENCH_DIR:-/tmp/prospect-bench} prospect=$here/build/prospect
while [ $# -gt 0 ]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --prospect) prospect=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
make_surveys() {  # make_surveys FOLDER SIZE
  $py - "$1" "$2" "$count" <<'PY'
import os, sys
import numpy as np
from osgeo import gdal, osr
folder, size, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
srs = osr.SpatialReference(); srs.ImportFromEPSG(32733)
for k in range(count):
    os.makedirs(f"{folder}/survey{k:02d}", exist_ok=True)
    path = f"{folder}/survey{k:02d}/eth.tif"
    if os.path.exists(path):
        continue
    rng = np.random.default_rng(k)
    y, x = np.mgrid[0:size, 0:size] / size
    v = (10 + 20 * np.sin(6 * x + k) * np.cos(5 * y) + rng.normal(0, 2, (size, size))).astype("float32")
    ds = gdal.GetDriverByName("GTiff").Create(path, size, size, 1, gdal.GDT_Float32, ["TILED=YES"])
    ds.SetGeoTransform((400000 + 50000 * k, 25, 0, 7800000, 0, -25)); ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).WriteArray(v); ds = None
PY
}
template=$dir/batch_template.yaml
cat >"$template" <<'YAML'
grid: {like: eth.tif}
inputs: {eth: {path: eth.tif}}
evidence: {th: {input: eth, membership: {function: large, midpoint: 20, spread: 4}}}
scores: {Dy: th}
targets: {top_percent: 2}
YAML
big=$dir/batch_surveys_${count}x${size}
tiny=$dir/batch_surveys_${count}x16
make_surveys "$big" "$size"
make_surveys "$tiny" 16

results=$dir/batch_results.txt
: >"$results"
source "$here/tools/bench/lib.sh"
for s in "$big"/survey* "$tiny"/survey*; do cp "$template" "$s/model.yaml"; done
shell_loop() { for s in "$1"/survey*; do "$prospect" run "$s/model.yaml" --out "$2/$(basename "$s")" --quiet --no-validation; done; }
export -f shell_loop; export prospect
measure prospect "$prospect" batch "$template" "$big" --out "$dir/batch-j2" --jobs 2 --force --quiet --no-validation
measure prospect_jobs1 "$prospect" batch "$template" "$big" --out "$dir/batch-j1" --jobs 1 --force --quiet --no-validation
measure shell_loop_of_runs bash -c "shell_loop $big $dir/batch-loop"
measure tiny_jobs1 "$prospect" batch "$template" "$tiny" --out "$dir/batch-tiny" --jobs 1 --force --quiet --no-validation
measure tiny_up_to_date "$prospect" batch "$template" "$tiny" --out "$dir/batch-tiny" --jobs 1 --quiet --no-validation
print_results "Batch of $count surveys of ${size}x${size} cells"
awk -v n="$count" '$1=="prospect"{j2=$2} $1=="prospect_jobs1"{j1=$2} $1=="tiny_jobs1"{t=$2} $1=="tiny_up_to_date"{u=$2}
  END { printf "--jobs 2 vs --jobs 1: %.2fx faster (target >= 1.7x)\n", j1 / j2
        printf "per survey on 16x16 surveys (start, parse, score, write, manifest, report): %.0f ms (target < 50 ms)\n", 1000 * t / n
        printf "per survey when up to date (hash check only): %.0f ms\n", 1000 * u / n }' "$results"
