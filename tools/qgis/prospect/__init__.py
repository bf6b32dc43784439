"""QGIS plugin entry point: registers the prospect Processing provider."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import ProspectPlugin

    return ProspectPlugin(iface)
