"""What Weights table needs around `prospect weights`: vector evidence made into a
raster by prospect itself (a one-input model and `prospect evidence`: classes
keep their names, distances are exact), and the evidence cut into the table's
classes as a raster of its own."""

import csv
import math
import os

from qgis.core import (
    QgsCoordinateTransform,
    QgsProcessingException,
    QgsRectangle,
    QgsWkbTypes,
)

from . import runner
from .model_skeleton import number, text, vector_lines


def vector_evidence_raster(layer, class_field, cell_size, study_area, deposits, folder, context,
                           feedback):
    """Builds `layer` on a grid of `cell_size` in its own CRS: polygons as their
    classes (class_field) or presence, lines and points as the distance to them.
    Returns the raster's path."""
    crs = layer.crs()
    if not crs.isValid() or crs.isGeographic():
        raise QgsProcessingException(
            f"{layer.name()} is in {crs.authid() or 'no CRS'}; vector evidence is measured on a "
            "grid in a projected CRS in metres. Reproject the layer first.")
    extent = QgsRectangle()
    extent.setMinimal()
    for other in [study_area] if study_area is not None else [layer, deposits]:
        transform = QgsCoordinateTransform(other.crs(), crs, context.transformContext())
        extent.combineExtentWith(transform.transformBoundingBox(other.extent()))
    bounds = [math.floor(extent.xMinimum() / cell_size) * cell_size,
              math.floor(extent.yMinimum() / cell_size) * cell_size,
              math.ceil(extent.xMaximum() / cell_size) * cell_size,
              math.ceil(extent.yMaximum() / cell_size) * cell_size]
    polygons = QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.PolygonGeometry
    if polygons:
        how = f"    rasterize: {{field: {text(class_field)}}}" if class_field else "    rasterize: presence"
    else:
        how = "    distance: {}"
    model = os.path.join(folder, "weights-evidence.yaml")
    lines = ["name: weights-evidence", "grid:", f"  crs: {text(crs.authid() or crs.toWkt())}",
             f"  cell_size: {number(cell_size)}",
             f"  extent: [{', '.join(number(v) for v in bounds)}]"]
    if study_area is not None:
        lines += ["study_area:"] + vector_lines(study_area, folder, "  ")
    lines += ["inputs:", "  evidence:"] + vector_lines(layer, folder) + [how,
              "evidence:", "  e: {input: evidence, membership: {function: linear, low: 0, high: 1}}",
              "scores:", "  s: e"]
    with open(model, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    out = os.path.join(folder, "weights-evidence")
    runner.run(["evidence", model, "--out", out, "--quiet"], feedback)
    return os.path.join(out, "evidence", "evidence.tif")


def class_bounds(table_csv):
    """The upper bound of each class of a weights table, in its order."""
    with open(table_csv, encoding="utf-8", newline="") as f:
        return [float(row["class"]) for row in csv.DictReader(f)]


def write_classed(evidence, bounds, out, feedback):
    """The evidence cut into classes: 1 for values up to the first bound, 2 up to
    the second, ...; 0 (nodata) where the evidence has no value. Row blocks, so
    memory stays small at any size."""
    from osgeo import gdal
    import numpy as np

    src = gdal.Open(evidence)
    band = src.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    driver = gdal.GetDriverByName("GTiff")
    dst = driver.Create(out, src.RasterXSize, src.RasterYSize, 1, gdal.GDT_Int16,
                        ["TILED=YES", "COMPRESS=DEFLATE"])
    dst.SetGeoTransform(src.GetGeoTransform())
    dst.SetProjection(src.GetProjection())
    out_band = dst.GetRasterBand(1)
    out_band.SetNoDataValue(0)
    # In the raster's own precision: a bound printed from a Float32 class limit
    # parses back to that limit exactly, and a cell equal to it stays in its class.
    upper = np.asarray(bounds, dtype=np.float32)
    rows = 256
    for y in range(0, src.RasterYSize, rows):
        h = min(rows, src.RasterYSize - y)
        values = band.ReadAsArray(0, y, src.RasterXSize, h).astype(np.float32)
        missing = ~np.isfinite(values)
        if nodata is not None:
            missing |= values == nodata
        classes = np.searchsorted(upper, values, side="left") + 1  # v <= bound k: class k
        classes[missing | (classes > len(upper))] = 0
        out_band.WriteArray(classes.astype(np.int16), 0, y)
        feedback.setProgress(100.0 * (y + h) / src.RasterYSize)
    out_band.SetDescription("class of the weights table (1 = first row)")
    dst = None
    return out
