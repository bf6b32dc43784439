#!/usr/bin/env bash
# Fuzzy overlay benchmark: gamma and a weighted sum over COUNT aligned Float32
# rasters, prospect against gdal_calc.py, a block-wise rasterio script and a
# tuned numpy script (fuzzy_numpy_tight.py: float32, strips, two compute
# threads, reading ahead), all
# writing a tiled GeoTIFF, in one session, from a warm page cache. Prints wall
# seconds and peak RSS (median of RUNS, with the range of the walls), the
# ratios, prospect's own phase timings, and checks that the tools computed the
# same numbers. prospect_t1/t2 do what the peers do (the two bands,
# uncompressed, no overviews, no targets) into a new folder, so they also hash
# every input for the manifest; prospect_rerun is prospect_t2 run again into its
# previous folder (the inputs' hashes taken from the manifest there);
# prospect_full is a normal run with the default outputs (ZSTD COG with
# overviews, statistics, top-1 % target polygons, manifest).
#
#   tools/bench/bench_fuzzy.sh [--size 8000] [--count 8] [--runs 3] [--dir /tmp/prospect-bench]
#                              [--prospect build/prospect]
#
# --prospect times another binary, e.g. a copy taken before a rebuild starts,
# so that every run of a session measures the same build.
#
# Needs: tools/setup.sh (prospect built), python3-rasterio, the `time` package.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size=8000 count=8 runs=3 dir=${BENCH_DIR:-/tmp/prospect-bench} prospect=$here/build/prospect
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --prospect) prospect=$(realpath "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$count" -lt 1 ] || [ "$count" -gt 8 ]; then
  echo "--count must be 1..8 (gdal_calc.py takes inputs -A .. -H here)" >&2; exit 2
fi
# Debian's python: the peers must use the distribution's GDAL, numpy and rasterio,
# not whatever python3 comes first on PATH.
py=/usr/bin/python3
need() { echo "bench_fuzzy: $1" >&2; exit 1; }
[ -x /usr/bin/time ] || need "/usr/bin/time missing (apt-get install time)"
[ -x "$prospect" ] || need "$prospect missing (tools/setup.sh)"
command -v gdal_calc.py >/dev/null || need "gdal_calc.py missing (apt-get install gdal-bin python3-gdal)"
$py -c "import rasterio" 2>/dev/null || need "rasterio missing for $py (apt-get install python3-rasterio)"

mkdir -p "$dir"
$py "$here/tools/bench/make_fuzzy_inputs.py" --size "$size" --count "$count" --out "$dir"
inputs=(); for k in $(seq 1 "$count"); do inputs+=("$dir/in${k}_${size}.tif"); done

# The same model for prospect: memberships are the values clipped to 0..1.
model=$dir/fuzzy_${size}.yaml
{
  echo "name: bench-fuzzy"
  echo "model: fuzzy"
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

# gdal_calc.py: one --calc per output band (GDAL >= 3.2 writes one band per
# --calc), inputs as -A .. -H.
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

# The peers run twice: with GDAL's default block cache (5 % of RAM, what a user
# gets) and with the 64 MB that prospect sets for itself, since that cache,
# not the computation, sets most of their peak RSS. The tuned script sets 64 MB.
tools=(cat prospect_t2 prospect_rerun prospect_t1 prospect_full numpy_tight rasterio rasterio_c64 gdal_calc gdal_calc_c64)
cmd_cat=(cat "${inputs[@]}")
cmd_prospect_t2=("$prospect" run "$model" --out "$dir/out_prospect" --threads 2 --quiet)
cmd_prospect_rerun=("$prospect" run "$model" --out "$dir/out_prospect_rerun" --threads 2 --quiet)
cmd_prospect_t1=("$prospect" run "$model" --out "$dir/out_prospect_t1" --threads 1 --quiet)
cmd_prospect_full=("$prospect" run "$full_model" --out "$dir/out_prospect_full" --threads 2 --quiet)
cmd_rasterio=($py "$here/tools/bench/fuzzy_rasterio.py" "$dir/out_rasterio.tif" "${inputs[@]}")
cmd_rasterio_c64=(env GDAL_CACHEMAX=64 "${cmd_rasterio[@]/%out_rasterio.tif/out_rasterio_c64.tif}")
cmd_numpy_tight=($py "$here/tools/bench/fuzzy_numpy_tight.py" "$dir/out_numpy_tight.tif" "${inputs[@]}")
calc_common=(--quiet --overwrite "${calc_args[@]}" --calc "$gamma_expr" --calc "$wsum_expr"
  --type Float32 --NoDataValue -9999 --co TILED=YES --co BLOCKXSIZE=512 --co BLOCKYSIZE=512 --co BIGTIFF=IF_SAFER)
cmd_gdal_calc=(gdal_calc.py "${calc_common[@]}" --outfile "$dir/out_gdal_calc.tif")
cmd_gdal_calc_c64=(env GDAL_CACHEMAX=64 gdal_calc.py "${calc_common[@]}" --outfile "$dir/out_gdal_calc_c64.tif")

declare -A out_of=([prospect_t2]=$dir/out_prospect [prospect_t1]=$dir/out_prospect_t1
  [prospect_full]=$dir/out_prospect_full [numpy_tight]=$dir/out_numpy_tight.tif
  [rasterio]=$dir/out_rasterio.tif [rasterio_c64]=$dir/out_rasterio_c64.tif
  [gdal_calc]=$dir/out_gdal_calc.tif [gdal_calc_c64]=$dir/out_gdal_calc_c64.tif)

# prospect_rerun runs into the folder of its previous round, as a user who runs
# a model again does: the inputs' hashes come from the manifest there (their
# files unchanged), and the previous folder is replaced. One untimed run first,
# so that every timed one is such a rerun.
"${cmd_prospect_rerun[@]}" >/dev/null
cat "${inputs[@]}" >/dev/null  # warm the page cache
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Rounds, each running every tool once: on a shared machine a burst of other
# load then hits one run of several tools instead of all runs of one tool.
: >"$dir/runs.txt"
for r in $(seq 1 "$runs"); do
  for t in "${tools[@]}"; do
    declare -n cmd=cmd_$t
    # Each tool starts with no output of its own from an earlier round, removed
    # here, outside the timing. Otherwise the peers, which truncate or delete
    # their output first, would write into the pages just freed, while prospect,
    # which replaces its folder only once the new one is complete, writes into
    # pages freed rounds ago; on a VM whose host takes free pages back, those
    # cost ~1 s of system time per 512 MB (dd: 1.0-1.3 s against 0.2 s).
    rm -rf "${out_of[$t]:-/nonexistent}"
    # Every tool leaves ~0.5 GB of dirty pages; flush them here so that the
    # next tool does not compete with the previous one's writeback.
    sync
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "${cmd[@]}" >/dev/null 2>"$dir/$t.err" || {
      cat "$dir/$t.err" >&2; echo "$t failed" >&2; exit 1; }
    unset -n cmd
    read -r wall kb <"$dir/time.txt"
    echo "$t $wall $kb" >>"$dir/runs.txt"
    [ "${t#prospect}" = "$t" ] || cp "$dir/out_${t/#prospect_t2/prospect}/manifest.json" "$dir/$t.manifest.$r.json"
  done
done

# Same numbers? Compare windows of every output band: the peers against
# prospect within Float32 rounding (the tuned script computes in float32: a
# few float32 ulps of its products and powers), prospect's other runs bit for bit.
$py - "$dir" <<'PY'
import sys
import numpy as np
from osgeo import gdal
gdal.UseExceptions()
d = sys.argv[1]
ours = gdal.Open(f"{d}/out_prospect/prospectivity.tif")
nx, ny = ours.RasterXSize, ours.RasterYSize
n = min(300, nx, ny)
windows = ((0, 0), (nx // 2 - n // 2, ny // 3), (nx - n, ny - n), (nx // 5, ny - n))
for peer, tol in (("out_rasterio.tif", 1e-5), ("out_gdal_calc.tif", 1e-5),
                  ("out_rasterio_c64.tif", 1e-5), ("out_gdal_calc_c64.tif", 1e-5),
                  ("out_numpy_tight.tif", 1e-5),
                  ("out_prospect_t1/prospectivity.tif", 0.0),
                  ("out_prospect_rerun/prospectivity.tif", 0.0),
                  ("out_prospect_full/prospectivity.tif", 0.0)):
    other = gdal.Open(f"{d}/{peer}")
    assert (other.RasterXSize, other.RasterYSize) == (nx, ny), f"{peer}: size differs"
    worst = 0.0
    for b in (1, 2):
        for (x, y) in windows:
            a = ours.GetRasterBand(b).ReadAsArray(x, y, n, n).astype(np.float64)
            c = other.GetRasterBand(b).ReadAsArray(x, y, n, n).astype(np.float64)
            assert np.array_equal(a == -9999, c == -9999), f"{peer} band {b}: nodata differs"
            ok = a != -9999
            worst = max(worst, float(np.max(np.abs(a[ok] - c[ok]), initial=0.0)))
    print(f"check: prospect vs {peer}: max |difference| {worst:.2e}")
    assert worst <= tol, peer
PY

# Where prospect's time goes, from the manifest of its median run.
$py - "$dir" "$runs" <<'PY'
import json, sys
d, runs = sys.argv[1], int(sys.argv[2])
for t in ("prospect_t2", "prospect_rerun", "prospect_t1", "prospect_full"):
    ms = [json.load(open(f"{d}/{t}.manifest.{r}.json"))["timings_seconds"] for r in range(1, runs + 1)]
    m = sorted(ms, key=lambda m: m["total"])[(runs - 1) // 2]
    print(f"phases {t}: " + ", ".join(f"{k} {v:.2f}" for k, v in m.items()))
PY

awk -v size="$size" -v count="$count" -v runs="$runs" '
  function median(s,   a, n, i, j, v) {
    n = split(s, a, " ")
    for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
    lo = a[1]; hi = a[n]
    return a[int((n + 1) / 2)]
  }
  !($1 in seen) { seen[$1] = 1; order[++k] = $1 }
  { walls[$1] = walls[$1] " " $2; rss[$1] = rss[$1] " " $3 }
  END {
    for (i = 1; i <= k; i++) { t = order[i]; m = median(walls[t]); wall[t] = m; wlo[t] = lo; whi[t] = hi
                               peak[t] = median(rss[t]) / 1024 }
    printf "fuzzy overlay, %d x %dx%d Float32, median of %d runs\n", count, size, size, runs
    printf "%-14s %8s %13s %9s %15s %8s\n", "tool", "wall s", "range", "peak MiB", "vs prospect_t2", "vs cat"
    for (i = 1; i <= k; i++) { t = order[i]
      printf "%-14s %8.2f %13s %9d %14.2fx %7.1fx\n", t, wall[t], sprintf("%.2f-%.2f", wlo[t], whi[t]),
             peak[t], wall[t] / wall["prospect_t2"], wall[t] / wall["cat"] }
  }' "$dir/runs.txt"
# Other load on the machine skews all of this; say how much there was.
echo "load average (1/5/15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
