# Shared by the side-by-side benchmarks (sourced, not run). Expects $dir, $runs
# and $results (a file) to be set by the caller.

# measure NAME COMMAND...: runs COMMAND $runs times, appends "NAME median_wall_s median_peak_MiB".
measure() {
  local name=$1; shift
  local walls=() rss=()
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/$name.err" || {
      cat "$dir/$name.err" >&2; echo "$name failed" >&2; exit 1; }
    read -r wall kb <"$dir/time.txt"; walls+=("$wall"); rss+=("$kb")
  done
  local mid=$(( (runs + 1) / 2 ))
  echo "$name $(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p") $(( $(printf '%s\n' "${rss[@]}" | sort -g | sed -n "${mid}p") / 1024 ))" >>"$results"
}

# print_results TITLE: the table of $results with each tool's time against prospect's.
print_results() {
  awk -v title="$1" '{ w[$1]=$2; r[$1]=$3; o[NR]=$1 } END {
    printf "%s, median wall seconds and peak RSS\n%-26s %8s %9s %12s\n", title, "tool", "wall s", "peak MiB", "vs prospect"
    for (i = 1; i <= NR; i++) printf "%-26s %8.2f %9d %11.2fx\n", o[i], w[o[i]], r[o[i]], w[o[i]] / w["prospect"] }' "$results"
}

# random_deposits PATH COUNT SIZE: COUNT random training points (fixed seed) as
# GeoJSON over the SIZE x SIZE grid of 25 m cells from (400000, 7800000), UTM 33S.
random_deposits() {
  /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import json, sys
import numpy as np
path, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(1000)
x = 400000 + rng.uniform(0, size * 25, n)
y = 7800000 - rng.uniform(0, size * 25, n)
features = [{"type": "Feature", "properties": {"id": i},
             "geometry": {"type": "Point", "coordinates": [round(float(a), 2), round(float(b), 2)]}}
            for i, (a, b) in enumerate(zip(x, y))]
json.dump({"type": "FeatureCollection", "features": features}, open(path, "w"))
PY
}

# evidence_deposits PATH COUNT SIZE DIR [SHARE]: COUNT training points (fixed
# seed) that follow the evidence: SHARE of them (default all) drawn from the
# cells where in1_SIZE.tif and in2_SIZE.tif of DIR (make_fuzzy_inputs.py) are
# both in their top 30 %, the rest anywhere, each at a random place inside its
# cell, so a weights-of-evidence model finds real contrasts and a graded map
# (random points give it none: every layer dropped, one score). A logistic
# regression needs SHARE < 1: all points in the high cells separate perfectly.
evidence_deposits() {
  /usr/bin/python3 - "$1" "$2" "$3" "$4" "${5:-1}" <<'PY'
import json, sys
import numpy as np
from osgeo import gdal
path, n, size, folder = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
share = float(sys.argv[5])
def read(k):
    ds = gdal.Open(f"{folder}/in{k}_{size}.tif")  # held while its band is read
    return ds.GetRasterBand(1).ReadAsArray()
a = read(1)
high = a >= np.quantile(a[a > -9999], 0.7)
del a
b = read(2)
high &= b >= np.quantile(b[b > -9999], 0.7)
del b
cells = np.flatnonzero(high)
rng = np.random.default_rng(1000)
near = int(round(n * share))
pick = np.concatenate([cells[rng.choice(len(cells), size=near, replace=len(cells) < near)],
                       rng.integers(0, size * size, n - near)])
rows, cols = np.divmod(pick, size)
x = 400000 + (cols + rng.uniform(0.05, 0.95, n)) * 25.0
y = 7800000 - (rows + rng.uniform(0.05, 0.95, n)) * 25.0
features = [{"type": "Feature", "properties": {"id": i},
             "geometry": {"type": "Point", "coordinates": [round(float(u), 2), round(float(v), 2)]}}
            for i, (u, v) in enumerate(zip(x, y))]
json.dump({"type": "FeatureCollection", "features": features}, open(path, "w"))
PY
}
