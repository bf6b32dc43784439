#!/bin/sh
# `mpirun -np 2 prospect batch` on the demo data gives the outputs of the same
# batch in one process, byte for byte: two good surveys (one with a survey.yaml
# override), one broken. Run by ctest when built with -DPROSPECT_MPI=ON.
#   batch_mpi_test.sh PROSPECT SOURCE_DIR WORK_DIR
set -eu
prospect=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work/surveys"
sed 's|\.\./\.\./||g' "$src/docs/examples/lofdal.yaml" >"$work/template.yaml"
for s in east west broken; do mkdir -p "$work/surveys/$s"; ln -s "$src/vectors" "$work/surveys/$s/vectors"; done
ln -s "$src/rasters" "$work/surveys/east/rasters"
ln -s "$src/rasters" "$work/surveys/west/rasters"
printf 'grid:\n  extent: [450000, 7735000, 465000, 7765000]\n' >"$work/surveys/west/survey.yaml"
mkdir -p "$work/surveys/broken/rasters" && cp "$src"/rasters/*.tif "$work/surveys/broken/rasters/"
head -c 4000 "$src/rasters/lofdal_k.tif" >"$work/surveys/broken/rasters/lofdal_k.tif"

"$prospect" batch "$work/template.yaml" "$work/surveys" --out "$work/local" --quiet --no-report >/dev/null 2>&1 &&
  { echo "the local batch should have failed (one broken survey)"; exit 1; }
mpirun --allow-run-as-root --oversubscribe -np 2 "$prospect" batch "$work/template.yaml" "$work/surveys" \
  --out "$work/mpi" --quiet --no-report >/dev/null 2>&1 &&
  { echo "the MPI batch should have failed (one broken survey)"; exit 1; }
status=0
for f in east/prospectivity.tif east/targets.geojson east/validation.json west/prospectivity.tif \
         west/targets.gpkg targets.geojson targets.csv; do
  cmp -s "$work/local/$f" "$work/mpi/$f" || { echo "differs: $f"; status=1; }
done
grep -q '^broken,failed,' "$work/mpi/summary.csv" || { echo "broken survey not reported as failed"; status=1; }
grep -q '^east,done,' "$work/mpi/summary.csv" || { echo "east not done"; status=1; }
# Both ranks ran surveys.
[ "$(grep -c '"event":"done"' "$work/mpi/batch.jsonl")" = 2 ] || { echo "expected 2 done events"; status=1; }
[ $status = 0 ] && echo "MPI batch equals the local batch"
exit $status
