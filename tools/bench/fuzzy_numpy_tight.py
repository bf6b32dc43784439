#!/usr/bin/python3
"""The peer a strong Python engineer would write for the fuzzy overlay of
bench_fuzzy.sh, tuned for speed: float32 throughout; in-place ufuncs into
buffers allocated once; strips of whole input block rows; each strip split over
two compute threads (numpy releases the GIL inside ufuncs); the next strip read
on a background thread while this one is computed and written; GDAL's block
cache at 64 MB. Same formulas as fuzzy_rasterio.py: mu = clip(x, 0, 1);
gamma 0.9 of the fuzzy sum and product; weighted sum with weights
1,2,3,4,4,3,2,1; nodata where any input is nodata.

    /usr/bin/python3 tools/bench/fuzzy_numpy_tight.py OUT.tif IN1.tif ... IN8.tif
"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("GDAL_CACHEMAX", "64")

import numpy as np  # noqa: E402
import rasterio  # noqa: E402
from rasterio.windows import Window  # noqa: E402

GAMMA = np.float32(0.9)
WEIGHTS = np.array([1, 2, 3, 4, 4, 3, 2, 1], dtype=np.float32)
NODATA = np.float32(-9999.0)
THREADS = 2


class Half:
    """One compute thread's buffers for its half of a strip (columns lo:hi)."""

    def __init__(self, rows, cols):
        shape = (rows, cols)
        self.missing = np.empty(shape, dtype=bool)
        self.flag = np.empty(shape, dtype=bool)
        self.prod = np.empty(shape, dtype=np.float32)
        self.cosum = np.empty(shape, dtype=np.float32)
        self.wsum = np.empty(shape, dtype=np.float32)
        self.tmp = np.empty(shape, dtype=np.float32)


def compute(strip, h, lo, hi, half, out, weights):
    """gamma into out[0], weighted sum into out[1], for rows :h, columns lo:hi."""
    n = len(strip)
    m, f, prod, cosum, wsum, tmp = (half.missing[:h], half.flag[:h], half.prod[:h],
                                    half.cosum[:h], half.wsum[:h], half.tmp[:h])
    for k in range(n):
        x = strip[k][:h, lo:hi]
        if k == 0:
            np.equal(x, NODATA, out=m)
        else:
            np.equal(x, NODATA, out=f)
            np.logical_or(m, f, out=m)
        np.clip(x, 0.0, 1.0, out=x)
        np.subtract(np.float32(1.0), x, out=tmp)
        if k == 0:
            np.copyto(prod, x)
            np.copyto(cosum, tmp)
            np.multiply(x, weights[0], out=wsum)
        else:
            np.multiply(prod, x, out=prod)
            np.multiply(cosum, tmp, out=cosum)
            np.multiply(x, weights[k], out=tmp)
            np.add(wsum, tmp, out=wsum)
    g, s = out[0][:h, lo:hi], out[1][:h, lo:hi]
    np.subtract(np.float32(1.0), cosum, out=cosum)  # the fuzzy sum
    np.power(cosum, GAMMA, out=g)
    np.power(prod, np.float32(1.0) - GAMMA, out=tmp)
    np.multiply(g, tmp, out=g)
    np.multiply(wsum, np.float32(1.0) / weights.sum(), out=s)
    np.copyto(g, NODATA, where=m)
    np.copyto(s, NODATA, where=m)


def main():
    out_path, inputs = sys.argv[1], sys.argv[2:]
    srcs = [rasterio.open(p) for p in inputs]
    width, height = srcs[0].width, srcs[0].height
    # Whole rows of input blocks, and of the output's 512-row tiles, per strip.
    block_rows = srcs[0].block_shapes[0][0]
    rows = 512 if 512 % block_rows == 0 else block_rows
    profile = srcs[0].profile
    profile.update(count=2, dtype="float32", nodata=float(NODATA), tiled=True, blockxsize=512,
                   blockysize=512, compress=None, BIGTIFF="IF_SAFER")
    weights = WEIGHTS[: len(srcs)]
    # Two sets of strip buffers: one being read while the other is computed.
    strips = [[np.empty((rows, width), dtype=np.float32) for _ in srcs] for _ in range(2)]
    out = [np.empty((rows, width), dtype=np.float32) for _ in range(2)]
    bounds = [(t * width // THREADS, (t + 1) * width // THREADS) for t in range(THREADS)]
    halves = [Half(rows, hi - lo) for lo, hi in bounds]

    def read(s):
        row0 = s * rows
        h = min(rows, height - row0)
        for k, src in enumerate(srcs):
            src.read(1, window=Window(0, row0, width, h), out=strips[s % 2][k][:h])
        return h

    count = (height + rows - 1) // rows
    with rasterio.open(out_path, "w", **profile) as dst, \
            ThreadPoolExecutor(1) as reader, ThreadPoolExecutor(THREADS) as pool:
        pending = reader.submit(read, 0)
        for s in range(count):
            h = pending.result()
            if s + 1 < count:
                pending = reader.submit(read, s + 1)
            jobs = [pool.submit(compute, strips[s % 2], h, lo, hi, halves[t], out, weights)
                    for t, (lo, hi) in enumerate(bounds)]
            for j in jobs:
                j.result()
            window = Window(0, s * rows, width, h)
            dst.write(out[0][:h], 1, window=window)
            dst.write(out[1][:h], 2, window=window)
    for src in srcs:
        src.close()


if __name__ == "__main__":
    main()
