#!/usr/bin/env bash
# Fuzzy overlay benchmark: gamma and a weighted sum over COUNT aligned Float32
# rasters, prospect against gdal_calc.py and a block-wise rasterio script, all
# writing a tiled GeoTIFF, in one session, from a warm page cache. Prints wall
# seconds and peak RSS (median of RUNS), the ratios, and checks that the three
# tools computed the same numbers. prospect_t1/t2 do what the peers do (the two
# bands, uncompressed, no overviews, no targets); prospect_full is a normal run
# with the default outputs (ZSTD COG with overviews, statistics, top-1 % target
# polygons, manifest).
#
#   tools/bench/bench_fuzzy.sh [--size 8000] [--count 8] [--runs 3] [--dir /tmp/prospect-bench]
#
# Needs: tools/setup.sh (prospect built), python3-rasterio, the `time` package.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size=8000 count=8 runs=3 dir=${BENCH_DIR:-/tmp/prospect-bench}
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
prospect=$here/build/prospect
py=/usr/bin/python3
mkdir -p "$dir"
$py "$here/tools/bench/make_fuzzy_inputs.py" --size "$size" --count "$count" --out "$dir"
inputs=(); for k in $(seq 1 "$count"); do inputs+=("$dir/in${k}_${size}.tif"); done

# The same model for prospect: memberships are the values clipped to 0..1.
model=$dir/fuzzy_${size}.yaml
{
  echo "name: bench-fuzzy"
  echo "grid: {like: ${inputs[0]}}"
  echo "inputs:"; for k in $(seq 1 "$count"); do echo "  a$k: {path: ${inputs[$((k-1))]}}"; done
  echo "evidence:"; for k in $(seq 1 "$count"); do echo "  e$k: {input: a$k, membership: {function: linear, low: 0, high: 1}}"; done
  names=$(seq -s ', ' -f 'e%g' 1 "$count")
  weights=$(echo "1, 2, 3, 4, 4, 3, 2, 1" | cut -d, -f1-"$count")
  echo "scores:"
  echo "  gamma: {op: gamma, gamma: 0.9, of: [$names]}"
  echo "  wsum: {op: weighted_sum, weights: [$weights], of: [$names]}"
  echo "targets: false"
  echo "outputs: {compress: none, overviews: false}"
} >"$model"
# The same with everything a normal run adds: COG overviews and target polygons.
full_model=$dir/fuzzy_full_${size}.yaml
sed 's/^targets: false/targets: {score: gamma, top_percent: 1}/; s/^outputs: .*/outputs: {}/' \
  "$model" >"$full_model"

# gdal_calc.py: one --calc per output band, inputs as -A .. -H.
letters=(A B C D E F G H)
calc_args=()
for k in $(seq 0 $((count - 1))); do calc_args+=("-${letters[$k]}" "${inputs[$k]}"); done
mu() { echo "clip(${letters[$1]},0,1)"; }
prod="1"; co="1"; wsum="0"; wtot=0; w=(1 2 3 4 4 3 2 1)
for k in $(seq 0 $((count - 1))); do
  prod="$prod*$(mu "$k")"; co="$co*(1-$(mu "$k"))"; wsum="$wsum+${w[$k]}*$(mu "$k")"; wtot=$((wtot + w[k]))
done
gamma_expr="power(1-($co),0.9)*power($prod,0.1)"
wsum_expr="($wsum)/$wtot"

measure() {  # name, command...: median wall seconds and peak RSS (MiB) over $runs runs
  local name=$1; shift
  local walls=() rss=()
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/$name.err" || {
      cat "$dir/$name.err" >&2; echo "$name failed" >&2; exit 1; }
    read -r wall kb <"$dir/time.txt"
    walls+=("$wall"); rss+=("$kb")
  done
  local mw mr
  mw=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (runs + 1) / 2 ))p")
  mr=$(printf '%s\n' "${rss[@]}" | sort -g | sed -n "$(( (runs + 1) / 2 ))p")
  echo "$name $mw $((mr / 1024))" >>"$dir/results.txt"
}

rm -f "$dir/results.txt"
cat "${inputs[@]}" >/dev/null  # warm the page cache
measure cat cat "${inputs[@]}"
measure prospect_t2 "$prospect" run "$model" --out "$dir/out_prospect" --threads 2 --quiet
measure prospect_t1 "$prospect" run "$model" --out "$dir/out_prospect_t1" --threads 1 --quiet
measure prospect_full "$prospect" run "$full_model" --out "$dir/out_prospect_full" --threads 2 --quiet
measure rasterio $py "$here/tools/bench/fuzzy_rasterio.py" "$dir/out_rasterio.tif" "${inputs[@]}"
measure gdal_calc gdal_calc.py --quiet --overwrite "${calc_args[@]}" --calc "$gamma_expr" --calc "$wsum_expr" \
  --outfile "$dir/out_gdal_calc.tif" --type Float32 --NoDataValue -9999 \
  --co TILED=YES --co BLOCKXSIZE=512 --co BLOCKYSIZE=512 --co BIGTIFF=IF_SAFER

# Same numbers? Compare a few windows of every output band.
$py - "$dir" <<'PY'
import sys
import numpy as np
from osgeo import gdal
d = sys.argv[1]
ours = gdal.Open(f"{d}/out_prospect/prospectivity.tif")
for peer in ("out_rasterio.tif", "out_gdal_calc.tif"):
    other = gdal.Open(f"{d}/{peer}")
    worst = 0.0
    for b in (1, 2):
        for (x, y) in ((0, 0), (ours.RasterXSize // 2, ours.RasterYSize // 3), (ours.RasterXSize - 300, ours.RasterYSize - 300)):
            a = ours.GetRasterBand(b).ReadAsArray(x, y, 300, 300).astype(np.float64)
            c = other.GetRasterBand(b).ReadAsArray(x, y, 300, 300).astype(np.float64)
            assert np.array_equal(a == -9999, c == -9999), f"{peer} band {b}: nodata differs"
            ok = a != -9999
            worst = max(worst, float(np.max(np.abs(a[ok] - c[ok]))))
    print(f"check: prospect vs {peer}: max |difference| {worst:.2e}")
    assert worst < 1e-5, peer
PY

awk -v size="$size" -v count="$count" '
  { wall[$1] = $2; rss[$1] = $3; order[NR] = $1 }
  END {
    printf "fuzzy overlay, %d x %dx%d Float32, median wall seconds and peak RSS\n", count, size, size
    printf "%-14s %9s %10s %14s\n", "tool", "wall s", "peak MiB", "vs prospect_t2"
    for (i = 1; i <= NR; i++) { t = order[i]
      printf "%-14s %9.2f %10d %13.2fx\n", t, wall[t], rss[t], wall[t] / wall["prospect_t2"] }
  }' "$dir/results.txt"
