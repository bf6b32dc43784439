#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + ASan + UBSan) into
# build-fuzz/ and runs each for SECONDS (default 60) from a seed corpus: the
# hostile model files of tests/data/hostile, the example models in
# docs/examples and tools/fuzz/expressions. A finding is saved as
# build-fuzz/findings/<target>/crash-* and fails the script.
#
#   tools/fuzz/run.sh            60 s per target (what CI runs)
#   tools/fuzz/run.sh 3600       an hour per target, for a longer search
set -euo pipefail
seconds=${1:-60}
here=$(cd "$(dirname "$0")/../.." && pwd)
"$here/tools/install_packages.sh" fuzz clang libclang-rt-14-dev
build=$here/build-fuzz
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_CXX_FLAGS="-O1 -g1" -DPROSPECT_BUILD_TESTS=OFF -DPROSPECT_FUZZ=ON >/dev/null
fi
log=$(mktemp)
if ! cmake --build "$build" --parallel "$(nproc)" --target fuzz_model_file fuzz_field_expression >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
rm -f "$log"

# Leaks inside GDAL/PROJ's process-lifetime caches are theirs, not ours.
export LSAN_OPTIONS="suppressions=$here/.ci/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
run() {
  local target=$1 dict=$2
  shift 2
  local corpus=$build/corpus/$target findings=$build/findings/$target
  mkdir -p "$corpus" "$findings"
  cp -n "$@" "$corpus"/ 2>/dev/null || true
  echo "fuzz: $target for ${seconds} s"
  if ! "$build/$target" "$corpus" ${dict:+-dict="$dict"} -max_total_time="$seconds" -max_len=8192 \
       -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$findings/" -print_final_stats=1 \
       >"$build/$target.log" 2>&1; then
    tail -n 40 "$build/$target.log" >&2
    echo "fuzz: $target found a problem; the input is in $findings" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/$target.log" | sed "s/^/fuzz: $target: /"
  fi
}
run fuzz_model_file "$here/tools/fuzz/model.dict" "$here"/tests/data/hostile/*.yaml "$here"/docs/examples/*.yaml
run fuzz_field_expression "" "$here"/tools/fuzz/expressions/*.txt
exit $status
