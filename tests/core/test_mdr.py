"""The MDR field mapping: unique, Shapefile-safe names, and the guide prints exactly this mapping."""

from __future__ import annotations

import re
from pathlib import Path

from wayhome.core.mdr import LAYERS, Entity

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "geodata.md"


def test_every_accepted_name_means_one_field_per_layer():
    for layer in LAYERS.values():
        names: dict[str, str] = {}
        for f in layer.fields:
            for alias in {f.name, f.mdr, f.short}:
                assert names.setdefault(alias.lower(), f.name) == f.name, (layer.name, alias)
        assert layer.key in {f.name for f in layer.fields}


def test_shapefile_names_fit_in_ten_characters():
    for layer in LAYERS.values():
        shorts = [f.short for f in layer.fields]
        assert all(len(s) <= 10 for s in shorts), layer.name
        assert len({s.lower() for s in shorts}) == len(shorts), layer.name


def test_the_guide_prints_the_mapping():
    text = GUIDE.read_text()
    rows = set(re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \|", text, re.M))
    for entity, layer in LAYERS.items():
        assert f"### `{entity.value}`: layer `{layer.name}`" in text
        for f in layer.fields:
            assert (f.name, f.mdr, f.short) in rows, f"{entity}: {f.name} not in geodata.md"
    expected = {(f.name, f.mdr, f.short) for layer in LAYERS.values() for f in layer.fields}
    assert rows == expected, "geodata.md lists fields that wayhome.core.mdr does not have"


def test_only_hazards_releases_and_sites_are_imported():
    from wayhome.core.mdr import IMPORTABLE

    assert set(IMPORTABLE) == {Entity.HAZARD_AREAS, Entity.LAND_RELEASES, Entity.HERITAGE_SITES}
