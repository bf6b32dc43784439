#!/usr/bin/python3
"""Generates the small synthetic Lofdal demo survey shipped in rasters/ and vectors/.

SYNTHETIC DATA. Nothing here is a measurement. The layers are computed from a
documented hidden 'truth' (NE-trending carbonatite dykes and a central plug near
the real position of the Lofdal complex, Kunene Region, Namibia) plus seeded
noise, so the same command always writes the same bytes with the same GDAL.

Run with Debian's python3 (it sees the python3-gdal and python3-numpy packages):
    /usr/bin/python3 tools/make_demo_data.py [--out-root .]
"""
import argparse
import json
import math
import os

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()

SEED = 20261123
EPSG = 32733                       # WGS 84 / UTM zone 33S
X0, Y0, X1, Y1 = 460000.0, 7745000.0, 470000.0, 7755000.0  # 10 x 10 km
CELL = 50.0                        # metres
PLUG = (465200.0, 7750300.0)       # centre of the hidden carbonatite plug
STRIKE_DEG = 45.0                  # dyke strike, degrees clockwise from north
DYKE_OFFSETS = (-1800.0, -600.0, 700.0, 2100.0)  # across-strike positions of the dykes (m)


def centres():
    cols = int((X1 - X0) / CELL)
    rows = int((Y1 - Y0) / CELL)
    x = X0 + (np.arange(cols) + 0.5) * CELL
    y = Y1 - (np.arange(rows) + 0.5) * CELL
    return np.meshgrid(x, y)


def hidden_truth(x, y):
    """Dyke and plug influence in 0..1: where heavy-REE mineralisation is in this world."""
    s = math.radians(STRIKE_DEG)
    # Signed distance across strike from the line through the plug.
    across = (x - PLUG[0]) * math.cos(s) - (y - PLUG[1]) * math.sin(s)
    dyke = np.zeros_like(x)
    for off in DYKE_OFFSETS:
        dyke = np.maximum(dyke, np.exp(-((across - off) / 120.0) ** 2))
    r = np.hypot(x - PLUG[0], y - PLUG[1])
    plug = np.exp(-(r / 700.0) ** 2)
    return dyke, plug


def smooth_noise(rng, shape, scale_cells):
    """Spatially correlated noise: white noise blurred with a separable box filter."""
    n = rng.standard_normal(shape)
    k = np.ones(scale_cells) / scale_cells
    n = np.apply_along_axis(lambda v: np.convolve(v, k, mode="same"), 0, n)
    n = np.apply_along_axis(lambda v: np.convolve(v, k, mode="same"), 1, n)
    return n / n.std()


def write_raster(path, values, srs_wkt, geotransform, nodata, description, units,
                 dtype=gdal.GDT_Float32):
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(path, values.shape[1], values.shape[0], 1, dtype,
                    ["COMPRESS=DEFLATE", "PREDICTOR=3" if dtype == gdal.GDT_Float32 else "PREDICTOR=2",
                     "TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256"])
    ds.SetGeoTransform(geotransform)
    ds.SetProjection(srs_wkt)
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(nodata)
    band.SetDescription(description)
    band.SetUnitType(units)
    band.WriteArray(values)
    ds.SetMetadataItem("SOURCE", "synthetic Lofdal demo (tools/make_demo_data.py), not measured data")
    ds = None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-root", default=os.path.join(os.path.dirname(__file__), ".."))
    args = ap.parse_args()
    rasters = os.path.join(args.out_root, "rasters")
    vectors = os.path.join(args.out_root, "vectors")
    os.makedirs(rasters, exist_ok=True)
    os.makedirs(vectors, exist_ok=True)

    rng = np.random.default_rng(SEED)
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(EPSG)
    x, y = centres()
    dyke, plug = hidden_truth(x, y)
    gt = (X0, CELL, 0.0, Y1, 0.0, -CELL)

    # Airborne radiometrics: carbonatites are thorium-hot; K marks fenite alteration halos.
    eth = 9.0 + 30.0 * dyke + 45.0 * plug + 2.0 * smooth_noise(rng, x.shape, 5)
    eth = np.clip(eth, 0.5, None).astype(np.float32)
    gap = (np.abs(x - 462000.0) < 400.0) & (np.abs(y - 7753000.0) < 400.0)  # a survey gap
    eth[gap] = -9999.0
    write_raster(os.path.join(rasters, "lofdal_eth.tif"), eth, utm.ExportToWkt(), gt, -9999.0,
                 "eTh", "ppm")

    halo = np.maximum(dyke, plug)
    halo = np.sqrt(halo)  # alteration reaches further than the dykes themselves
    k = 1.2 + 2.3 * halo + 0.25 * smooth_noise(rng, x.shape, 7)
    k = np.clip(k, 0.05, None).astype(np.float32)
    write_raster(os.path.join(rasters, "lofdal_k.tif"), k, utm.ExportToWkt(), gt, -9999.0,
                 "K", "%")

    # Magnetics, reduced to pole, delivered in geographic coordinates (as many
    # national grids are) so the demo exercises reprojection onto the grid.
    wgs = osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_ll = osr.CoordinateTransformation(utm, wgs)
    corners = [to_ll.TransformPoint(px, py)[:2] for px in (X0 - 500, X1 + 500)
               for py in (Y0 - 500, Y1 + 500)]
    lon0 = min(c[0] for c in corners); lon1 = max(c[0] for c in corners)
    lat0 = min(c[1] for c in corners); lat1 = max(c[1] for c in corners)
    step = 0.0005  # about 52 m
    ncols = int(math.ceil((lon1 - lon0) / step)); nrows = int(math.ceil((lat1 - lat0) / step))
    lon = lon0 + (np.arange(ncols) + 0.5) * step
    lat = lat1 - (np.arange(nrows) + 0.5) * step
    LON, LAT = np.meshgrid(lon, lat)
    to_utm = osr.CoordinateTransformation(wgs, utm)
    pts = np.array(to_utm.TransformPoints(np.column_stack([LON.ravel(), LAT.ravel()]).tolist()))
    mx = pts[:, 0].reshape(LON.shape); my = pts[:, 1].reshape(LON.shape)
    mdyke, mplug = hidden_truth(mx, my)
    # Carbonatite dykes here are weakly magnetic relative to the gneiss: a low over them.
    mag = 120.0 - 90.0 * mdyke - 60.0 * mplug + 25.0 * smooth_noise(rng, mx.shape, 9)
    write_raster(os.path.join(rasters, "lofdal_mag_rtp.tif"), mag.astype(np.float32),
                 wgs.ExportToWkt(), (lon0, step, 0.0, lat1, 0.0, -step), -99999.0,
                 "magnetics RTP", "nT")

    # Mapped faults: the NE (045) structures that host the dykes, mapped a little
    # off the hidden dyke axes as real mapping is, plus two NW (135) cross faults.
    s = math.radians(STRIKE_DEG)
    along = (math.sin(s), math.cos(s))      # unit vector along strike (x east, y north)
    across = (math.cos(s), -math.sin(s))    # unit vector across strike
    faults = []
    for k, off in enumerate(DYKE_OFFSETS):
        shift = off + rng.normal(0, 60)
        cx, cy = PLUG[0] + across[0] * shift, PLUG[1] + across[1] * shift
        half = 3500 + 800 * k
        pts = []
        for t in np.linspace(-half, half, 6):
            jitter = rng.normal(0, 40)
            pts.append((cx + along[0] * t + across[0] * jitter, cy + along[1] * t + across[1] * jitter))
        faults.append(("fault", "NE", pts))
    for off in (-2500.0, 2600.0):
        cx, cy = PLUG[0] + along[0] * off, PLUG[1] + along[1] * off
        pts = [(cx + across[0] * t, cy + across[1] * t) for t in (-3000.0, 0.0, 3000.0)]
        faults.append(("fault", "NW", pts))
    fault_features = []
    for kind, trend, pts in faults:
        coords = [[round(c, 7) for c in to_ll.TransformPoint(px, py)[:2]] for px, py in pts]
        fault_features.append({"type": "Feature", "properties": {"type": kind, "trend": trend},
                               "geometry": {"type": "LineString", "coordinates": coords}})
    with open(os.path.join(vectors, "lofdal_faults.geojson"), "w") as f:
        json.dump({"type": "FeatureCollection", "features": fault_features}, f, indent=1)
        f.write("\n")

    # Study area: an exploration licence outline, as RFC 7946 GeoJSON (lon/lat).
    outline_utm = [(460800, 7745900), (468900, 7745600), (469400, 7751200), (467000, 7754300),
                   (461300, 7754100), (460500, 7750000), (460800, 7745900)]
    ring = [[round(c, 7) for c in to_ll.TransformPoint(px, py)[:2]] for px, py in outline_utm]
    # RFC 7946: exterior rings counter-clockwise.
    area2 = sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1))
    if area2 < 0:
        ring.reverse()
    study = {"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {"name": "Lofdal demo licence (synthetic)", "licence": "DEMO-0001"},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    with open(os.path.join(vectors, "lofdal_study_area.geojson"), "w") as f:
        json.dump(study, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
