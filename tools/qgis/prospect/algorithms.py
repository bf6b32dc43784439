"""The prospect Processing algorithms. Each runs the prospect program (see
runner.py) with the parameters a QGIS user picks, and hands its outputs back
as Processing outputs, usable in the graphical modeler."""

import os
import tempfile

from qgis.core import (
    QgsApplication,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputFolder,
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputString,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsVectorLayer,
)

from . import model_skeleton, runner, weights_inputs

YAML_FILTER = "Model files (*.yaml *.yml);;All files (*.*)"


def with_help(parameter, text):
    """The parameter, with its help text where this QGIS shows one."""
    if hasattr(parameter, "setHelp"):
        parameter.setHelp(text)
    return parameter


# Help for the parameters that mean the same in every algorithm (the others
# carry their own).
PARAMETER_HELP = {
    "MODEL": "The model file (YAML), as docs/model-file.md describes it; relative paths in it "
             "resolve against its own folder.",
    "TEMPLATE": "A model file whose relative paths resolve in each survey's folder.",
    "SURVEYS": "A folder whose subfolders are the surveys, each holding its layers (and "
               "optionally a survey.yaml overriding keys of the template).",
    "OUTPUT_FOLDER": "Where the outputs go. A folder an earlier run wrote is replaced whole, and "
                     "only when the new run succeeds.",
    "DEPOSITS": "Known deposits or occurrences (points). The layer's filter, if it has one, is "
                "passed on.",
    "STUDY_AREA": "Polygons limiting the analysis to where deposits could be (the licence, the "
                  "host unit); empty: every cell with evidence.",
    "UNIT_CELL_KM2": "The area unit of the weights (Bonham-Carter's unit cell); the weights "
                     "barely depend on it while it is small against the area per deposit.",
    "OUTPUT": "The file to write.",
    "CELL_SIZE": "Side of a grid cell, in the units of the CRS (metres for UTM).",
    "CRS": "The grid's CRS: projected, in metres (e.g. the survey's UTM zone).",
    "JOBS": "How many surveys run at the same time; they share the cores.",
    "FORCE": "Off: surveys whose outputs are up to date with their inputs are skipped.",
    "RASTERS": "Rasters of continuous values (radiometrics, magnetics, ...): each an input with "
               "a linear membership over its range.",
    "SAMPLES": "Soil or rock samples with assay fields (a point layer or a CSV).",
    "SAMPLE_FIELDS": "The assays to interpolate by IDW, each an input (log-scaled).",
    "CLASSED": "Optional: the evidence cut into the table's classes (needs breaks or quantiles).",
}


class ProspectAlgorithm(QgsProcessingAlgorithm):
    """What every prospect algorithm shares: the group, a fresh instance, and
    help on every parameter."""

    def addParameter(self, parameter, createOutput=True):  # noqa: N802 (QGIS's name)
        if hasattr(parameter, "setHelp") and not parameter.help():
            parameter.setHelp(PARAMETER_HELP.get(parameter.name(), ""))
        return super().addParameter(parameter, createOutput)

    def group(self):
        return ""

    def groupId(self):  # noqa: N802 (QGIS's name)
        return ""

    def createInstance(self):  # noqa: N802
        return type(self)()

    def flags(self):
        # prospect runs in a process of its own; no QGIS object is touched off the main thread.
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading


def add_threads(algorithm):
    algorithm.addParameter(
        with_help(
            QgsProcessingParameterNumber(
                "THREADS",
                "Worker threads (0: one per core)",
                QgsProcessingParameterNumber.Integer,
                defaultValue=0,
                minValue=0,
                maxValue=1024,
            ),
            "How many cores prospect may use. The maps are the same for any number.",
        )
    )


class HideLayer(QgsProcessingLayerPostProcessorInterface):
    """Unticks a loaded layer in the layer tree, as project.qgs shows evidence."""

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        project = context.project()
        node = project.layerTreeRoot().findLayer(layer.id()) if project else None
        if node is not None:
            node.setItemVisibilityChecked(False)


# Post-processors must outlive the algorithm that hands them to QGIS.
_HIDE = HideLayer()


def load_on_completion(context, path, name, output, hidden=False):
    details = QgsProcessingContext.LayerDetails(name, context.project(), output)
    # qgis_process loads no layers, and crashes on a Python post-processor (3.22).
    if hidden and QgsApplication.instance().platform() != "qgis_process":
        details.setPostProcessor(_HIDE)
    context.addLayerToLoadOnCompletion(path, details)


class RunModelAlgorithm(ProspectAlgorithm):
    def name(self):
        return "runmodel"

    def displayName(self):  # noqa: N802
        return "Run model"

    def shortHelpString(self):  # noqa: N802
        return (
            "Runs a prospect model file (prospect run): scores every cell of the survey, "
            "validates against the deposits, outlines the target zones, and writes the output "
            "folder (prospectivity.tif, targets.gpkg, report.html, project.qgs, manifest.json). "
            "The prospectivity map and the target zones are loaded, styled as the run styles "
            "them, and the evidence layers unticked below them. Cancel stops the run; prospect "
            "then leaves no output folder behind (an earlier run's folder stays as it was)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            with_help(
                QgsProcessingParameterFile(
                    "MODEL", "Model file", extension="yaml", fileFilter=YAML_FILTER
                ),
                "The model file (YAML): docs/model-file.md. New model from layers writes one.",
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", "Output folder"),
                "Where the run's outputs go. An existing folder of an earlier run is replaced "
                "whole when the run succeeds.",
            )
        )
        add_threads(self)
        validate = QgsProcessingParameterBoolean(
            "VALIDATION", "Validate against the deposits", defaultValue=True
        )
        validate.setFlags(validate.flags() | QgsProcessingParameterBoolean.FlagAdvanced)
        self.addParameter(with_help(validate, "Off: no validation.json, a faster run."))
        self.addOutput(QgsProcessingOutputRasterLayer("PROSPECTIVITY", "Prospectivity"))
        self.addOutput(QgsProcessingOutputVectorLayer("TARGETS", "Target zones"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        model = self.parameterAsFile(parameters, "MODEL", context)
        out = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        threads = self.parameterAsInt(parameters, "THREADS", context)
        args = ["run", model, "--out", out, "--threads", threads]
        if not self.parameterAsBool(parameters, "VALIDATION", context):
            args.append("--no-validation")
        runner.run(args, feedback)
        results = {"OUTPUT_FOLDER": out}
        scores = os.path.join(out, "prospectivity.tif")
        results["PROSPECTIVITY"] = scores
        load_on_completion(context, scores, "prospectivity", "PROSPECTIVITY")
        targets = os.path.join(out, "targets.gpkg")
        if os.path.exists(targets):  # targets: false writes none
            source = targets + "|layername=targets"
            results["TARGETS"] = source
            load_on_completion(context, source, "target zones", "TARGETS")
        evidence = os.path.join(out, "evidence")  # loaded unticked, as project.qgs has them
        for name in sorted(os.listdir(evidence)) if os.path.isdir(evidence) else []:
            if name.endswith(".tif"):
                load_on_completion(context, os.path.join(evidence, name), "evidence: " + name[:-4],
                                   "OUTPUT_FOLDER", hidden=True)
        return results


class CheckModelAlgorithm(ProspectAlgorithm):
    def name(self):
        return "checkmodel"

    def displayName(self):  # noqa: N802
        return "Check model"

    def shortHelpString(self):  # noqa: N802
        return (
            "Checks a model file and its inputs without running it (prospect check): the grid, "
            "every input (CRS, overlap, bands) and every deposit file with its filters. A "
            "problem is reported with its file and line and what to do."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterFile("MODEL", "Model file", extension="yaml", fileFilter=YAML_FILTER)
        )
        self.addOutput(QgsProcessingOutputString("REPORT", "What check found"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        model = self.parameterAsFile(parameters, "MODEL", context)
        report = runner.run(["check", model], feedback)
        for line in report.splitlines():
            feedback.pushInfo(line)
        return {"REPORT": report}


class BuildEvidenceAlgorithm(ProspectAlgorithm):
    def name(self):
        return "buildevidence"

    def displayName(self):  # noqa: N802
        return "Build evidence"

    def shortHelpString(self):  # noqa: N802
        return (
            "Builds a model's evidence layers on its grid and scores nothing (prospect "
            "evidence): distances, IDW surfaces, rasterized classes, densities, each written as "
            "evidence/NAME.tif with its QGIS style."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterFile("MODEL", "Model file", extension="yaml", fileFilter=YAML_FILTER)
        )
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", "Output folder"))
        self.addParameter(
            with_help(
                QgsProcessingParameterBoolean(
                    "ALL", "Also the raster inputs, as warped onto the grid", defaultValue=False
                ),
                "Off: only the layers built from vectors.",
            )
        )
        add_threads(self)
        self.addOutput(QgsProcessingOutputFolder("EVIDENCE", "Evidence layers folder"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        model = self.parameterAsFile(parameters, "MODEL", context)
        out = self.parameterAsString(parameters, "OUTPUT_FOLDER", context)
        args = ["evidence", model, "--out", out,
                "--threads", self.parameterAsInt(parameters, "THREADS", context)]
        if self.parameterAsBool(parameters, "ALL", context):
            args.append("--all")
        runner.run(args, feedback)
        folder = os.path.join(out, "evidence")
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if name.endswith(".tif"):
                load_on_completion(context, os.path.join(folder, name), name[:-4], "EVIDENCE")
        return {"OUTPUT_FOLDER": out, "EVIDENCE": folder}


def file_and_layer(source):
    """A QGIS layer source as prospect's path, layer and filter."""
    parts = source.split("|")
    path, layer, where = parts[0], "", ""
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key == "layername":
            layer = value
        elif key == "subset":
            where = value
    return path, layer, where


class WeightsTableAlgorithm(ProspectAlgorithm):
    TYPES = ["categorical", "ascending", "descending"]

    def name(self):
        return "weightstable"

    def displayName(self):  # noqa: N802
        return "Weights table"

    def shortHelpString(self):  # noqa: N802
        return (
            "Weights of evidence for one evidence layer against training deposits (prospect "
            "weights; Bonham-Carter 1994): per class or cumulative threshold the unit cells and "
            "deposits on the pattern, W+, W-, their standard deviations, the contrast and the "
            "studentized contrast. The evidence is a raster, or a vector layer that prospect "
            "builds on a grid first: polygons as their classes (or presence), lines and points as "
            "the distance to them (weigh distances ascending). The table is written as CSV and "
            "loaded; with breaks or quantiles, the evidence cut into the table's classes can be "
            "written as a raster too."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            with_help(
                QgsProcessingParameterMapLayer(
                    "EVIDENCE", "Evidence (raster or vector)",
                    types=[QgsProcessing.TypeRaster, QgsProcessing.TypeVectorAnyGeometry],
                ),
                "A raster of classes or values, or a vector layer (see the help).",
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterField(
                    "CLASS_FIELD", "Class field (vector polygons)", parentLayerParameterName="EVIDENCE",
                    optional=True,
                ),
                "Polygons: the attribute naming each polygon's class; empty: presence (inside 1).",
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "CELL_SIZE", "Cell size for vector evidence (layer CRS units)",
                QgsProcessingParameterNumber.Double, defaultValue=25.0, minValue=1e-9,
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "DEPOSITS", "Training deposits", [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterEnum("TYPE", "Weights", self.TYPES, defaultValue=0),
                "categorical: a weight per class; ascending: classes up to each value (near is "
                "good, e.g. distances); descending: classes from each value up (high is good).",
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterString("BREAKS", "Class breaks (ascending, comma-separated)",
                                             optional=True),
                "Upper bounds of the classes of a continuous layer, e.g. 100,300,600.",
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterNumber(
                    "QUANTILES", "Or equal-count classes (0: none)",
                    QgsProcessingParameterNumber.Integer, defaultValue=0, minValue=0, maxValue=100,
                ),
                "Cuts a continuous layer into this many classes of equal area before weighing.",
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "STUDY_AREA", "Study area", [QgsProcessing.TypeVectorPolygon], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "UNIT_CELL_KM2", "Unit cell (km²)", QgsProcessingParameterNumber.Double,
                defaultValue=1.0, minValue=1e-6,
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination("OUTPUT", "Weights table", "CSV files (*.csv)")
        )
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                "CLASSED", "Evidence cut into the table's classes", optional=True,
                createByDefault=False,
            )
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        evidence = self.parameterAsLayer(parameters, "EVIDENCE", context)
        deposits = self.parameterAsVectorLayer(parameters, "DEPOSITS", context)
        area = self.parameterAsVectorLayer(parameters, "STUDY_AREA", context)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        breaks = self.parameterAsString(parameters, "BREAKS", context).replace(" ", "")
        quantiles = self.parameterAsInt(parameters, "QUANTILES", context)
        if breaks and quantiles:
            raise QgsProcessingException("Give class breaks or quantiles, not both.")
        if isinstance(evidence, QgsVectorLayer):
            raster = weights_inputs.vector_evidence_raster(
                evidence, self.parameterAsString(parameters, "CLASS_FIELD", context),
                self.parameterAsDouble(parameters, "CELL_SIZE", context), area, deposits,
                tempfile.mkdtemp(prefix="weights-", dir=QgsProcessingUtils.tempFolder()), context,
                feedback)
        else:
            raster = evidence.source()
        path, layer, where = file_and_layer(deposits.source())
        args = ["weights", raster, "--deposits", path,
                "--type", self.TYPES[self.parameterAsEnum(parameters, "TYPE", context)],
                "--unit-cell-km2", self.parameterAsDouble(parameters, "UNIT_CELL_KM2", context),
                "--out", out]
        if layer:
            args += ["--deposits-layer", layer]
        if where:
            args += ["--deposits-where", where]
        if breaks:
            args += ["--breaks", breaks]
        if quantiles >= 2:
            args += ["--quantiles", quantiles]
        if area is not None:
            args += ["--study-area", file_and_layer(area.source())[0]]
        table = runner.run(args, feedback)
        for line in table.splitlines():
            feedback.pushInfo(line)
        load_on_completion(context, out, "weights table", "OUTPUT")
        results = {"OUTPUT": out}
        classed = self.parameterAsOutputLayer(parameters, "CLASSED", context)
        if classed:
            if not breaks and quantiles < 2:
                feedback.pushWarning("No classed raster: without breaks or quantiles the "
                                     "evidence's own values are the classes.")
            else:
                weights_inputs.write_classed(raster, weights_inputs.class_bounds(out), classed,
                                             feedback)
                results["CLASSED"] = classed
        return results


class BatchAlgorithm(ProspectAlgorithm):
    def name(self):
        return "batch"

    def displayName(self):  # noqa: N802
        return "Batch"

    def shortHelpString(self):  # noqa: N802
        return (
            "Runs a model template over a folder of surveys (prospect batch): each subfolder is "
            "a survey, the template's relative paths resolve in it, and a survey.yaml there "
            "overrides the template's keys. Surveys already done with the same inputs are "
            "skipped. Writes one output folder per survey and a summary."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterFile("TEMPLATE", "Model template", extension="yaml", fileFilter=YAML_FILTER)
        )
        self.addParameter(
            QgsProcessingParameterFile(
                "SURVEYS", "Folder of surveys", behavior=QgsProcessingParameterFile.Folder
            )
        )
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT_FOLDER", "Output folder"))
        self.addParameter(
            QgsProcessingParameterNumber(
                "JOBS", "Surveys at the same time", QgsProcessingParameterNumber.Integer,
                defaultValue=1, minValue=1, maxValue=256,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean("FORCE", "Run also the surveys up to date", defaultValue=False)
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        args = ["batch", self.parameterAsFile(parameters, "TEMPLATE", context),
                self.parameterAsFile(parameters, "SURVEYS", context),
                "--out", self.parameterAsString(parameters, "OUTPUT_FOLDER", context),
                "--jobs", self.parameterAsInt(parameters, "JOBS", context)]
        if self.parameterAsBool(parameters, "FORCE", context):
            args.append("--force")
        runner.run(args, feedback)
        return {"OUTPUT_FOLDER": self.parameterAsString(parameters, "OUTPUT_FOLDER", context)}


class NewModelAlgorithm(ProspectAlgorithm):
    def name(self):
        return "newmodel"

    def displayName(self):  # noqa: N802
        return "New model from layers"

    def shortHelpString(self):  # noqa: N802
        return (
            "Writes a commented fuzzy model file from the layers you pick: the grid (CRS, cell "
            "size, the study area's extent), each raster as an input with a linear membership "
            "over its range, each line layer as a distance input, each chosen assay field of the "
            "soil samples as an IDW surface, the deposits for validation. Edit the memberships "
            "and the score, then Check model and Run model. The file is checked with prospect "
            "check before it is handed back."
        )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "STUDY_AREA", "Study area", [QgsProcessing.TypeVectorPolygon], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                "RASTERS", "Raster evidence (geophysics, ...)", QgsProcessing.TypeRaster, optional=True
            )
        )
        self.addParameter(
            with_help(
                QgsProcessingParameterMultipleLayers(
                    "LINES", "Structures (distance to them)", QgsProcessing.TypeVectorLine, optional=True
                ),
                "Faults, dykes, contacts: each becomes a distance input, capped at 5 km.",
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "SAMPLES", "Soil or rock samples", [QgsProcessing.TypeVectorPoint], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "SAMPLE_FIELDS", "Assay fields to interpolate", parentLayerParameterName="SAMPLES",
                type=QgsProcessingParameterField.Numeric, allowMultiple=True, optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "DEPOSITS", "Known deposits (validation)", [QgsProcessing.TypeVectorPoint], optional=True
            )
        )
        self.addParameter(QgsProcessingParameterCrs("CRS", "Grid CRS", defaultValue="ProjectCrs"))
        self.addParameter(
            QgsProcessingParameterNumber(
                "CELL_SIZE", "Cell size (CRS units)", QgsProcessingParameterNumber.Double,
                defaultValue=25.0, minValue=1e-9,
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination("OUTPUT", "Model file", "Model files (*.yaml)")
        )
        self.addOutput(QgsProcessingOutputString("REPORT", "What check found"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        crs = self.parameterAsCrs(parameters, "CRS", context)
        if not crs.isValid():
            raise QgsProcessingException("Choose a grid CRS (a projected one, in metres).")
        if crs.isGeographic():
            raise QgsProcessingException(
                f"{crs.authid()} is geographic; distances and densities need a projected CRS "
                "in metres (e.g. the UTM zone of the survey)."
            )
        text = model_skeleton.write(
            out,
            crs=crs,
            cell_size=self.parameterAsDouble(parameters, "CELL_SIZE", context),
            study_area=self.parameterAsVectorLayer(parameters, "STUDY_AREA", context),
            rasters=self.parameterAsLayerList(parameters, "RASTERS", context),
            lines=self.parameterAsLayerList(parameters, "LINES", context),
            samples=self.parameterAsVectorLayer(parameters, "SAMPLES", context),
            sample_fields=self.parameterAsFields(parameters, "SAMPLE_FIELDS", context),
            deposits=self.parameterAsVectorLayer(parameters, "DEPOSITS", context),
            context=context,
        )
        feedback.pushInfo(f"wrote {out} ({len(text.splitlines())} lines)")
        report = runner.run(["check", out], feedback)
        return {"OUTPUT": out, "REPORT": report}
