#!/usr/bin/python3
"""Runs the prospect Processing provider headless in QGIS (Debian's 3.22) on the
demo survey and checks what a QGIS user gets:
  - Check model: the demo passes; a broken model fails naming its file and line;
  - Run model: the outputs are written, the layers it loads are valid and styled
    (the prospectivity map with its classes, the target zones with rank labels);
  - Cancel during scoring stops the run and leaves no output folder;
  - Build evidence and Weights table: a weights table from an evidence layer;
  - New model from layers: a model file that prospect check accepts;
  - Check model and Run model from qgis_process (plugin enabled in a fresh profile).
Exits 1 on any finding.

    PATH=build:$PATH tools/qgis/check_provider.sh
"""

import os
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
sys.path.insert(0, here)
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)

findings = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        findings.append(what)


class CancelWhenScoring(QgsProcessingFeedback):
    """Presses Cancel once the run reports the scoring phase."""

    def setProgressText(self, text):  # noqa: N802
        super().setProgressText(text)
        if text == "scoring":
            self.cancel()


def run(algorithm, parameters, feedback=None):
    import processing

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    return processing.run(algorithm, parameters, context=context,
                          feedback=feedback or QgsProcessingFeedback()), context


def main():
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from prospect.provider import ProspectProvider

    provider = ProspectProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    ids = sorted(a.id() for a in provider.algorithms())
    check(ids == ["prospect:batch", "prospect:buildevidence", "prospect:checkmodel",
                  "prospect:newmodel", "prospect:runmodel", "prospect:weightstable"],
          f"the toolbox lists the six algorithms ({', '.join(ids)})")
    for a in provider.algorithms():
        bare = [p.name() for p in a.parameterDefinitions() if not p.help()]
        check(bool(a.shortHelpString()) and not bare,
              f"{a.id()} has a help text, and every parameter one" +
              (f" (not: {', '.join(bare)})" if bare else ""))

    tmp = tempfile.mkdtemp(prefix="prospect-qgis-")
    demo = os.path.join(root, "docs", "examples", "lofdal.yaml")
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
        from prospect import runner

        not_a_program = os.path.join(tmp, "prospect.txt")
        with open(not_a_program, "w", encoding="utf-8") as f:
            f.write("not a program\n")
        ProcessingConfig.setSettingValue(runner.BINARY_SETTING, not_a_program)
        try:
            run("prospect:checkmodel", {"MODEL": demo})
            check(False, "a prospect program that cannot run is named")
        except QgsProcessingException as e:
            check("is not a program this user may run" in str(e) and "Processing > Options" in str(e),
                  "a prospect program that cannot run is named, with what to do")
        ProcessingConfig.setSettingValue(runner.BINARY_SETTING, "")

        results, _ = run("prospect:checkmodel", {"MODEL": demo})
        check("grid:" in results["REPORT"], "Check model passes the demo and reports its grid")

        broken = os.path.join(tmp, "broken-for-qgis-check.yaml")  # parsing fails before paths
        with open(demo, encoding="utf-8") as f:
            lines = f.read().splitlines()
        at = next(i for i, l in enumerate(lines) if l.startswith("scores:"))
        lines.insert(at, "scorez: {}")
        with open(broken, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        try:
            run("prospect:checkmodel", {"MODEL": broken})
            check(False, "Check model fails a broken model")
        except QgsProcessingException as e:
            check(f"broken-for-qgis-check.yaml:{at + 1}" in str(e),
                  f"Check model names the broken line ({str(e).splitlines()[0]})")

        out = os.path.join(tmp, "run")
        results, context = run("prospect:runmodel", {"MODEL": demo, "OUTPUT_FOLDER": out,
                                                      "THREADS": 0, "VALIDATION": True})
        check(os.path.exists(os.path.join(out, "manifest.json")), "Run model writes the folder")
        loaded = context.layersToLoadOnCompletion()
        evidence_names = sorted(n for n in os.listdir(os.path.join(out, "evidence"))
                                if n.endswith(".tif"))
        check(len(loaded) == 2 + len(evidence_names),
              f"Run model loads the map, the zones and {len(evidence_names)} evidence layers "
              f"({len(loaded)})")
        # As the toolbox does after a run: the layers into the project, evidence unticked.
        from processing.gui.Postprocessing import handleAlgorithmResults

        handleAlgorithmResults(QgsApplication.processingRegistry().createAlgorithmById(
            "prospect:runmodel"), context, QgsProcessingFeedback(), False, {})
        tree = QgsProject.instance().layerTreeRoot()
        shown = {l.name(): tree.findLayer(l.id()).isVisible()
                 for l in QgsProject.instance().mapLayers().values() if tree.findLayer(l.id())}
        check(shown.get("prospectivity") is True and shown.get("target zones") is True,
              "the map and the zones are loaded into the project, ticked")
        hidden = [n for n, v in shown.items() if n.startswith("evidence: ") and not v]
        check(len(hidden) == len(evidence_names),
              f"the evidence layers are loaded unticked ({len(hidden)} of {len(evidence_names)})")
        scores = QgsRasterLayer(results["PROSPECTIVITY"], "prospectivity")
        check(scores.isValid() and scores.bandCount() == 4, "the prospectivity map is valid, 4 bands")
        check(scores.renderer().type() in ("paletted", "singlebandpseudocolor"),
              f"the prospectivity map opens styled ({scores.renderer().type()})")
        targets = QgsVectorLayer(results["TARGETS"], "targets", "ogr")
        check(targets.isValid() and targets.featureCount() > 0, "the target zones are valid")
        check(targets.labelsEnabled(), "the target zones open labelled (rank)")

        cancelled = os.path.join(tmp, "cancelled")
        try:
            run("prospect:runmodel", {"MODEL": demo, "OUTPUT_FOLDER": cancelled},
                CancelWhenScoring())
            check(False, "Cancel stops the run")
        except QgsProcessingException as e:
            check("Cancelled" in str(e), "Cancel stops the run")
        check(not os.path.exists(cancelled) and
              not [n for n in os.listdir(tmp) if "staging" in n],
              "a cancelled run leaves no output folder nor staging folder")

        evidence_out = os.path.join(tmp, "evidence")
        run("prospect:buildevidence", {"MODEL": demo, "OUTPUT_FOLDER": evidence_out})
        alteration = os.path.join(evidence_out, "evidence", "alteration.tif")
        check(os.path.exists(alteration), "Build evidence writes evidence/alteration.tif")
        deposits = QgsVectorLayer(os.path.join(root, "vectors", "lofdal_occurrences.geojson"),
                                  "deposits", "ogr")
        QgsProject.instance().addMapLayer(deposits)
        table = os.path.join(tmp, "weights.csv")
        run("prospect:weightstable", {"EVIDENCE": alteration, "DEPOSITS": deposits.id(),
                                      "TYPE": 0, "OUTPUT": table})
        with open(table, encoding="utf-8") as f:
            header = f.readline()
        check("contrast" in header.lower(), f"Weights table writes a CSV ({header.strip()[:60]})")

        # A continuous layer in 5 equal-count classes, cumulative: the classed raster holds
        # as many cells of class k as the table's cells up to k less those up to k - 1.
        distance = os.path.join(evidence_out, "evidence", "carbonatite_dyke_distance.tif")
        classed = os.path.join(tmp, "classed.tif")
        table5 = os.path.join(tmp, "weights5.csv")
        run("prospect:weightstable", {"EVIDENCE": distance, "DEPOSITS": deposits.id(), "TYPE": 1,
                                      "QUANTILES": 5, "OUTPUT": table5, "CLASSED": classed})
        import csv
        from osgeo import gdal

        with open(table5, encoding="utf-8", newline="") as f:
            cumulative = [int(row["cells"]) for row in csv.DictReader(f)]
        values = gdal.Open(classed).ReadAsArray()
        counts = [int((values == k + 1).sum()) for k in range(len(cumulative))]
        check(counts == [b - a for a, b in zip([0] + cumulative[:-1], cumulative)],
              f"the classed raster holds each class's cells as the table counts them ({counts})")

        # Vector evidence: the alteration polygons by their class names, built by prospect.
        alteration_polygons = QgsVectorLayer(
            os.path.join(root, "vectors", "lofdal_geology.gpkg") + "|layername=alteration",
            "alteration", "ogr")
        QgsProject.instance().addMapLayer(alteration_polygons)
        table_v = os.path.join(tmp, "weights-vector.csv")
        run("prospect:weightstable", {"EVIDENCE": alteration_polygons.id(), "CLASS_FIELD": "type",
                                      "CELL_SIZE": 50, "DEPOSITS": deposits.id(), "TYPE": 0,
                                      "OUTPUT": table_v})
        with open(table_v, encoding="utf-8", newline="") as f:
            classes = sorted((row["class"], row["name"]) for row in csv.DictReader(f))
        check([name for _, name in classes] == ["", "fenite", "hematite-carbonate"],
              "Weights table weighs vector polygons by their named classes "
              f"({', '.join(c + ' ' + n for c, n in classes)})")

        layers = {
            "area": QgsVectorLayer(os.path.join(root, "vectors", "lofdal_study_area.geojson"),
                                   "study area", "ogr"),
            "eth": QgsRasterLayer(os.path.join(root, "rasters", "lofdal_eth.tif"), "eth"),
            "dykes": QgsVectorLayer(os.path.join(root, "vectors", "lofdal_dykes.gpkg") +
                                    "|layername=dykes", "dykes", "ogr"),
            "soils": QgsVectorLayer("file://" + os.path.join(root, "vectors", "lofdal_soils.csv") +
                                    "?delimiter=,&xField=easting&yField=northing&crs=EPSG:32733",
                                    "soils", "delimitedtext"),
        }
        for name, layer in layers.items():
            check(layer.isValid(), f"demo layer {name} opens in QGIS")
            QgsProject.instance().addMapLayer(layer)
        skeleton = os.path.join(tmp, "new.yaml")
        results, _ = run("prospect:newmodel", {
            "STUDY_AREA": layers["area"].id(), "RASTERS": [layers["eth"].id()],
            "LINES": [layers["dykes"].id()], "SAMPLES": layers["soils"].id(),
            "SAMPLE_FIELDS": ["Dy_ppm"], "DEPOSITS": deposits.id(), "CRS": "EPSG:32733",
            "CELL_SIZE": 50, "OUTPUT": skeleton})
        check("grid:" in results["REPORT"], "New model from layers writes a model check accepts")
        with open(skeleton, encoding="utf-8") as f:
            text = f.read()
        check("idw:" in text and "distance:" in text and "validation:" in text,
              "the new model has the IDW, distance and validation parts")

        # Batch: a template over a folder of two surveys (each a copy of the demo's thorium grid).
        surveys = os.path.join(tmp, "surveys")
        for survey in ("north", "south"):
            os.makedirs(os.path.join(surveys, survey))
            shutil.copy(os.path.join(root, "rasters", "lofdal_eth.tif"),
                        os.path.join(surveys, survey, "eth.tif"))
        template = os.path.join(tmp, "template.yaml")
        with open(template, "w", encoding="utf-8") as f:
            f.write("grid: {like: eth.tif}\ninputs: {eth: {path: eth.tif}}\n"
                    "evidence: {th: {input: eth, membership: {function: large, midpoint: 15, "
                    "spread: 4}}}\nscores: {Th: th}\ntargets: {top_percent: 2}\n")
        batch_out = os.path.join(tmp, "batch")
        run("prospect:batch", {"TEMPLATE": template, "SURVEYS": surveys, "OUTPUT_FOLDER": batch_out,
                               "JOBS": 2})
        check(all(os.path.exists(os.path.join(batch_out, s, "prospectivity.tif"))
                  for s in ("north", "south")), "Batch runs the template in every survey")

        # qgis_process, as a user or a script runs it: the plugin enabled in a fresh profile.
        env = dict(os.environ, HOME=os.path.join(tmp, "home"), QGIS_PLUGINPATH=here)
        os.makedirs(env["HOME"])
        qp = shutil.which("qgis_process.bin") or "qgis_process"
        subprocess.run([qp, "plugins", "enable", "prospect"], env=env, capture_output=True,
                       text=True, timeout=300)
        listed = subprocess.run([qp, "list"], env=env, capture_output=True, text=True,
                                timeout=300).stdout
        check("prospect:runmodel" in listed, "qgis_process lists prospect:runmodel")
        checked = subprocess.run([qp, "run", "prospect:checkmodel", "--", f"MODEL={demo}"],
                                 env=env, capture_output=True, text=True, timeout=300)
        check(checked.returncode == 0 and "grid:" in checked.stdout,
              "qgis_process runs prospect:checkmodel on the demo")
        qp_out = os.path.join(tmp, "qgis_process-run")
        ran = subprocess.run([qp, "run", "prospect:runmodel", "--", f"MODEL={demo}",
                              f"OUTPUT_FOLDER={qp_out}"], env=env, capture_output=True, text=True,
                             timeout=600)
        check(ran.returncode == 0 and os.path.exists(os.path.join(qp_out, "manifest.json"))
              and "PROSPECTIVITY:" in ran.stdout,
              "qgis_process runs prospect:runmodel on the demo and names its outputs")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if findings:
        print(f"{len(findings)} finding(s)")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    code = main()
    # QGIS 3.22 may crash while tearing down Processing and the project at exit;
    # the checks are done, so leave without the teardown.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
