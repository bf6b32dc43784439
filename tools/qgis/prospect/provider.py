"""The prospect Processing provider: its algorithms and its one setting, the
path of the prospect program."""

from qgis.core import QgsProcessingProvider

from . import runner
from .algorithms import (
    BatchAlgorithm,
    BuildEvidenceAlgorithm,
    CheckModelAlgorithm,
    NewModelAlgorithm,
    RunModelAlgorithm,
    WeightsTableAlgorithm,
)


class ProspectProvider(QgsProcessingProvider):
    def id(self):
        return "prospect"

    def name(self):
        return "prospect"

    def longName(self):  # noqa: N802 (QGIS's name)
        return "prospect: mineral prospectivity"

    def load(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig, Setting

            ProcessingConfig.settingIcons[self.name()] = self.icon()
            ProcessingConfig.addSetting(
                Setting(
                    self.name(),
                    runner.BINARY_SETTING,
                    "prospect program (empty: prospect on PATH)",
                    "",
                    valuetype=Setting.FILE,
                )
            )
            ProcessingConfig.readSettings()
        except ImportError:  # Processing's Python part absent: PATH only
            pass
        self.refreshAlgorithms()
        return True

    def unload(self):
        try:
            from processing.core.ProcessingConfig import ProcessingConfig

            ProcessingConfig.removeSetting(runner.BINARY_SETTING)
        except ImportError:
            pass

    def loadAlgorithms(self):  # noqa: N802
        for algorithm in (
            RunModelAlgorithm(),
            CheckModelAlgorithm(),
            BuildEvidenceAlgorithm(),
            WeightsTableAlgorithm(),
            BatchAlgorithm(),
            NewModelAlgorithm(),
        ):
            self.addAlgorithm(algorithm)
