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

measure() {
  local name=$1; shift
  local walls=() rss=()
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/$name.err" || {
      cat "$dir/$name.err" >&2; echo "$name failed" >&2; exit 1; }
    read -r wall kb <"$dir/time.txt"; walls+=("$wall"); rss+=("$kb")
  done
  echo "$name $(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (runs + 1) / 2 ))p") $(( $(printf '%s\n' "${rss[@]}" | sort -g | sed -n "$(( (runs + 1) / 2 ))p") / 1024 ))" >>"$dir/rasterize_results.txt"
}
peer() {
  rm -f "$dir/rasterized.tif"
  gdal_rasterize -q -a code -te 400000 "$min_y" "$max_x" 7800000 -tr 25 25 -ot Float32 \
    -init 0 -co TILED=YES -co BLOCKXSIZE=512 -co BLOCKYSIZE=512 \
    "$polygons" "$dir/rasterized.tif"
}
export -f peer; export dir min_y max_x polygons

rm -f "$dir/rasterize_results.txt"
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
awk '{ w[$1]=$2; r[$1]=$3; o[NR]=$1 } END {
  printf "rasterize polygons, median wall seconds and peak RSS\n%-26s %8s %9s %12s\n", "tool", "wall s", "peak MiB", "vs prospect"
  for (i = 1; i <= NR; i++) printf "%-26s %8.2f %9d %11.2fx\n", o[i], w[o[i]], r[o[i]], w[o[i]] / w["prospect"] }' "$dir/rasterize_results.txt"
