#!/usr/bin/env bash
# The normal run at growing grid sizes: a fuzzy gamma over 4 Float32 layers
# (the inputs of make_fuzzy_inputs.py), or with --model wofe weights of
# evidence of the same layers (5 classes each, descending: high values
# favourable; 1,000 training deposits drawn where layers 1 and 2 are high,
# validated against them), run once without targets and once with the top 1 %
# outlined as target zones, each with the default outputs (ZSTD COG
# with overviews, statistics, manifest; no report). Prints per size the wall
# seconds, seconds per million cells and peak RSS of both runs, and the ratio
# of the run with targets to the one without: what the targets cost, and
# whether time stays linear and memory flat as the grid grows.
#
#   tools/bench/bench_scale.sh [--sizes "1000 2000 4000 8000 16000"] [--runs 1] [--model fuzzy|wofe]
#                              [--dir /tmp/prospect-bench] [--prospect build/prospect]
#
# 16000² needs 4 GB of inputs on disk and a few minutes. Needs: tools/setup.sh
# (prospect built), the `time` package.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
sizes="1000 2000 4000 8000" runs=1 kind=fuzzy dir=${BENCH_DIR:-/tmp/prospect-bench} prospect=$here/build/prospect
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --model) kind=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --prospect) prospect=$(realpath "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "bench_scale: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ -x "$prospect" ] || { echo "bench_scale: $prospect missing (tools/setup.sh)" >&2; exit 1; }
mkdir -p "$dir"
results=$dir/scale_results_$kind.txt
: >"$results"
source "$here/tools/bench/lib.sh"

for size in $sizes; do
  /usr/bin/python3 "$here/tools/bench/make_fuzzy_inputs.py" --size "$size" --count 4 --out "$dir"
  points=$dir/deposits_1000_${size}.geojson
  if [ "$kind" = wofe ]; then evidence_deposits "$points" 1000 "$size" "$dir"; fi
  for targets in none top1; do
    model=$dir/scale_${kind}_${size}_${targets}.yaml
    {
      echo "name: bench-scale"
      echo "model: $kind"
      echo "grid: {like: $dir/in1_${size}.tif}"
      echo "inputs:"; for k in 1 2 3 4; do echo "  a$k: {path: $dir/in${k}_${size}.tif}"; done
      if [ "$kind" = wofe ]; then
        echo "training: {deposits: {path: $points, crs: EPSG:32733}, unit_cell_km2: 0.01}"
        echo "evidence:"; for k in 1 2 3 4; do echo "  e$k: {input: a$k, weights: descending, breaks: [0.2, 0.4, 0.6, 0.8]}"; done
        echo "scores: {P: {evidence: [e1, e2, e3, e4]}}"
        band=P
      else
        echo "evidence:"; for k in 1 2 3 4; do echo "  e$k: {input: a$k, membership: {function: linear, low: 0, high: 1}}"; done
        echo "scores: {gamma: {op: gamma, gamma: 0.9, of: [e1, e2, e3, e4]}}"
        band=gamma
      fi
      if [ $targets = none ]; then echo "targets: false"; else echo "targets: {score: $band, top_percent: 1}"; fi
    } >"$model"
    rm -rf "$dir/scale_out"
    measure "${size}_${targets}" "$prospect" run "$model" --out "$dir/scale_out" --no-report --quiet
    rm -rf "$dir/scale_out"
  done
done

awk -v kind="$kind" '{ split($1, k, "_"); w[k[1], k[2]] = $2; r[k[1], k[2]] = $3; if (!(k[1] in seen)) { seen[k[1]] = 1; order[++n] = k[1] } }
  END {
    printf "normal run, %s of 4 layers, median wall seconds and peak RSS\n", kind
    printf "%7s | %8s %9s %8s | %8s %9s %8s | %7s\n", "grid", "no tgt s", "s/Mcell", "MiB", "top 1% s", "s/Mcell", "MiB", "ratio"
    for (i = 1; i <= n; i++) { s = order[i]; mc = s * s / 1e6
      printf "%6s² | %8.2f %9.3f %8d | %8.2f %9.3f %8d | %6.2fx\n", s, w[s, "none"], w[s, "none"] / mc, r[s, "none"],
        w[s, "top1"], w[s, "top1"] / mc, r[s, "top1"], w[s, "top1"] / w[s, "none"] } }' "$results"
