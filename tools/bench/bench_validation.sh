#!/usr/bin/env bash
# Validation costs, measured two ways:
#  1. A SIZE x SIZE score map validated against DEPOSITS points (AUC with a
#     2,000-resample bootstrap interval, rate curve, capture, P-A point, and the
#     response curve of the input): prospect's validate step (manifest timings)
#     against reading the map once with rasterio, and the numpy script a user
#     would write for the AUC alone (tools/bench/validation_numpy.py).
#  2. 10-fold spatially blocked cross-validation of the Lofdal weights-of-
#     evidence demo against one fit of the same model.
#
#   tools/bench/bench_validation.sh [--size 8000] [--deposits 1000] [--runs 3]
#                                   [--dir /tmp/prospect-bench] [--prospect build/prospect]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
size=8000 deposits=1000 runs=3 dir=${BENCH_DIR:-/tmp/prospect-bench} prospect=$here/build/prospect
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --deposits) deposits=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --prospect) prospect=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
mkdir -p "$dir"
$py "$here/tools/bench/make_fuzzy_inputs.py" --size "$size" --count 1 --out "$dir"
input=$dir/in1_${size}.tif
points=$dir/validation_deposits_${deposits}_${size}.geojson
# Deposits where the input is high (the map is worth validating), inside the grid.
$py - "$input" "$points" "$deposits" <<'PY'
import json, sys
import numpy as np
import rasterio
path, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(7)
with rasterio.open(path) as src:
    feats = []
    while len(feats) < n:
        r, c = rng.integers(0, src.height), rng.integers(0, src.width)
        v = src.read(1, window=((r, r + 1), (c, c + 1)))[0, 0]
        if v != src.nodata and rng.uniform() < v:
            x, y = src.xy(r, c)
            feats.append({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [x, y]}})
json.dump({"type": "FeatureCollection", "features": feats}, open(out, "w"))
PY
model=$dir/validation_bench_${size}.yaml
cat >"$model" <<YAML
name: bench-validation
grid: {like: $input}
inputs: {a: {path: $input}}
evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1}}}
scores: {S: e}
targets: false
outputs: {compress: none, overviews: false, evidence: none}
validation: {deposits: {path: $points, crs: EPSG:32733}}
YAML

results=$dir/validation_results.txt
: >"$results"
source "$here/tools/bench/lib.sh"
steps=$dir/validation_steps.txt
: >"$steps"
for _ in $(seq 1 "$runs"); do
  rm -rf "$dir/val-out"
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$prospect" run "$model" --out "$dir/val-out" --quiet --no-report >/dev/null
  $py -c "import json,sys; t=dict(json.load(open(sys.argv[1]))['timings_seconds']); print(t['validate'], t['score'], t['total'])" \
    "$dir/val-out/manifest.json" >>"$steps"
done
map=$dir/val-out/prospectivity.tif
measure prospect_no_validation "$prospect" run "$model" --out "$dir/val-out-none" --quiet --no-report --no-validation
measure prospect "$prospect" run "$model" --out "$dir/val-out-b" --quiet --no-report
measure read_map_once_rasterio $py "$here/tools/bench/validation_numpy.py" read "$map"
measure auc_numpy_script $py "$here/tools/bench/validation_numpy.py" auc "$map" "$points"
print_results "Validation of a ${size}x${size} map with ${deposits} deposits"
read_s=$(for _ in $(seq 1 "$runs"); do $py "$here/tools/bench/validation_numpy.py" read "$map" | cut -d' ' -f1; done | sort -g | sed -n "$(( (runs + 1) / 2 ))p")
echo "reading the map once (rasterio, inside the process): median $read_s s"

$py - "$steps" "$read_s" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
validate = statistics.median(r[0] for r in rows)
score = statistics.median(r[1] for r in rows)
print(f"prospect validate step: median {validate:.2f} s (scoring pass {score:.2f} s)")
print(f"validate step / reading the map once: {validate / float(sys.argv[2]):.2f}x (target < 2x)")
PY
$py - "$dir/val-out/validation.json" "$map" "$points" <<'PY'
import json, subprocess, sys
ours = json.load(open(sys.argv[1]))["bands"][0]
peer = json.loads(subprocess.check_output([sys.executable, "tools/bench/validation_numpy.py", "auc", sys.argv[2], sys.argv[3]]))
print(f"AUC prospect {ours['auc']:.12f}, numpy {peer['auc']:.12f}; deposits {ours['deposits_scored']} / {peer['deposits']}")
PY

# 2. Cross-validation against one fit, on the Lofdal weights-of-evidence demo.
wofe=$dir/lofdal-wofe-cv.yaml
sed "s|\.\./\.\./|$here/|g" "$here/docs/examples/lofdal-wofe.yaml" >"$wofe"
sed 's|^  cross_validation: *# .*|  cross_validation: false|; /^    folds: 10/d; /^    block_m: 1000/d' "$wofe" >"$dir/lofdal-wofe-nocv.yaml"
cv_steps=$dir/cv_steps.txt
: >"$cv_steps"
for _ in $(seq 1 "$runs"); do
  for m in "$wofe" "$dir/lofdal-wofe-nocv.yaml"; do
    rm -rf "$dir/cv-out"
    "$prospect" run "$m" --out "$dir/cv-out" --quiet --no-report >/dev/null
    $py -c "import json,sys; t=dict(json.load(open(sys.argv[1]))['timings_seconds']); print(sys.argv[2], t['fit_weights'], t.get('cross_validate', 0), t['score'])" \
      "$dir/cv-out/manifest.json" "$(basename "$m")" >>"$cv_steps"
  done
done
$py - "$cv_steps" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, fit, cv, score = line.split()
    runs[name].append((float(fit), float(cv), float(score)))
def med(name, k):
    return statistics.median(r[k] for r in runs[name])
on, off = "lofdal-wofe-cv.yaml", "lofdal-wofe-nocv.yaml"
fit, cv, s1, s0 = med(on, 0), med(on, 1), med(on, 2), med(off, 2)
print(f"Lofdal WofE demo (3 scores, 10-fold blocked CV), medians: fit {fit:.3f} s, cross-validation "
      f"{cv * 1000:.0f} ms (manifest timings are to the ms), scoring {s1:.3f} s counting unique conditions, {s0:.3f} s without")
print(f"10-fold CV cost (refits + extra scoring) / one fit: {(cv + max(0.0, s1 - s0)) / fit:.3f}x (target < 10x)")
PY
