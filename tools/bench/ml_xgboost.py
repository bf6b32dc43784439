#!/usr/bin/python3
"""The script a geologist would write instead of `prospect run` with
model: gradient_boosting: GDAL's Python bindings and python3-xgboost. It reads
the deposit cells and a random background sample (RATIO per deposit cell) from
COUNT rasters, fits the same learner (200 rounds of depth 4, eta 0.1,
subsample 0.8, hist), and predicts the grid window by window (512 rows at a
time, so memory stays bounded), writing a tiled Float32 GeoTIFF.

    /usr/bin/python3 tools/bench/ml_xgboost.py OUT.tif DEPOSITS.geojson RATIO IN1.tif [IN2.tif ...]
"""
import json
import sys

import numpy as np
import xgboost as xgb
from osgeo import gdal

gdal.UseExceptions()


def main(argv):
    if len(argv) < 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out_path, deposits_path, ratio, paths = argv[1], argv[2], float(argv[3]), argv[4:]
    sources = [gdal.Open(p) for p in paths]
    first = sources[0]
    width, height = first.RasterXSize, first.RasterYSize
    gt = first.GetGeoTransform()
    bands = [s.GetRasterBand(1) for s in sources]
    nodata = [b.GetNoDataValue() for b in bands]

    def window(col, row, cols, rows):
        x = np.empty((rows * cols, len(bands)), dtype=np.float32)
        for j, b in enumerate(bands):
            v = b.ReadAsArray(col, row, cols, rows).astype(np.float32).ravel()
            if nodata[j] is not None:
                v[v == nodata[j]] = np.nan
            x[:, j] = v
        return x

    # Deposit cells, then the background: random cells that are no deposit cell.
    points = json.load(open(deposits_path))["features"]
    cells = set()
    for f in points:
        px, py = f["geometry"]["coordinates"]
        col, row = int((px - gt[0]) / gt[1]), int((py - gt[3]) / gt[5])
        if 0 <= col < width and 0 <= row < height:
            cells.add(row * width + col)
    cells = sorted(cells)
    rng = np.random.default_rng(1)
    background = rng.choice(width * height, size=int(ratio * len(cells) * 1.01), replace=False)
    taken = set(cells)
    background = [int(c) for c in background if int(c) not in taken][: int(ratio * len(cells))]
    rows = [window(c % width, c // width, 1, 1)[0] for c in cells + list(background)]
    labels = np.array([1] * len(cells) + [0] * len(background), dtype=np.float32)
    data = xgb.DMatrix(np.array(rows), label=labels, missing=np.nan)
    params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 4, "eta": 0.1,
              "subsample": 0.8, "seed": 1}
    booster = xgb.train(params, data, num_boost_round=200)

    driver = gdal.GetDriverByName("GTiff")
    out = driver.Create(out_path, width, height, 1, gdal.GDT_Float32,
                        ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512"])
    out.SetGeoTransform(gt)
    out.SetProjection(first.GetProjection())
    band = out.GetRasterBand(1)
    band.SetNoDataValue(-9999)
    step = 512
    for row in range(0, height, step):
        rows_here = min(step, height - row)
        x = window(0, row, width, rows_here)
        p = booster.inplace_predict(x, missing=np.nan)
        p[np.all(np.isnan(x), axis=1)] = -9999
        band.WriteArray(p.reshape(rows_here, width).astype(np.float32), 0, row)
    out = None
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
