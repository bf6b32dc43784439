"""A commented fuzzy model file from layers picked in QGIS (New model from layers).

Every value it cannot know (how each layer favours a deposit) gets a neutral
first guess from the data and a comment saying what to decide; the file is
then checked with prospect check by the algorithm."""

import json
import math
import os
import re
from urllib.parse import parse_qs, unquote, urlparse

from qgis.core import (
    QgsAggregateCalculator,
    QgsCoordinateTransform,
    QgsProcessingException,
    QgsRasterBandStats,
    QgsRectangle,
)


def text(value):
    """A YAML scalar for any string (a JSON string is a YAML double-quoted one)."""
    return json.dumps(value, ensure_ascii=False)


def number(value):
    return f"{value:.6g}"


def key_of(name, taken):
    """A model key from a layer name: lower case, letters, digits and _; unique."""
    key = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or "layer"
    if key[0].isdigit():
        key = "l_" + key
    base, n = key, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def relative(path, folder):
    """The path as the model file should hold it: relative to the file's folder
    where it can be (the pair then travels together), else absolute."""
    if path.startswith("/vsi"):
        return path
    try:
        return os.path.relpath(os.path.abspath(path), folder)
    except ValueError:  # another drive
        return os.path.abspath(path)


def vector_lines(layer, folder, indent="    "):
    """The keys that locate a vector layer's features for prospect."""
    out = []
    if layer.providerType() == "delimitedtext":  # a CSV: path, columns, CRS from the URI
        url = urlparse(layer.source())
        query = parse_qs(url.query)
        out.append(f"{indent}path: {text(relative(unquote(url.path), folder))}")
        if "wktField" in query:
            out.append(f"{indent}columns: {{wkt: {text(query['wktField'][0])}}}")
        elif "xField" in query and "yField" in query:
            out.append(
                f"{indent}columns: {{x: {text(query['xField'][0])}, y: {text(query['yField'][0])}}}"
            )
        out.append(f"{indent}crs: {text(layer.crs().authid())}")
    else:
        parts = layer.source().split("|")
        out.append(f"{indent}path: {text(relative(parts[0], folder))}")
        for part in parts[1:]:
            key, _, value = part.partition("=")
            if key == "layername":
                out.append(f"{indent}layer: {text(value)}")
            elif key == "subset" and value:
                out.append(f"{indent}where: {text(value)}")
    return out


def grid_extent(layers, crs, cell_size, context):
    """The layers' extent in the grid CRS, widened to whole cells."""
    extent = QgsRectangle()
    extent.setMinimal()
    for layer in layers:
        transform = QgsCoordinateTransform(layer.crs(), crs, context.transformContext())
        extent.combineExtentWith(transform.transformBoundingBox(layer.extent()))
    if extent.isEmpty():
        raise QgsProcessingException("The layers picked have no extent to make a grid from.")
    return [
        math.floor(extent.xMinimum() / cell_size) * cell_size,
        math.floor(extent.yMinimum() / cell_size) * cell_size,
        math.ceil(extent.xMaximum() / cell_size) * cell_size,
        math.ceil(extent.yMaximum() / cell_size) * cell_size,
    ]


def write(path, crs, cell_size, study_area, rasters, lines, samples, sample_fields, deposits, context):
    folder = os.path.dirname(os.path.abspath(path))
    rasters, lines = rasters or [], lines or []
    sample_fields = sample_fields if samples is not None else []
    if not rasters and not lines and not sample_fields:
        raise QgsProcessingException(
            "Pick at least one raster, line layer or assay field: they are the evidence."
        )
    extent_layers = [study_area] if study_area is not None else rasters + lines + (
        [samples] if samples is not None else [])
    extent = grid_extent(extent_layers, crs, cell_size, context)
    taken, inputs, evidence = set(), [], []

    for layer in rasters:
        key = key_of(layer.name(), taken)
        stats = layer.dataProvider().bandStatistics(
            1, QgsRasterBandStats.Min | QgsRasterBandStats.Max, QgsRectangle(), 250000)
        inputs += [f"  {key}:", f"    path: {text(relative(layer.source(), folder))}",
                   "    resampling: bilinear     # continuous values; nearest or mode for classes"]
        evidence += [f"  {key}_high:",
                     f"    input: {key}",
                     "    # 0 at the layer's minimum, 1 at its maximum: decide which values favour a deposit",
                     f"    membership: {{function: linear, low: {number(stats.minimumValue)}, "
                     f"high: {number(stats.maximumValue)}}}"]
    for layer in lines:
        key = key_of(layer.name(), taken)
        inputs += [f"  {key}:"] + vector_lines(layer, folder) + ["    distance: {max: 5000}"]
        evidence += [f"  near_{key}:",
                     f"    input: {key}",
                     "    # 1 on the structure, 0.5 at 1 km: set the reach the geology suggests",
                     "    membership: {function: small, midpoint: 1000, spread: 3}"]
    for field in sample_fields:
        key = key_of(f"{samples.name()}_{field}", taken)
        median = samples.aggregate(QgsAggregateCalculator.Median, field)[0]
        inputs += [f"  {key}:"] + vector_lines(samples, folder) + [
            f"    idw: {{field: {text(field)}, log: true, radius: {number(20 * cell_size)}, min_points: 3}}"]
        evidence += [f"  {key}_high:",
                     f"    input: {key}",
                     "    # 0.5 at the samples' median: raise the midpoint to the anomaly threshold",
                     f"    membership: {{function: large, midpoint: {number(median or 1)}, spread: 3}}"]

    names = [line.strip().rstrip(":") for line in evidence if re.match(r"^  [a-z]", line)]
    lines_out = [
        "# A prospect model written by QGIS (New model from layers). Edit the memberships",
        "# and the score, then Check model and Run model. Reference: docs/model-file.md.",
        "",
        f"name: {text(os.path.splitext(os.path.basename(path))[0])}",
        "model: fuzzy",
        "",
        "grid:",
        f"  crs: {text(crs.authid() or crs.toWkt())}",
        f"  cell_size: {number(cell_size)}",
        f"  extent: [{', '.join(number(v) for v in extent)}]",
        "",
    ]
    if study_area is not None:
        lines_out += ["study_area:"] + vector_lines(study_area, folder, "  ") + [""]
    lines_out += ["inputs:"] + inputs + ["", "evidence:"] + evidence + [
        "",
        "scores:",
        "  prospectivity:",
        "    op: gamma       # and, or, product, sum, gamma, weighted_sum",
        "    gamma: 0.8",
        f"    of: [{', '.join(names)}]",
        "",
        "targets: {top_percent: 5}",
    ]
    if deposits is not None:
        lines_out += ["", "validation:", "  deposits:"] + vector_lines(deposits, folder, "    ")
    content = "\n".join(lines_out) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(content)
    return content
