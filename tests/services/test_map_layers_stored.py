"""Heritage sites on the map from their stored latest condition: same text, same coarsening."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from wayhome.core.vocab import Role
from wayhome.services import heritage, heritage_latest, map_layers
from wayhome.services.heritage_inputs import HeritageAssessmentInput, HeritageSiteInput
from wayhome.store.tables_readiness import HeritageSiteLatest


def add_site(wayhome, actor, name: str, lat: float, lon: float, *, sensitive: bool = False):
    data = {"type": "church", "names": [{"name": name}], "lat": lat, "lon": lon}
    return heritage.create_site(
        wayhome, actor, HeritageSiteInput.model_validate({**data, "sensitive": sensitive})
    )


def assess(wayhome, actor, site_id: str, observed_on: str, condition: str) -> None:
    data = {"observed_on": observed_on, "method": "field_visit", "overall_condition": condition}
    heritage.add_assessment(wayhome, actor, site_id, HeritageAssessmentInput.model_validate(data))


@pytest.mark.parametrize("zoom", [None, 3, 12, 22])
@pytest.mark.parametrize("exact", [True, False])
def test_site_feature_text_is_what_the_generic_feature_writes(zoom, exact) -> None:
    rows = [
        SimpleNamespace(
            id=f"01H-{sensitive}",
            reference='HS-"1',
            display_name='Церковь "7" \\ كنيسة\n\t\u2028\x00',
            type="church",
            sensitive=sensitive,
            lat=40.0312345678,
            lon=-45.0377123456,
            stored="yes",
            overall_condition="very_bad",
        )
        for sensitive in (False, True)
    ]
    texts: dict[str, str] = {}
    columns = ("id", "reference", "display_name", "type", "sensitive", "lat", "lon", "stored")
    plain = [(*(getattr(r, c) for c in columns), r.overall_condition) for r in rows]
    map_layers._site_texts(None, plain, zoom, exact, texts)
    for r in rows:
        lon, lat = map_layers._presented(r, exact)
        expected = map_layers._feature(
            r.id,
            map_layers._point(lon, lat, zoom),
            {
                "ref": r.reference,
                "name": r.display_name,
                "type": r.type,
                "condition": "very_bad",
                "precision": "exact" if exact or not r.sensitive else "coarse",
            },
        )
        assert texts[r.id] == expected
        assert json.loads(expected)["properties"]["name"] == r.display_name


def test_latest_condition_is_kept_when_sites_and_assessments_are_written(wayhome, make) -> None:
    admin = make.actor(Role.ADMIN)
    first = add_site(wayhome, admin, "Old church", 40.0123, 45.0123)
    second = add_site(wayhome, admin, "Mill", 40.02, 45.02)
    assess(wayhome, admin, first["id"], "2019", "good")
    assess(wayhome, admin, first["id"], "2023-05", "poor")
    assess(wayhome, admin, first["id"], "2021-02-03", "fair")  # observed earlier: not the latest
    with wayhome.read() as session:
        stored = {
            r.site_id: (r.overall_condition, r.observed_on)
            for r in session.scalars(select(HeritageSiteLatest))
        }
        ranked = heritage_latest.latest_of(session, None)
    assert stored == {first["id"]: ("poor", "2023-05"), second["id"]: (None, None)}
    assert ranked == {first["id"]: ("poor", "2023-05")}


@pytest.mark.parametrize("stored", [True, False])
def test_heritage_layer_conditions_and_coarsening_with_or_without_stored_rows(
    wayhome, make, stored
) -> None:
    admin = make.actor(Role.ADMIN)
    open_site = add_site(wayhome, admin, "Old church", 40.0123, 45.0123)
    secret = add_site(wayhome, admin, "Family cemetery", 40.0312, 45.0377, sensitive=True)
    assess(wayhome, admin, open_site["id"], "2023-05", "poor")
    assess(wayhome, admin, secret["id"], "2020", "destroyed")
    if not stored:  # as after a bulk load outside the services: ranked on request
        with wayhome.transaction() as session:
            session.execute(delete(HeritageSiteLatest))
    map_layers.clear_caches()
    viewer = make.actor(Role.VIEWER)
    layer = map_layers.heritage_layer(wayhome, viewer, zoom=12)
    by_id = {f["id"]: f for f in map(json.loads, layer.features)}
    assert by_id[open_site["id"]]["properties"]["condition"] == "poor"
    assert by_id[open_site["id"]]["geometry"]["coordinates"] == [45.0123, 40.0123]
    hidden = by_id[secret["id"]]
    assert hidden["properties"] == {
        "ref": secret["reference"],
        "name": "Family cemetery",
        "type": "church",
        "condition": "destroyed",
        "precision": "coarse",
    }
    assert hidden["geometry"]["coordinates"] == [45.05, 40.05]  # the centre of its 0.1° cell
    assert "40.0312" not in layer.geojson() and "45.0377" not in layer.geojson()
    tight = map_layers.heritage_layer(wayhome, viewer, bbox=(45.036, 40.030, 45.039, 40.032))
    assert tight.features == []  # the box applies to the presented point
    analyst = map_layers.heritage_layer(wayhome, make.actor(Role.ANALYST))
    shown = {f["id"]: f for f in map(json.loads, analyst.features)}[secret["id"]]
    assert shown["geometry"]["coordinates"] == [45.0377, 40.0312]
    assert shown["properties"]["precision"] == "exact"
