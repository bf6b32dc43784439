#!/usr/bin/python3
"""The peers for validating a score map against deposit points, as a Python
user would write them with rasterio and numpy:

  read   reads every block of band 1 of each file once and does nothing else (the
         yardstick); prints the seconds the reading took, without interpreter start-up;
  auc    reads the band, sorts the valid cells and places each deposit's score
         among them (AUC with ties one half, capture in the top 1/5/10/20 %).

    /usr/bin/python3 tools/bench/validation_numpy.py read MAP.tif [MORE.tif ...]
    /usr/bin/python3 tools/bench/validation_numpy.py auc MAP.tif DEPOSITS.geojson
"""
import json
import sys
import time

import numpy as np
import rasterio


def read_once(paths):
    start = time.perf_counter()
    total = 0.0
    for path in paths:
        with rasterio.open(path) as src:
            for _, window in src.block_windows(1):
                total += float(src.read(1, window=window)[0, 0])
    print(f"{time.perf_counter() - start:.4f} {total}")


def auc(path, deposits_path):
    with rasterio.open(path) as src:
        band = src.read(1)
        nodata = src.nodata
        rows_cols = []
        for f in json.load(open(deposits_path))["features"]:
            x, y = f["geometry"]["coordinates"]
            rows_cols.append(src.index(x, y))
    valid = band != nodata
    cells = np.sort(band[valid])
    scores = np.array([band[r, c] for r, c in rows_cols if 0 <= r < band.shape[0] and 0 <= c < band.shape[1]])
    scores = scores[scores != nodata]
    below = np.searchsorted(cells, scores, side="left")
    at_or_below = np.searchsorted(cells, scores, side="right")
    placements = (below + 0.5 * (at_or_below - below)) / cells.size
    capture = {p: float(np.mean(scores >= cells[int(cells.size * (1 - p / 100))])) for p in (1, 5, 10, 20)}
    print(json.dumps({"auc": float(placements.mean()), "deposits": int(scores.size), "capture": capture}))


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read_once(sys.argv[2:])
    else:
        auc(sys.argv[2], sys.argv[3])
