#!/usr/bin/env bash
# Gradient boosting over COUNT evidence layers of SIZE x SIZE cells with
# DEPOSITS training points: `prospect run` (model: gradient_boosting, no
# validation, no targets) against tools/bench/ml_xgboost.py (GDAL's Python
# bindings + python3-xgboost: the same sampling ratio, the same learner, a
# windowed prediction). Median wall seconds and peak RSS over RUNS. Uses the
# inputs of bench_fuzzy.sh.
#
#   tools/bench/bench_ml.sh [--size 8000] [--count 8] [--deposits 1000] [--runs 3]
#                           [--dir /tmp/prospect-bench] [--prospect build/prospect]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size=8000 count=8 deposits=1000 runs=3 dir=${BENCH_DIR:-/tmp/prospect-bench} prospect=$here/build/prospect
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --deposits) deposits=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --prospect) prospect=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
mkdir -p "$dir"
$py "$here/tools/bench/make_fuzzy_inputs.py" --size "$size" --count "$count" --out "$dir"
inputs=(); for k in $(seq 1 "$count"); do inputs+=("$dir/in${k}_${size}.tif"); done
points=$dir/ml_deposits_${deposits}_${size}.geojson
. "$here/tools/bench/lib.sh"
random_deposits "$points" "$deposits" "$size"

model=$dir/ml_bench_${size}.yaml
names=$(seq -s ', ' -f 'e%g' 1 "$count")
{ echo "name: bench-ml"; echo "model: gradient_boosting"
  echo "grid: {like: ${inputs[0]}}"
  echo "training: {deposits: {path: $points, crs: EPSG:32733}, background: {ratio: 10}}"
  echo "learner: {trees: 200, depth: 4, learning_rate: 0.1, subsample: 0.8}"
  echo "inputs:"; for k in $(seq 1 "$count"); do echo "  a$k: {path: ${inputs[$((k-1))]}}"; done
  echo "evidence:"; for k in $(seq 1 "$count"); do echo "  e$k: {input: a$k}"; done
  echo "scores: {P: {evidence: [$names]}}"
  echo "targets: false"; echo "outputs: {compress: none, overviews: false}"; } >"$model"

results=$dir/ml_results.txt
: >"$results"
measure prospect "$prospect" run "$model" --out "$dir/ml-out" --quiet --no-validation --no-report
measure xgboost_python $py "$here/tools/bench/ml_xgboost.py" "$dir/ml_python.tif" "$points" 10 "${inputs[@]}"
print_results "Gradient boosting, $count layers of ${size}x${size}, $deposits deposits"
