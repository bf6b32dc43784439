#!/usr/bin/env bash
# Logistic regression over COUNT evidence layers of SIZE x SIZE cells with
# DEPOSITS random training points: the normal run (10-fold cross-validation)
# and the fit alone (cross_validation: false), against reading the inputs once
# (a rasterio loop over every block of the COUNT inputs, timed inside the
# process: the issue's yardstick, "fit <= 3x one read of the inputs").
# With --baseline BIN the same runs of another prospect build, interleaved.
# Reports wall seconds, peak RSS and the manifest's fit and cross_validate phases.
# Needs: tools/setup.sh (prospect built), python3-rasterio, the `time` package.
#
#   tools/bench/bench_logistic.sh [--size 8000] [--count 8] [--deposits 1000] [--runs 3]
#                                 [--dir /tmp/prospect-bench] [--prospect build/prospect]
#                                 [--baseline OTHER_PROSPECT]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size=8000 count=8 deposits=1000 runs=3 dir=${BENCH_DIR:-/tmp/prospect-bench}
prospect=$here/build/prospect baseline=
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --deposits) deposits=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --prospect) prospect=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
[ -x "$prospect" ] || { echo "bench_logistic: $prospect missing (tools/setup.sh)" >&2; exit 1; }
$py -c "import rasterio" 2>/dev/null ||
  { echo "bench_logistic: rasterio missing for $py (apt-get install python3-rasterio)" >&2; exit 1; }
mkdir -p "$dir"
$py "$here/tools/bench/make_fuzzy_inputs.py" --size "$size" --count "$count" --out "$dir"
inputs=(); for k in $(seq 1 "$count"); do inputs+=("$dir/in${k}_${size}.tif"); done
points=$dir/deposits_${deposits}_${size}.geojson
. "$here/tools/bench/lib.sh"
random_deposits "$points" "$deposits" "$size"

names=$(seq -s ', ' -f 'e%g' 1 "$count")
model() {  # model NAME VALIDATION
  echo "name: bench-logistic"; echo "model: logistic"; echo "grid: {like: ${inputs[0]}}"
  echo "inputs:"; for k in $(seq 1 "$count"); do echo "  a$k: {path: ${inputs[$((k-1))]}}"; done
  echo "training: {deposits: {path: $points, crs: EPSG:32733}}"
  echo "evidence:"; for k in $(seq 1 "$count"); do echo "  e$k: {input: a$k}"; done
  echo "scores: {P: {evidence: [$names]}}"
  [ -n "$2" ] && echo "validation: $2"
  echo "targets: false"; echo "outputs: {compress: none, overviews: false}"
}
model normal "" >"$dir/logistic_bench_normal_${size}.yaml"
model fit "{cross_validation: false}" >"$dir/logistic_bench_fit_${size}.yaml"

tools=(prospect); [ -n "$baseline" ] && tools+=(baseline)
results=$dir/logistic_results.txt; rm -f "$results"
for round in $(seq 1 "$runs"); do
  read_s=$($py "$here/tools/bench/validation_numpy.py" read "${inputs[@]}" | cut -d' ' -f1)
  echo "read $read_s 0 0 0" >>"$results"
  for t in "${tools[@]}"; do
    bin=$prospect; [ "$t" = baseline ] && bin=$baseline
    for m in normal fit; do
      sync
      /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$bin" run "$dir/logistic_bench_${m}_${size}.yaml" \
        --out "$dir/out_logistic_$m" --threads 2 --quiet >/dev/null 2>"$dir/$m.err" || { cat "$dir/$m.err" >&2; exit 1; }
      read -r wall kb <"$dir/time.txt"
      phases=$($py -c "import json,sys; t=json.load(open(sys.argv[1]))['timings_seconds']; print(t['fit'], t.get('cross_validate', 0))" "$dir/out_logistic_$m/manifest.json")
      echo "$t-$m $wall $((kb / 1024)) $phases" >>"$results"
    done
  done
done
awk -v runs="$runs" '{ n[$1]++; w[$1, n[$1]] = $2; r[$1, n[$1]] = $3; f[$1, n[$1]] = $4; c[$1, n[$1]] = $5; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
  function median(a, m,   i, j, t, v) { for (i = 1; i <= runs; i++) v[i] = a[m, i]
    for (i = 1; i <= runs; i++) for (j = i + 1; j <= runs; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return v[int((runs + 1) / 2)] }
  END {
    rd = median(w, "read")
    printf "%d layers, median of %d runs; one read of the inputs (rasterio, in process): %.2f s\n", '"$count"', runs, rd
    printf "%-18s %8s %9s %8s %8s %14s\n", "run", "wall s", "peak MiB", "fit s", "cv s", "fit / one read"
    for (i = 1; i <= k; i++) { m = order[i]; if (m == "read") continue
      printf "%-18s %8.2f %9d %8.2f %8.2f %13.2fx\n", m, median(w, m), median(r, m), median(f, m), median(c, m), median(f, m) / rd }
  }' "$results"
