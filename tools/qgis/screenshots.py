#!/usr/bin/python3
"""Renders docs/qgis.md's pictures headless in Debian's QGIS: the prospect group
of the Processing toolbox, the Run model dialog, and the map Run model loads
for the demo (the prospectivity map and the target zones, as styled).

    QT_QPA_PLATFORM=offscreen PATH=build:$PATH /usr/bin/python3 tools/qgis/screenshots.py [OUT_DIR]

OUT_DIR defaults to docs/images. Fonts differ between machines, so the PNGs
are pictures for the page, not test references.
"""

import os
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
sys.path.insert(0, here)
sys.path.append("/usr/share/qgis/python/plugins")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "docs", "images")
    os.makedirs(out, exist_ok=True)
    app = QgsApplication([], True)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    import processing
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from prospect.provider import ProspectProvider
    from qgis.gui import QgsProcessingToolboxTreeView

    registry = QgsApplication.processingRegistry()
    registry.addProvider(ProspectProvider())

    toolbox = QgsProcessingToolboxTreeView(None, registry)
    toolbox.setHeaderHidden(True)
    toolbox.setFilterString("prospect")
    toolbox.resize(320, 190)
    toolbox.show()
    toolbox.expandAll()
    toolbox.clearSelection()
    app.processEvents()
    toolbox.grab().save(os.path.join(out, "qgis-toolbox.png"))

    dialog = AlgorithmDialog(registry.createAlgorithmById("prospect:runmodel"))
    dialog.resize(860, 420)
    dialog.show()
    app.processEvents()
    dialog.grab().save(os.path.join(out, "qgis-run-model.png"))

    with tempfile.TemporaryDirectory(prefix="prospect-shots-") as tmp:
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        results = processing.run(
            "prospect:runmodel",
            {"MODEL": os.path.join(root, "docs", "examples", "lofdal.yaml"),
             "OUTPUT_FOLDER": os.path.join(tmp, "out")},
            context=context, feedback=QgsProcessingFeedback())
        scores = QgsRasterLayer(results["PROSPECTIVITY"], "prospectivity")
        targets = QgsVectorLayer(results["TARGETS"], "target zones", "ogr")
        settings = QgsMapSettings()
        settings.setLayers([targets, scores])  # top first
        settings.setDestinationCrs(scores.crs())
        settings.setExtent(scores.extent())
        settings.setOutputSize(QSize(640, 640))
        settings.setOutputDpi(96)
        settings.setBackgroundColor(QColor(255, 255, 255))
        settings.setFlag(QgsMapSettings.DrawLabeling, True)
        settings.setFlag(QgsMapSettings.Antialiasing, True)
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        job.renderedImage().save(os.path.join(out, "qgis-run-result.png"), "PNG")
    print(f"wrote {out}/qgis-toolbox.png, qgis-run-model.png, qgis-run-result.png")


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # QGIS 3.22 may crash tearing down Processing at exit; the pictures are saved
