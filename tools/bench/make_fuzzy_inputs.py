#!/usr/bin/python3
"""Writes the inputs of the fuzzy-overlay benchmark: COUNT Float32 rasters of
SIZE x SIZE cells with values in 0..1 (smooth fields plus noise, about 0.5 %
nodata), tiled 256 x 256 and uncompressed so reading them costs what the disk
and memory bandwidth cost. Written block by block: memory stays small at any size.
Deterministic (fixed seeds).

    /usr/bin/python3 tools/bench/make_fuzzy_inputs.py --size 8000 --count 8 --out /tmp/prospect-bench
"""
import argparse
import os

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
NODATA = -9999.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=8000)
    ap.add_argument("--count", type=int, default=8)
    ap.add_argument("--out", default=os.environ.get("BENCH_DIR", "/tmp/prospect-bench"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32733)
    block = 256
    for k in range(1, args.count + 1):
        path = os.path.join(args.out, f"in{k}_{args.size}.tif")
        if os.path.exists(path):
            continue
        rng = np.random.default_rng(1000 + k)
        ds = gdal.GetDriverByName("GTiff").Create(
            path + ".part", args.size, args.size, 1, gdal.GDT_Float32,
            ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "BIGTIFF=IF_SAFER"])
        ds.SetGeoTransform((400000.0, 25.0, 0.0, 7800000.0, 0.0, -25.0))
        ds.SetProjection(srs.ExportToWkt())
        band = ds.GetRasterBand(1)
        band.SetNoDataValue(NODATA)
        fx, fy, phase = rng.uniform(2, 9), rng.uniform(2, 9), rng.uniform(0, 6.28)
        for y0 in range(0, args.size, block):
            h = min(block, args.size - y0)
            y = (np.arange(y0, y0 + h) / args.size)[:, None]
            for x0 in range(0, args.size, block):
                w = min(block, args.size - x0)
                x = (np.arange(x0, x0 + w) / args.size)[None, :]
                v = 0.5 + 0.35 * np.sin(fx * 6.28 * x + phase) * np.cos(fy * 6.28 * y)
                v = v + rng.normal(0, 0.05, (h, w))
                v = np.clip(v, 0, 1).astype(np.float32)
                v[rng.random((h, w)) < 0.005] = NODATA
                band.WriteArray(v, x0, y0)
        ds = None
        os.replace(path + ".part", path)


if __name__ == "__main__":
    main()
