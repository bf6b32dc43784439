#!/usr/bin/env bash
# Weights of evidence and logistic regression over COUNT evidence layers of
# SIZE x SIZE cells, against the fuzzy overlay on the same layers (the issue's
# yardstick: applying a fitted model within 2x of the fuzzy overlay's time).
# Uses the inputs of bench_fuzzy.sh and DEPOSITS training points, 70 % drawn
# where layers 1 and 2 are high, 30 % anywhere (lib.sh evidence_deposits:
# random points leave WofE no contrast, every layer dropped, one score for the
# whole map; all points in the high cells separate the logistic fit perfectly).
# Reports wall seconds, peak RSS and prospect's phases: the fit (WofE: one
# counting pass; logistic: one pass per IRLS iteration) and the scoring pass.
#
#   tools/bench/bench_wofe.sh [--size 8000] [--count 8] [--deposits 1000] [--runs 3]
#                             [--dir /tmp/prospect-bench] [--prospect build/prospect]
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
points=$dir/deposits_${deposits}_${size}.geojson
. "$here/tools/bench/lib.sh"
evidence_deposits "$points" "$deposits" "$size" "$dir" 0.7

names=$(seq -s ', ' -f 'e%g' 1 "$count")
common() {  # grid and inputs of every model, on the inputs' own grid
  echo "grid: {like: ${inputs[0]}}"
  echo "inputs:"; for k in $(seq 1 "$count"); do echo "  a$k: {path: ${inputs[$((k-1))]}}"; done
}
fuzzy=$dir/wofe_bench_fuzzy_${size}.yaml
{ echo "name: bench-fuzzy"; common
  echo "evidence:"; for k in $(seq 1 "$count"); do echo "  e$k: {input: a$k, membership: {function: linear, low: 0, high: 1}}"; done
  echo "scores: {gamma: {op: gamma, gamma: 0.9, of: [$names]}, wsum: {op: sum, of: [$names]}}"
  echo "targets: false"; echo "outputs: {compress: none, overviews: false}"; } >"$fuzzy"
wofe=$dir/wofe_bench_wofe_${size}.yaml
{ echo "name: bench-wofe"; echo "model: wofe"; common
  echo "training: {deposits: {path: $points, crs: EPSG:32733}, unit_cell_km2: 1}"
  echo "evidence:"; for k in $(seq 1 "$count"); do echo "  e$k: {input: a$k, weights: descending, breaks: [0.2, 0.4, 0.6, 0.8]}"; done
  echo "scores: {P: {evidence: [$names]}}"
  echo "targets: false"; echo "outputs: {compress: none, overviews: false}"; } >"$wofe"
logistic=$dir/wofe_bench_logistic_${size}.yaml
{ echo "name: bench-logistic"; echo "model: logistic"; common
  echo "training: {deposits: {path: $points, crs: EPSG:32733}}"
  echo "evidence:"; for k in $(seq 1 "$count"); do echo "  e$k: {input: a$k}"; done
  echo "scores: {P: {evidence: [$names]}}"
  echo "targets: false"; echo "outputs: {compress: none, overviews: false}"; } >"$logistic"

rm -f "$dir/wofe_results.txt"
for round in $(seq 1 "$runs"); do
  for m in fuzzy wofe logistic; do
    model=$dir/wofe_bench_${m}_${size}.yaml
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$prospect" run "$model" --out "$dir/out_bench_$m" \
      --threads 2 --quiet >/dev/null 2>"$dir/$m.err" || { cat "$dir/$m.err" >&2; exit 1; }
    read -r wall kb <"$dir/time.txt"
    phases=$($py -c "import json,sys; t=json.load(open(sys.argv[1]))['timings_seconds']; print(t.get('fit', t.get('fit_weights', t.get('fit_logistic', 0))), t['score'])" "$dir/out_bench_$m/manifest.json")
    echo "$m $wall $((kb / 1024)) $phases" >>"$dir/wofe_results.txt"
  done
done
awk -v runs="$runs" '{ n[$1]++; w[$1, n[$1]] = $2; r[$1, n[$1]] = $3; f[$1, n[$1]] = $4; s[$1, n[$1]] = $5 }
  function median(a, m,   i, j, t, v) { for (i = 1; i <= runs; i++) v[i] = a[m, i]
    for (i = 1; i <= runs; i++) for (j = i + 1; j <= runs; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return v[int((runs + 1) / 2)] }
  END {
    printf "8 layers, median of %d runs\n%-10s %8s %9s %8s %8s %14s\n", runs, "model", "wall s", "peak MiB", "fit s", "score s", "score vs fuzzy"
    sf = median(s, "fuzzy")
    split("fuzzy wofe logistic", order, " ")
    for (k = 1; k <= 3; k++) { m = order[k]
      printf "%-10s %8.2f %9d %8.2f %8.2f %13.2fx\n", m, median(w, m), median(r, m), median(f, m), median(s, m), median(s, m) / sf }
  }' "$dir/wofe_results.txt"
