"""The duplicates review queue in the browser: queue, comparison, merge, undo, roles, RTL."""

from __future__ import annotations

import re

from tests.services.test_duplicates import population, register
from wayhome.core.vocab import Role
from wayhome.services import duplicates, persons
from wayhome.services.accounts import actor_for


def _pair(wayhome, client):
    actor = actor_for(client.user)
    population(wayhome, actor)
    first = register(
        wayhome, actor, "Мамедов", "Али", "Гасанович", sex="M", birth_date="1957-03-12"
    )
    second = register(
        wayhome,
        actor,
        "Məmmədov",
        "Əli",
        "Həsən oğlu",
        sex="M",
        birth_date="1957",
        names=[{"kind": "alias", "family_name": "MAMEDOV", "given_name": "ALI"}],
    )
    return actor, first, second


def _candidate_id(html: str) -> str:
    match = re.search(r'href="/duplicates/([0-9a-f-]{36})"', html)
    assert match, "no pair in the queue"
    return match.group(1)


def test_a_registrar_reviews_merges_and_undoes(login, wayhome):
    client = login(Role.REGISTRAR)
    _actor, first, second = _pair(wayhome, client)
    home = client.get("/")
    assert 'href="/duplicates"' in home.text  # in the main navigation
    queue = client.get("/duplicates")
    assert queue.status_code == 200
    assert "Find duplicates" in queue.text and "Nothing to review." in queue.text

    found = client.post_form("/duplicates/find", {"threshold": "0.5"}, follow_redirects=False)
    assert found.status_code == 303
    queue = client.get("/duplicates")
    assert "Мамедов Али Гасанович" in queue.text and "Məmmədov Əli Həsən oğlu" in queue.text
    assert "1 pairs proposed, 1 new" in queue.text
    candidate_id = _candidate_id(queue.text)

    page = client.get(f"/duplicates/{candidate_id}")
    assert page.status_code == 200
    for text in ("MAMEDOV ALI", "<code>Cyrl</code>", "<code>Latn</code>", "known to the day"):
        assert text in page.text
    assert "Family names are the same name across scripts/spellings" in page.text
    assert "Same person — merge" in page.text
    assert "Different people" in page.text and "Not sure — skip" in page.text

    merged = client.post_form(
        f"/duplicates/{candidate_id}/same",
        {"keep_id": first.id, "note": "same passport", "version": "1"},
        follow_redirects=False,
    )
    assert merged.status_code == 303
    assert merged.headers["location"] == f"/duplicates/{candidate_id}?done=same"
    page = client.get(merged.headers["location"])
    assert "Merged." in page.text and "Undo merge" in page.text
    assert "Same person — merge" not in page.text

    # the merged record says where it went; the kept one lists it as "also recorded as"
    history = client.get(f"/persons/{second.id}/history")
    assert history.status_code == 200 and first.id in history.text
    merged_page = client.get(f"/persons/{second.id}")
    assert f'href="/persons/{first.id}"' in merged_page.text
    panel = client.get(f"/duplicates/persons/{second.id}/panel").text
    assert "This record was merged into another record" in panel and "Мамедов" in panel
    panel = client.get(f"/duplicates/persons/{first.id}/panel").text
    assert "Also recorded as" in panel and "Məmmədov Əli Həsən oğlu" in panel
    assert "MAMEDOV ALI" in panel
    listing = client.get("/persons", params={"q": "Əli"}).text
    assert f"/persons/{first.id}" in listing and f"/persons/{second.id}" not in listing

    undone = client.post_form(
        f"/duplicates/{candidate_id}/undo", {"note": "brothers"}, follow_redirects=False
    )
    assert undone.status_code == 303
    page = client.get(undone.headers["location"])
    assert "The merge was undone" in page.text and "Same person — merge" in page.text
    assert "merge undone" in page.text and "brothers" in page.text
    assert "This record was merged" not in client.get(f"/duplicates/persons/{second.id}/panel").text

    different = client.post_form(
        f"/duplicates/{candidate_id}/different", {}, follow_redirects=False
    )
    assert different.headers["location"] == "/duplicates?done=different"
    assert "Nothing to review." in client.get("/duplicates").text
    assert "Мамедов" in client.get("/duplicates", params={"status": "different"}).text


def test_skip_moves_on_to_the_next_pair(login, wayhome):
    client = login(Role.ADMIN)
    actor, first, second = _pair(wayhome, client)
    third = register(wayhome, actor, "Petrosyan", "Armen", sex="M", birth_date="1961-05-02")
    later = duplicates.flag_pair(wayhome, actor, third.id, first.id)
    duplicates.find_duplicates(wayhome, actor)
    pending = duplicates.list_candidates(wayhome, actor).items
    assert len(pending) >= 2
    current = pending[0]
    skipped = client.post_form(f"/duplicates/{current.id}/skip", {}, follow_redirects=False)
    assert skipped.status_code == 303
    assert not skipped.headers["location"].startswith(f"/duplicates/{current.id}")
    assert skipped.headers["location"].endswith("?done=skip")
    order = [c.id for c in duplicates.list_candidates(wayhome, actor).items]
    assert order[-1] == current.id  # the skipped pair waits behind the others
    assert later.id in order


def test_roles_and_organisations(login, wayhome, make):
    registrar = login(Role.REGISTRAR)
    actor, first, second = _pair(wayhome, registrar)
    duplicates.find_duplicates(wayhome, actor)
    candidate_id = _candidate_id(registrar.get("/duplicates").text)

    viewer = login(Role.VIEWER)
    assert viewer.get("/duplicates").status_code == 403
    assert 'href="/duplicates"' not in viewer.get("/").text
    assert viewer.get(f"/persons/{first.id}").status_code == 200  # the panel works for viewers
    assert viewer.get(f"/duplicates/persons/{first.id}/panel").status_code == 200

    caseworker = login(Role.CASEWORKER)
    queue = caseworker.get("/duplicates").text
    assert "Find duplicates" not in queue and candidate_id in queue
    page = caseworker.get(f"/duplicates/{candidate_id}").text
    assert "Same person — merge" not in page and "Different people" not in page
    refused = caseworker.post_form(f"/duplicates/{candidate_id}/same", {}, follow_redirects=False)
    assert refused.status_code == 403

    other = login(Role.REGISTRAR, "ORG2")
    assert other.get(f"/duplicates/{candidate_id}").status_code == 404
    persons.share(wayhome, actor, first.id, None)
    persons.share(wayhome, actor, second.id, None)
    refused = other.post_form(f"/duplicates/{candidate_id}/same", {"keep_id": first.id})
    assert refused.status_code == 422
    assert "only the organisation that recorded a person may merge" in refused.text


def test_bad_threshold_is_reported_at_the_field(login, wayhome):
    client = login(Role.REGISTRAR)
    response = client.post_form("/duplicates/find", {"threshold": "abc"})
    assert response.status_code == 422
    assert 'id="err-threshold"' in response.text and "enter a number" in response.text
    response = client.post_form("/duplicates/find", {"threshold": "1.5"})
    assert response.status_code == 422 and "must be between 0 and 1" in response.text


def test_arabic_pages_are_right_to_left(login, wayhome):
    client = login(Role.REGISTRAR)
    actor, _first, _second = _pair(wayhome, client)
    duplicates.find_duplicates(wayhome, actor)
    queue = client.get("/duplicates", params={"lang": "ar"})
    assert 'dir="rtl"' in queue.text
    page = client.get(f"/duplicates/{_candidate_id(queue.text)}", params={"lang": "ar"})
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert "/static/css/duplicates.css" in page.text
    css = client.get("/static/css/duplicates.css").text
    assert "inset-inline-start" in css  # the bars grow from the reading side
    assert not re.search(r"\b(left|right)\b", css)  # no physical directions to mirror


def _pager(html: str) -> str:
    """The text of the pager (tags removed)."""
    nav = html[html.index('<nav class="pager"') :]
    nav = nav[: nav.index("</nav>")]
    return " ".join(re.sub(r"<[^>]+>", " ", nav).split()) + (
        " [next]" if 'rel="next"' in nav else ""
    )


def test_a_long_queue_is_counted_only_up_to_a_limit(login, wayhome, monkeypatch):
    from wayhome.web.routes import ui_duplicates

    client = login(Role.REGISTRAR)
    actor, first, second = _pair(wayhome, client)
    third = register(wayhome, actor, "Petrosyan", "Armen", sex="M", birth_date="1961-05-02")
    duplicates.flag_pair(wayhome, actor, first.id, second.id)
    duplicates.flag_pair(wayhome, actor, third.id, first.id)
    duplicates.flag_pair(wayhome, actor, third.id, second.id)
    monkeypatch.setattr(ui_duplicates, "UI_COUNT_LIMIT", 2)
    monkeypatch.setattr(wayhome.settings, "page_size", 1)
    queue = client.get("/duplicates")
    assert '<bdi dir="ltr">2+</bdi>' in queue.text  # the tile: more than two pairs to review
    assert _pager(queue.text) == "more than 2 records · page 1 Next [next]"
    last = client.get("/duplicates", params={"page": 3})  # the end: the page knows the total
    assert len(re.findall(r'href="/duplicates/[0-9a-f-]{36}"', last.text)) == 1
    assert _pager(last.text) == "3 records · page 3 of 3 Previous"
    russian = client.get("/duplicates", params={"lang": "ru"})
    assert _pager(russian.text).startswith("более 2 записей · страница 1 ")
    monkeypatch.setattr(ui_duplicates, "UI_COUNT_LIMIT", 10)
    exact = client.get("/duplicates", params={"lang": "en"})
    assert '<bdi dir="ltr">3</bdi>' in exact.text
    assert _pager(exact.text) == "3 records · page 1 of 3 Next [next]"
