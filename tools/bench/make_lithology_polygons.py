#!/usr/bin/python3
"""Writes about N lithology polygons tiling the 8000 x 8000 x 25 m benchmark grid
(EPSG:32733) as a GeoPackage: a jittered grid of cells whose shared edges wiggle
(12 vertices per edge), so neighbours meet without gaps or overlaps and each
polygon has about 50 vertices, like mapped geology. Fields: `code` (1-8) and
`unit` (text). Deterministic (fixed seed).

    /usr/bin/python3 tools/bench/make_lithology_polygons.py --count 3000 --out /tmp/prospect-bench/lithology_3000.gpkg
"""
import argparse
import math
import os

import numpy as np
from osgeo import gdal, ogr, osr

ogr.UseExceptions()
UNITS = ["gneiss", "schist", "quartzite", "marble", "granite", "syenite", "carbonatite", "cover"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if os.path.exists(args.out):
        return
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2026-01-01T00:00:00Z")
    rng = np.random.default_rng(3000)
    n = int(math.ceil(math.sqrt(args.count)))
    x0, y1, size = 400000.0, 7800000.0, 8000 * 25.0
    step = size / n
    # Grid nodes, jittered inside (the outer ring stays on the grid edge).
    gx = x0 + np.arange(n + 1) * step + rng.uniform(-0.3, 0.3, (n + 1, n + 1)) * step
    gy = y1 - np.arange(n + 1)[:, None] * step + rng.uniform(-0.3, 0.3, (n + 1, n + 1)) * step
    gx[:, 0], gx[:, -1] = x0, x0 + size
    gy[0, :], gy[-1, :] = y1, y1 - size
    gx = np.broadcast_to(gx, (n + 1, n + 1)).copy()

    wiggle = {}

    def edge(a, b):
        """Points from node a to node b (excluding b), the same wiggle both ways."""
        key = (min(a, b), max(a, b))
        if key not in wiggle:
            (r0, c0), (r1, c1) = key
            p, q = np.array([gx[r0, c0], gy[r0, c0]]), np.array([gx[r1, c1], gy[r1, c1]])
            t = np.linspace(0, 1, 13)
            normal = np.array([-(q - p)[1], (q - p)[0]]) / max(np.linalg.norm(q - p), 1e-9)
            on_border = (r0 == r1 and r0 in (0, n)) or (c0 == c1 and c0 in (0, n))
            amp = 0 if on_border else step * 0.04
            offs = amp * np.sin(np.pi * t) * rng.uniform(-1, 1, 13)
            wiggle[key] = p + np.outer(t, q - p) + np.outer(offs, normal)
        pts = wiggle[key]
        return pts[:-1] if key[0] == a else pts[::-1][:-1]

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32733)
    tmp = args.out + ".part.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
    layer = ds.CreateLayer("lithology", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("code", ogr.OFTInteger))
    layer.CreateField(ogr.FieldDefn("unit", ogr.OFTString))
    ds.StartTransaction()
    written = 0
    for r in range(n):
        for c in range(n):
            if written == args.count:
                break
            corners = [(r, c), (r, c + 1), (r + 1, c + 1), (r + 1, c)]
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for i in range(4):
                for x, y in edge(corners[i], corners[(i + 1) % 4]):
                    ring.AddPoint_2D(float(x), float(y))
            ring.CloseRings()
            poly = ogr.Geometry(ogr.wkbPolygon)
            poly.AddGeometry(ring)
            f = ogr.Feature(layer.GetLayerDefn())
            code = int(rng.integers(1, 9))
            f.SetField("code", code)
            f.SetField("unit", UNITS[code - 1])
            f.SetGeometry(poly)
            layer.CreateFeature(f)
            written += 1
    ds.CommitTransaction()
    ds = None
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
