"""The duplicates review queue over the JSON API: find, list, compare, merge, undo, different."""

from __future__ import annotations

from tests.services.test_duplicates import OTHERS, population, register
from wayhome.core.vocab import Role
from wayhome.services.accounts import actor_for

P = "/api/v1"


def _world(wayhome, client):
    actor = actor_for(client.user)
    population(wayhome, actor)
    first = register(
        wayhome, actor, "Мамедов", "Али", "Гасанович", sex="M", birth_date="1957-03-12"
    )
    second = register(wayhome, actor, "Məmmədov", "Əli", "Həsən oğlu", sex="M", birth_date="1957")
    return first, second


def test_the_whole_review_over_the_api(api, wayhome):
    client = api(Role.REGISTRAR)
    first, second = _world(wayhome, client)
    run = client.post(f"{P}/duplicates/find", json={})
    assert run.status_code == 201, run.text
    assert run.json()["persons_compared"] == len(OTHERS) + 2
    assert run.json()["pairs_new"] == 1

    listed = client.get(f"{P}/duplicates").json()
    assert listed["total"] == 1
    [item] = listed["items"]
    assert (item["person_a_id"], item["person_b_id"]) == (first.id, second.id)
    assert {e["field"] for e in item["explanation"]} >= {"family_name", "given_name"}

    detail = client.get(f"{P}/duplicates/{item['id']}").json()
    assert detail["a"]["person"]["names"][0]["script"] == "Cyrl"
    assert detail["b"]["person"]["names"][0]["script"] == "Latn"
    assert detail["is_open"] and detail["merge"] is None

    stale = client.post(f"{P}/duplicates/{item['id']}/same", json={"version": 99})
    assert stale.status_code == 409 and "version 1" in stale.json()["detail"]

    merged = client.post(
        f"{P}/duplicates/{item['id']}/same",
        json={"keep_id": first.id, "note": "same passport", "version": item["version"]},
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["merged_person_id"] == second.id
    assert client.get(f"{P}/persons/{second.id}").json()["merged_into_id"] == first.id
    found = client.get(f"{P}/persons", params={"q": "Məmmədov"}).json()
    assert [p["id"] for p in found["items"]] == [first.id]  # found through the merged name
    assert client.get(f"{P}/duplicates", params={"status": "merged"}).json()["total"] == 1

    undone = client.post(f"{P}/duplicates/{item['id']}/undo", json={"note": "brothers"})
    assert undone.status_code == 200 and undone.json()["status"] == "pending"
    assert client.get(f"{P}/persons/{second.id}").json()["merged_into_id"] is None

    different = client.post(f"{P}/duplicates/{item['id']}/different", json={})
    assert different.status_code == 200 and different.json()["status"] == "different"
    assert client.get(f"{P}/duplicates").json()["total"] == 0
    again = client.post(f"{P}/duplicates/find", json={}).json()
    assert again["pairs_new"] == 0 and again["pairs_already_decided"] == 1
    decisions = client.get(f"{P}/duplicates/{item['id']}").json()["decisions"]
    assert [d["decision"] for d in decisions] == ["different", "undo", "same"]


def test_bad_requests_say_what_is_wrong(api, wayhome):
    client = api(Role.ADMIN)
    first, second = _world(wayhome, client)
    bad = client.post(f"{P}/duplicates/find", json={"threshold": 2})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "threshold"]
    assert client.get(f"{P}/duplicates", params={"status": "maybe"}).status_code == 422
    same = client.post(f"{P}/duplicates", json={"person_a_id": first.id, "person_b_id": first.id})
    assert same.status_code == 422
    assert same.json()["detail"][0]["loc"] == ["body", "person_b_id"]
    flagged = client.post(
        f"{P}/duplicates", json={"person_a_id": second.id, "person_b_id": first.id}
    ).json()
    assert flagged["method"] == "manual" and flagged["person_a_id"] == first.id
    wrong = client.post(f"{P}/duplicates/{flagged['id']}/same", json={"keep_id": "nobody"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "keep_id"]
    assert client.post(f"{P}/duplicates/{flagged['id']}/undo", json={}).status_code == 409
    assert client.get(f"{P}/duplicates/no-such-id").status_code == 404
