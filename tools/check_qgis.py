#!/usr/bin/env python3
"""Opens a run's output folder in real QGIS (headless, PyQGIS) and checks what a
QGIS user would see. Run through tools/check_qgis.sh, or directly:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tools/check_qgis.py OUTPUT_DIR [PNG]

Checks (expected values come from manifest.json and the .qml sidecars, so any
model's outputs can be checked):
  - prospectivity.tif: valid, grid CRS, band count and names as in manifest.json,
    nodata set, and opened the way the QGIS GUI opens a file (layer, then
    loadDefaultStyle()) it gets the renderer of prospectivity.qml;
  - targets.geojson / targets.gpkg: valid, polygons, same feature count (and the
    count in manifest.json), the expected fields, EPSG:4326 / grid CRS; the
    GeoPackage opens with the targets.qml style both next to its sidecar and on
    its own (from its layer_styles table, as when the file is copied alone);
  - evidence/*.tif: each valid, grid CRS, gets the renderer of its .qml;
  - project.qgs, if present, in a copy of the folder alone (as a colleague
    gets it): reads, every layer valid (no broken paths), relative paths inside
    the folder, project CRS, layer order and default visibility, styles.
Then renders the project's visible layers (without a project.qgs:
prospectivity.tif under targets.gpkg) over the prospectivity extent to PNG
(default OUTPUT_DIR/../qgis-render.png) and checks the image is not blank.

Prints "ok: ..." per check and "FAIL: ..." per failure; exit 1 on any failure
or Python exception. QGIS/GDAL/Qt messages on stderr are not checks.
"""
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import traceback
import xml.etree.ElementTree as ET

from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsLayerTreeGroup,
    QgsMapLayerType,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
    QgsWkbTypes,
)

RENDER_SIZE = 1200
MIN_COLOURS = 32          # distinct colours a real map of a score raster has many more
MIN_PAINTED_SHARE = 0.10  # share of pixels that are not the background


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, msg):
        self.passed += 1
        print("ok: " + msg, flush=True)

    def fail(self, msg):
        self.failed += 1
        print("FAIL: " + msg, flush=True)

    def check(self, cond, ok_msg, fail_msg):
        (self.ok if cond else self.fail)(ok_msg if cond else fail_msg)
        return cond


# ---------------------------------------------------------------- helpers

def crs_label(crs):
    if not crs.isValid():
        return "no valid CRS"
    return crs.authid() or crs.description() or crs.toProj()


def same_crs(a, b):
    if not (a.isValid() and b.isValid()):
        return False
    if a.authid() and b.authid():
        return a.authid() == b.authid()
    return a == b or a.toProj() == b.toProj()


def qml_root(path):
    return ET.parse(path).getroot()


def qml_raster_renderer(path):
    """(type, band, number of colour entries) of a raster .qml."""
    rr = qml_root(path).find("./pipe/rasterrenderer")
    if rr is None:
        return None, None, 0
    entries = len(rr.findall(".//colorrampshader/item")) + len(rr.findall(".//colorPalette/paletteEntry"))
    return rr.get("type"), rr.get("band"), entries


def layer_raster_entries(renderer):
    t = renderer.type()
    if t == "singlebandpseudocolor":
        return len(renderer.shader().rasterShaderFunction().colorRampItemList())
    if t == "paletted":
        return len(renderer.classes())
    return 0


def rgba(text):
    nums = [int(x) for x in re.findall(r"\d+", text or "")[:4]]
    return tuple(nums) if len(nums) == 4 else None


def qml_vector_style(path):
    """(renderer type, first symbol layer colour as (r,g,b,a) or None, labels on)."""
    root = qml_root(path)
    r = root.find(".//renderer-v2")
    colour = None
    if r is not None:
        layer = r.find(".//symbol/layer")
        if layer is not None:
            for p in layer.findall("prop"):
                if p.get("k") == "color":
                    colour = rgba(p.get("v"))
            for o in layer.iter("Option"):
                if o.get("name") == "color":
                    colour = rgba(o.get("value"))
    labels = root.get("labelsEnabled") == "1" or (
        root.find(".//labeling") is not None and root.get("labelsEnabled") is None)
    return (r.get("type") if r is not None else None), colour, labels


def layer_vector_style(layer):
    r = layer.renderer()
    colour = None
    if r is not None and r.type() == "singleSymbol" and r.symbol() is not None:
        sl = r.symbol().symbolLayer(0)
        c = QColor(sl.color()) if sl is not None else r.symbol().color()
        colour = (c.red(), c.green(), c.blue(), c.alpha())
    return (r.type() if r is not None else None), colour, layer.labelsEnabled()


def open_like_gui(layer_class, provider, uri, name):
    """As the QGIS GUI adds a file: create the layer, then loadDefaultStyle()."""
    opts = layer_class.LayerOptions()
    opts.loadDefaultStyle = False
    layer = layer_class(uri, name, provider, opts)
    loaded = False
    if layer.isValid():
        _msg, loaded = layer.loadDefaultStyle()
    return layer, loaded


def open_raster_like_gui(path, name):
    return open_like_gui(QgsRasterLayer, "gdal", path, name)


def open_vector_like_gui(uri, name):
    return open_like_gui(QgsVectorLayer, "ogr", uri, name)


def source_path(layer):
    return os.path.realpath(layer.source().split("|")[0])


def band_name(qgis_band_name):
    # QGIS shows GDAL band descriptions as "Band 1: Dy" (zero-padded past 9 bands).
    m = re.match(r"Band 0*\d+: (.*)$", qgis_band_name)
    return m.group(1) if m else None


# ---------------------------------------------------------------- checks

def check_raster_style(c, layer, loaded, qml, what, allowed, how="opened as the QGIS GUI does (loadDefaultStyle)"):
    if not os.path.exists(qml):
        c.fail(f"{what}: no style sidecar {os.path.basename(qml)} next to it")
        return
    want_type, want_band, want_entries = qml_raster_renderer(qml)
    r = layer.renderer()
    got_type = r.type() if r else None
    got_band = str(r.band()) if r is not None and hasattr(r, "band") else None
    got_entries = layer_raster_entries(r) if r else 0
    c.check(loaded and got_type == want_type and got_type in allowed
            and (want_band is None or got_band == want_band) and got_entries == want_entries,
            f"{what}: {how}, renderer of {os.path.basename(qml)} ({got_type}, band {got_band}, "
            f"{got_entries} colours)",
            f"{what}: {how}, expected the renderer of "
            f"{os.path.basename(qml)} ({want_type}, band {want_band}, {want_entries} colours; one of "
            f"{', '.join(sorted(allowed))}), got {got_type}, band {got_band}, {got_entries} colours"
            + ("" if loaded else "; no style was loaded"))


def check_prospectivity(c, out, manifest, grid_crs):
    path = os.path.join(out, "prospectivity.tif")
    what = "prospectivity.tif"
    if not c.check(os.path.exists(path), f"{what}: present", f"{what}: missing in {out}"):
        return None
    layer, loaded = open_raster_like_gui(path, "prospectivity")
    if not layer.isValid():
        c.fail(f"{what}: QGIS cannot open it")
        return None
    c.ok(f"{what}: QGIS opens it")
    if grid_crs is None:
        grid_crs = layer.crs()
        c.check(grid_crs.isValid(), f"{what}: CRS {crs_label(grid_crs)} (manifest.json has no grid CRS; "
                "used as the grid CRS)", f"{what}: no CRS, and manifest.json has none either")
    else:
        c.check(same_crs(layer.crs(), grid_crs), f"{what}: CRS {crs_label(layer.crs())} as in manifest.json",
                f"{what}: CRS {crs_label(layer.crs())}, expected the grid CRS {crs_label(grid_crs)} "
                "from manifest.json")
    want = [b["name"] for b in manifest.get("bands", [])]
    got = [band_name(layer.bandName(i)) for i in range(1, layer.bandCount() + 1)]
    c.check(layer.bandCount() == len(want) and got == want,
            f"{what}: {layer.bandCount()} bands named {', '.join(got)} as in manifest.json",
            f"{what}: bands {got} ({layer.bandCount()}), expected {want} from manifest.json")
    dp = layer.dataProvider()
    no_nodata = [i for i in range(1, layer.bandCount() + 1) if not dp.sourceHasNoDataValue(i)]
    c.check(not no_nodata, f"{what}: nodata {dp.sourceNoDataValue(1):g} on every band",
            f"{what}: band(s) {no_nodata} have no nodata value; QGIS would paint the area outside the "
            "study area")
    check_raster_style(c, layer, loaded, os.path.join(out, "prospectivity.qml"), what,
                       {"singlebandpseudocolor"})
    return layer, grid_crs


def check_target_fields(c, layer, what, band_names):
    want = ["rank", "cells", "area_m2", "area_ha"]
    for b in band_names:
        want += [f"mean_{b}", f"max_{b}"]
    want += ["centroid_x", "centroid_y"]
    have = set(layer.fields().names())
    missing = [f for f in want if f not in have]
    c.check(not missing, f"{what}: fields {', '.join(want)}",
            f"{what}: missing field(s) {', '.join(missing)} (has {', '.join(layer.fields().names())})")


def check_vector_style(c, layer, loaded, qml, what, how):
    want = qml_vector_style(qml)
    got = layer_vector_style(layer)
    c.check(loaded and got == want,
            f"{what}: {how}, style of targets.qml ({got[0]}, fill {got[1]}, labels {got[2]})",
            f"{what}: {how}, expected the targets.qml style ({want[0]}, fill {want[1]}, labels {want[2]}), "
            f"got {got[0]}, fill {got[1]}, labels {got[2]}" + ("" if loaded else "; no style was loaded"))


def check_targets(c, out, manifest, grid_crs):
    tmeta = manifest.get("targets") or {}
    gj = os.path.join(out, "targets.geojson")
    gp = os.path.join(out, "targets.gpkg")
    qml = os.path.join(out, "targets.qml")
    listed = set(o["path"] for o in manifest.get("outputs", []))
    if tmeta.get("enabled") is False and not os.path.exists(gj) and not os.path.exists(gp):
        c.ok("targets: disabled in the model, no target files")
        return None
    band_names = [b["name"] for b in manifest.get("bands", [])]
    counts = {}
    gpkg_layer = None
    for path, uri, want_crs, crs_from in (
            (gj, gj, QgsCoordinateReferenceSystem("EPSG:4326"), "RFC 7946"),
            (gp, gp + "|layername=targets", grid_crs, "the grid CRS")):
        what = os.path.basename(path)
        if not c.check(os.path.exists(path), f"{what}: present",
                       f"{what}: missing in {out}" + (" (listed in manifest.json outputs)"
                                                      if what in listed else "")):
            continue
        layer, loaded = open_vector_like_gui(uri, "targets")
        if not c.check(layer.isValid(), f"{what}: QGIS opens it" + (" (layer targets)" if path == gp else ""),
                       f"{what}: QGIS cannot open {uri}"):
            continue
        counts[what] = layer.featureCount()
        c.check(QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.PolygonGeometry,
                f"{what}: polygons ({QgsWkbTypes.displayString(layer.wkbType())})",
                f"{what}: geometry {QgsWkbTypes.displayString(layer.wkbType())}, expected polygons")
        c.check(want_crs is not None and same_crs(layer.crs(), want_crs),
                f"{what}: CRS {crs_label(layer.crs())} ({crs_from})",
                f"{what}: CRS {crs_label(layer.crs())}, expected {crs_label(want_crs) if want_crs else '?'} "
                f"({crs_from})")
        check_target_fields(c, layer, what, band_names)
        if path == gp:
            gpkg_layer = layer
            if c.check(os.path.exists(qml), "targets.qml: present", f"targets.qml: missing in {out}"):
                check_vector_style(c, layer, loaded, qml, what, "opened as the QGIS GUI does, next to targets.qml")
                check_gpkg_own_style(c, gp, qml)
    if counts:
        values = set(counts.values())
        c.check(len(values) == 1, "targets: " + " and ".join(f"{k} {v}" for k, v in counts.items())
                + " feature(s)", "targets: feature counts differ: "
                + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if "zones" in tmeta:
            c.check(values == {tmeta["zones"]}, f"targets: {tmeta['zones']} zone(s) as in manifest.json",
                    f"targets: manifest.json says {tmeta['zones']} zone(s), files have "
                    + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return gpkg_layer


def check_gpkg_own_style(c, gp, qml):
    """The default style stored in the GeoPackage itself: open a copy without the sidecar."""
    what = "targets.gpkg"
    tmp = tempfile.mkdtemp(prefix="check_qgis_")
    try:
        copy = os.path.join(tmp, "targets.gpkg")
        shutil.copyfile(gp, copy)
        layer, loaded = open_vector_like_gui(copy + "|layername=targets", "targets")
        want = qml_vector_style(qml)
        got = layer_vector_style(layer)
        if layer.isValid() and loaded and got == want:
            c.ok(f"{what}: copied alone (no sidecar), QGIS applies its layer_styles default style")
        else:
            hint = ""
            try:
                con = sqlite3.connect(copy)
                cols = [r[1] for r in con.execute("PRAGMA table_info(layer_styles)")]
                con.close()
                if not cols:
                    hint = "; the file has no layer_styles table"
                elif "update_time" not in cols:
                    hint = ("; its layer_styles table has no update_time column, and QGIS's query for the "
                            "default style (... ORDER BY ..., update_time DESC) then fails (GDAL 'failed to "
                            "prepare SQL' on stderr)")
            except sqlite3.Error as e:
                hint = f"; reading layer_styles failed: {e}"
            c.fail(f"{what}: copied alone (no sidecar), expected QGIS to apply the default style stored in "
                   f"its layer_styles table ({want[0]}, fill {want[1]}, labels {want[2]}), got {got[0]}, "
                   f"fill {got[1]}, labels {got[2]}{hint}")
        del layer
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_evidence(c, out, manifest, grid_crs):
    ev_dir = os.path.join(out, "evidence")
    files = sorted(f for f in os.listdir(ev_dir) if f.endswith(".tif")) if os.path.isdir(ev_dir) else []
    listed = sorted(os.path.basename(o["path"]) for o in manifest.get("outputs", [])
                    if o["path"].startswith("evidence/") and o["path"].endswith(".tif"))
    missing = [f for f in listed if f not in files]
    c.check(not missing, f"evidence: {len(files)} layer(s)" + (" as listed in manifest.json" if listed else ""),
            f"evidence: listed in manifest.json but missing: {', '.join(missing)}")
    for f in files:
        what = "evidence/" + f
        layer, loaded = open_raster_like_gui(os.path.join(ev_dir, f), f[:-4])
        if not c.check(layer.isValid(), f"{what}: QGIS opens it", f"{what}: QGIS cannot open it"):
            continue
        if not same_crs(layer.crs(), grid_crs):
            c.fail(f"{what}: CRS {crs_label(layer.crs())}, expected the grid CRS {crs_label(grid_crs)}")
        check_raster_style(c, layer, loaded, os.path.join(ev_dir, f[:-4] + ".qml"), what,
                           {"paletted", "singlebandpseudocolor"})


def check_project(c, out, grid_crs):
    path = os.path.join(out, "project.qgs")
    what = "project.qgs"
    project = QgsProject.instance()
    if not c.check(project.read(path), f"{what}: QGIS reads it",
                   f"{what}: QGIS cannot read it: {project.error()}"):
        return None
    # Paths as written (relative, so the folder can be moved or shared).
    absolute = []
    for ml in ET.parse(path).getroot().iter("maplayer"):
        src = (ml.findtext("datasource") or "").split("|")[0]
        if src.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", src):
            absolute.append(f"{ml.findtext('layername')} ({src})")
    c.check(not absolute, f"{what}: every data source is a relative path",
            f"{what}: absolute data source path(s): {', '.join(absolute)}")
    outside = [f"{ml.findtext('layername')} ({(ml.findtext('datasource') or '').split('|')[0]})"
               for ml in ET.parse(path).getroot().iter("maplayer")
               if ".." in (ml.findtext("datasource") or "").split("|")[0].replace("\\", "/").split("/")]
    c.check(not outside, f"{what}: every data source is inside the output folder (it travels whole)",
            f"{what}: data source(s) outside the output folder: {', '.join(outside)}")
    layers = project.mapLayers()
    invalid = [f"'{l.name()}' ({l.source()})" for l in layers.values() if not l.isValid()]
    c.check(layers and not invalid, f"{what}: all {len(layers)} layers valid (paths resolve)",
            f"{what}: " + ("no layers" if not layers else "invalid layer(s), broken path or wrong provider: "
                           + ", ".join(invalid)))
    root = project.layerTreeRoot()
    nodes = root.findLayers()
    orphans = [n.layerId() for n in nodes if n.layer() is None]
    untreed = [l.name() for lid, l in layers.items() if root.findLayer(lid) is None]
    c.check(not orphans and not untreed, f"{what}: layer tree and <projectlayers> ids match",
            f"{what}: layer tree nodes without a layer: {orphans}; layers not in the tree: {untreed} "
            "(QGIS replaces <maplayer> <id>s of 10 characters or fewer with new ones)")
    c.check(same_crs(project.crs(), grid_crs), f"{what}: project CRS {crs_label(project.crs())}",
            f"{what}: project CRS {crs_label(project.crs())}, expected the grid CRS {crs_label(grid_crs)} "
            "(QGIS needs <properties><SpatialRefSys><ProjectionsEnabled type=\"int\">1 and a <wkt> in "
            "<projectCrs><spatialrefsys>)")
    no_crs = [l.name() for l in layers.values() if l.isValid() and not l.crs().isValid()]
    c.check(not no_crs, f"{what}: every layer has a valid CRS",
            f"{what}: layer(s) without a valid CRS (QGIS takes it from <srs><spatialrefsys>, which needs "
            f"<wkt>, <proj4> or <srsid>): {', '.join(no_crs)}")

    order = root.layerOrder()  # top first; the custom order if one is set
    names = [l.name() for l in order]
    out_real = os.path.realpath(out)
    targets = [l for l in order if source_path(l) == os.path.join(out_real, "targets.gpkg")]
    prosp = [l for l in order if source_path(l) == os.path.join(out_real, "prospectivity.tif")]
    evidence = [l for l in order if os.path.dirname(source_path(l)) == os.path.join(out_real, "evidence")]
    c.check(bool(prosp) and order[-1] is prosp[0],
            f"{what}: prospectivity.tif is the bottom layer ({' > '.join(names)})",
            f"{what}: expected prospectivity.tif as the bottom layer, order is {' > '.join(names)}")
    if os.path.exists(os.path.join(out, "targets.gpkg")):
        c.check(bool(targets) and order[0] is targets[0], f"{what}: targets.gpkg is the top layer",
                f"{what}: expected targets.gpkg (layer targets) on top, order is {' > '.join(names)}")
    first_raster = next((i for i, l in enumerate(order) if l.type() == QgsMapLayerType.RasterLayer), len(order))
    late_vectors = [l.name() for l in order[first_raster:] if l.type() == QgsMapLayerType.VectorLayer]
    c.check(not late_vectors, f"{what}: all vector layers above the rasters",
            f"{what}: vector layer(s) under a raster, hidden by it: {', '.join(late_vectors)}")
    for l in targets + prosp:
        c.check(root.findLayer(l.id()).isVisible(), f"{what}: '{l.name()}' visible",
                f"{what}: '{l.name()}' is not visible by default")
    if evidence:
        shown = [l.name() for l in evidence if root.findLayer(l.id()).isVisible()]
        parents = [root.findLayer(l.id()).parent() for l in evidence]
        groups = {p.name() for p in parents if isinstance(p, QgsLayerTreeGroup) and p.parent() is not None}
        loose = [l.name() for l, p in zip(evidence, parents) if p is None or p.parent() is None]
        c.check(not shown and not loose and groups == {"Evidence"},
                f"{what}: {len(evidence)} evidence layer(s) in group Evidence, hidden by default",
                f"{what}: evidence layers should sit in a group 'Evidence', hidden; visible: {shown}, outside "
                f"a group: {loose}, groups: {sorted(groups)}")

    # Styles embedded in the project (a project does not read the .qml sidecars).
    for l in prosp + evidence:
        qml = os.path.splitext(source_path(l))[0] + ".qml"
        if os.path.exists(qml):
            check_raster_style(c, l, True, qml, f"{what}: '{l.name()}'",
                               {"singlebandpseudocolor"} if l in prosp else {"paletted", "singlebandpseudocolor"},
                               "as stored in the project")
    qml = os.path.join(out, "targets.qml")
    for l in targets:
        if os.path.exists(qml):
            check_vector_style(c, l, True, qml, f"{what}: '{l.name()}'", "as stored in the project")
    visible = [l for l in order if root.findLayer(l.id()).isVisible() and l.isValid()]
    return visible, project


def render(c, layers, crs, extent_layer, png, transform_context=None):
    rel = os.path.relpath(png)
    what = f"render {png if rel.startswith('..') else rel}"
    settings = QgsMapSettings()
    settings.setLayers(layers)  # top first
    settings.setDestinationCrs(crs)
    if transform_context is not None:
        settings.setTransformContext(transform_context)
    extent = extent_layer.extent()
    if not same_crs(extent_layer.crs(), crs):
        extent = QgsCoordinateTransform(extent_layer.crs(), crs, transform_context or
                                        QgsProject.instance().transformContext()).transformBoundingBox(extent)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(RENDER_SIZE, RENDER_SIZE))
    settings.setOutputDpi(96)
    background = QColor(255, 255, 255)
    settings.setBackgroundColor(background)
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    errors = [f"{e.layerID}: {e.message}" for e in job.errors()]
    c.check(not errors, f"{what}: {len(layers)} layer(s) ({', '.join(l.name() for l in layers)}) rendered "
            "without errors", f"{what}: render errors: {'; '.join(errors)}")
    img = job.renderedImage().convertToFormat(QImage.Format_ARGB32)
    os.makedirs(os.path.dirname(os.path.abspath(png)), exist_ok=True)
    if not c.check(img.save(png, "PNG"), f"{what}: {img.width()}x{img.height()} PNG written",
                   f"{what}: could not write {png}"):
        return
    bits = img.constBits()
    bits.setsize(img.height() * img.bytesPerLine())
    pixels = memoryview(bytes(bits)).cast("I")
    colours = set(pixels)
    painted = 1.0 - pixels.tolist().count(background.rgba()) / len(pixels)
    c.check(len(colours) >= MIN_COLOURS and painted >= MIN_PAINTED_SHARE,
            f"{what}: not blank ({len(colours)} colours, {painted:.0%} of pixels painted)",
            f"{what}: looks blank: {len(colours)} distinct colour(s) (want >= {MIN_COLOURS}), "
            f"{painted:.0%} of pixels differ from the background (want >= {MIN_PAINTED_SHARE:.0%})")


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    out = argv[1].rstrip("/") or "/"
    png = argv[2] if len(argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(out)), "qgis-render.png")
    c = Checker()
    if not os.path.isdir(out):
        c.fail(f"{out}: not a folder")
        return 1
    man_path = os.path.join(out, "manifest.json")
    if not c.check(os.path.exists(man_path), "manifest.json: present", f"manifest.json: missing in {out}"):
        return 1
    with open(man_path) as f:
        manifest = json.load(f)
    c.ok(f"manifest.json: model {manifest.get('model', {}).get('name', '?')}, "
         f"{len(manifest.get('bands', []))} band(s)")

    grid_crs = None
    wkt = (manifest.get("grid") or {}).get("crs_wkt")
    if wkt:
        grid_crs = QgsCoordinateReferenceSystem.fromWkt(wkt)
        c.check(grid_crs.isValid(), f"manifest.json: grid CRS {crs_label(grid_crs)}",
                "manifest.json: QGIS cannot read grid.crs_wkt")
        if not grid_crs.isValid():
            grid_crs = None

    prosp = check_prospectivity(c, out, manifest, grid_crs)
    if prosp is not None:
        prosp_layer, grid_crs = prosp
    else:
        prosp_layer = None
    if grid_crs is None:
        c.fail("no grid CRS (neither manifest.json nor prospectivity.tif): later checks skipped")
        return 1
    gpkg_layer = check_targets(c, out, manifest, grid_crs)
    check_evidence(c, out, manifest, grid_crs)

    if os.path.exists(os.path.join(out, "project.qgs")):
        # As a colleague gets it: a copy of the folder alone, where no input is beside it.
        moved_root = tempfile.mkdtemp(prefix="prospect-shared-")
        moved = os.path.join(moved_root, os.path.basename(os.path.abspath(out)))
        shutil.copytree(out, moved)
        print(f"note: project.qgs checked in a copy of the output folder alone, {moved}", flush=True)
        res = check_project(c, moved, grid_crs)
        if res is not None:
            visible, project = res
            extent_layer = next((l for l in project.mapLayers().values() if l.isValid() and
                                 source_path(l) == os.path.realpath(os.path.join(moved, "prospectivity.tif"))),
                                prosp_layer)
            if extent_layer is not None and visible:
                render(c, visible, project.crs(), extent_layer, png, project.transformContext())
            else:
                c.fail("project.qgs: nothing to render (no visible valid layers or no prospectivity layer)")
        QgsProject.instance().clear()
        shutil.rmtree(moved_root, ignore_errors=True)
    else:
        print("note: no project.qgs in the output folder; rendering prospectivity.tif and targets.gpkg",
              flush=True)
        if prosp_layer is not None:
            layers = ([gpkg_layer] if gpkg_layer is not None else []) + [prosp_layer]
            render(c, layers, grid_crs, prosp_layer, png)

    total = c.passed + c.failed
    if c.failed:
        print(f"QGIS check FAILED: {c.failed} of {total} checks failed", flush=True)
        return 1
    print(f"QGIS check OK: {total} checks passed", flush=True)
    return 0


if __name__ == "__main__":
    app = QgsApplication([], False)
    app.initQgis()
    try:
        code = main(sys.argv)
    except Exception:  # any Python error is a failure, not a pass
        traceback.print_exc()
        print("FAIL: Python exception (traceback above)", flush=True)
        code = 1
    QgsProject.instance().clear()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip Qt/QGIS teardown: it can crash at exit in headless runs and turn the
    # result into a signal; the exit code is decided above.
    os._exit(code)
