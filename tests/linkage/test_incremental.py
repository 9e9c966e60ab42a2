"""A new record joins the right cluster or starts one, without re-running the job."""

from __future__ import annotations

import pytest

from tests.linkage.conftest import people_frame
from wayhome.linkage import dedupe
from wayhome.linkage.incremental import IncrementalLinker
from wayhome.linkage.records import BadRecordsError


@pytest.fixture()
def linker():
    frame = people_frame().drop(columns="person")
    result = dedupe(frame)
    with IncrementalLinker(frame, result.clusters, result.model) as inc:
        yield inc


def test_duplicate_joins_its_cluster(linker):
    placed = linker.add(
        {
            "id": "new1",
            "given_name": "Али",
            "family_name": "Мамедов",
            "patronymic": "Гасан оглы",
            "sex": "M",
            "birth_date": "1957-03-12",
            "source": "hotline",
        }
    )
    assert placed.cluster_id == "a1" and not placed.new_cluster
    assert placed.matched_id.startswith("a") and placed.match_probability >= 0.9
    assert "Family names" in placed.explanation


def test_new_person_starts_a_cluster(linker):
    placed = linker.add(
        {
            "id": "new2",
            "given_name": "Tamar",
            "family_name": "Beridze",
            "sex": "F",
            "birth_date": "2001-01-01",
        }
    )
    assert placed.new_cluster and placed.cluster_id == "new2"
    again = linker.add(
        {
            "id": "new3",
            "given_name": "Тамар",
            "family_name": "Беридзе",
            "sex": "F",
            "birth_date": "2001-01-01",
        }
    )
    assert again.cluster_id == "new2" and again.matched_id == "new2"
    clusters = linker.clusters.set_index("id")["cluster_id"]
    assert clusters["new3"] == "new2" and clusters["a2"] == "a1"


def test_sibling_does_not_join(linker):
    placed = linker.add(
        {
            "id": "new4",
            "given_name": "Rauf",
            "family_name": "Məmmədov",
            "patronymic": "Həsən oğlu",
            "sex": "M",
            "birth_date": "1965-07-07",
            "birth_place": "Şuşa",
        }
    )
    assert placed.new_cluster


def test_duplicate_id_is_refused(linker):
    with pytest.raises(BadRecordsError):
        linker.add({"id": "a1", "given_name": "X"})
