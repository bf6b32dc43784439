#!/usr/bin/python3
"""The peer a Python user would write: fuzzy gamma and a weighted sum of linear
memberships over N aligned rasters, block by block with rasterio and numpy
(never whole rasters), into a two-band tiled GeoTIFF. Same formulas as
prospect's model in bench_fuzzy.sh: mu = clip(x, 0, 1); gamma 0.9; weights
1,2,3,4,4,3,2,1; nodata where any input is nodata.

    /usr/bin/python3 tools/bench/fuzzy_rasterio.py OUT.tif IN1.tif ... IN8.tif
"""
import sys

import numpy as np
import rasterio

GAMMA = 0.9
WEIGHTS = np.array([1, 2, 3, 4, 4, 3, 2, 1], dtype=np.float64)
NODATA = -9999.0


def main():
    out_path, inputs = sys.argv[1], sys.argv[2:]
    srcs = [rasterio.open(p) for p in inputs]
    profile = srcs[0].profile
    profile.update(count=2, dtype="float32", nodata=NODATA, tiled=True, blockxsize=512,
                   blockysize=512, compress=None, BIGTIFF="IF_SAFER")
    weights = WEIGHTS[: len(srcs)]
    with rasterio.open(out_path, "w", **profile) as dst:
        for _, window in dst.block_windows(1):
            mu = np.stack([s.read(1, window=window).astype(np.float64) for s in srcs])
            missing = np.any(mu == NODATA, axis=0)
            mu = np.clip(mu, 0.0, 1.0)
            prod = np.prod(mu, axis=0)
            fsum = 1.0 - np.prod(1.0 - mu, axis=0)
            gamma = np.power(fsum, GAMMA) * np.power(prod, 1.0 - GAMMA)
            wsum = np.tensordot(weights, mu, axes=1) / weights.sum()
            gamma[missing] = NODATA
            wsum[missing] = NODATA
            dst.write(gamma.astype(np.float32), 1, window=window)
            dst.write(wsum.astype(np.float32), 2, window=window)
    for s in srcs:
        s.close()


if __name__ == "__main__":
    main()
