"""Geodata exchange: export and import of mine action and heritage layers with MDR field names.

The public names of `geodata_export`, `geodata_import` and `geodata_formats`; the formats, the
field names and the rules are described in docs/guide/geodata.md.
"""

from __future__ import annotations

from wayhome.core.mdr import IMPORTABLE, LAYERS, Entity
from wayhome.services.geodata_export import VIEW_ACTION, export_geodata, exportable
from wayhome.services.geodata_formats import FORMATS, ExportFile, GeodataFileError
from wayhome.services.geodata_import import (
    EDIT_ACTION,
    MODES,
    FeatureError,
    GeodataImportReport,
    import_geodata,
    require_import,
)

__all__ = [
    "EDIT_ACTION",
    "FORMATS",
    "IMPORTABLE",
    "LAYERS",
    "MODES",
    "VIEW_ACTION",
    "Entity",
    "ExportFile",
    "FeatureError",
    "GeodataFileError",
    "GeodataImportReport",
    "export_geodata",
    "exportable",
    "import_geodata",
    "require_import",
]
