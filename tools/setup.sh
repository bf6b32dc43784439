#!/usr/bin/env bash
# Installs the Debian packages prospect needs to build, test and benchmark, then
# configures and builds (with MPI for `mpirun ... prospect batch`: OpenMPI). Safe to run again: it installs only what is missing and
# stays quiet when there is nothing to do.
#
#   tools/setup.sh            install + build (build/)
#   tools/setup.sh --no-build install only
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libgdal-dev gdal-bin python3-gdal
  libproj-dev proj-bin proj-data
  libgeos-dev
  libboost-dev
  libgtest-dev libgmock-dev googletest
  libyaml-cpp-dev
  libcli11-dev
  libxxhash-dev
  libzstd-dev
  nlohmann-json3-dev
  python3-numpy
  libopenmpi-dev openmpi-bin
  libxgboost-dev python3-xgboost
)

"$(dirname "$0")/install_packages.sh" setup "${packages[@]}"

[ "${1:-}" = "--no-build" ] && exit 0

here=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${PROSPECT_BUILD_DIR:-$here/build}
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPROSPECT_MPI=ON >/dev/null
fi
build_log=$(mktemp)
if ! cmake --build "$build_dir" --parallel "$(nproc)" >"$build_log" 2>&1; then
  cat "$build_log" >&2
  echo "setup: build failed (log above)" >&2
  exit 1
fi
grep -i 'warning' "$build_log" >&2 || true
rm -f "$build_log"
