#!/usr/bin/python3
"""Writes N random fault polylines (3-6 vertices, 0.5-6 km long, mostly NE-striking)
over the 8000 x 8000 x 25 m benchmark grid (EPSG:32733) as a GeoPackage.
Deterministic (fixed seed).

    /usr/bin/python3 tools/bench/make_fault_lines.py --count 5000 --out /tmp/prospect-bench/faults_5000.gpkg
"""
import argparse
import math
import os

import numpy as np
from osgeo import ogr, osr

ogr.UseExceptions()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if os.path.exists(args.out):
        return
    rng = np.random.default_rng(5000)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32733)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(args.out + ".part.gpkg")
    layer = ds.CreateLayer("faults", srs, ogr.wkbLineString)
    x0, y1, size = 400000.0, 7800000.0, 8000 * 25.0
    for _ in range(args.count):
        x, y = x0 + rng.uniform(0, size), y1 - rng.uniform(0, size)
        strike = math.radians(rng.normal(45, 20))
        line = ogr.Geometry(ogr.wkbLineString)
        line.AddPoint_2D(x, y)
        for _ in range(int(rng.integers(2, 6))):
            step = rng.uniform(250, 1200)
            a = strike + rng.normal(0, 0.15)
            x, y = x + step * math.sin(a), y + step * math.cos(a)
            line.AddPoint_2D(x, y)
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetGeometry(line)
        layer.CreateFeature(f)
    ds = None
    os.replace(args.out + ".part.gpkg", args.out)


if __name__ == "__main__":
    main()
