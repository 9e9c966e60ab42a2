"""Pages of the duplicates queue: read in the queue's order part by part, checked against the
persons (visible, still separate), counted exactly or up to a limit."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from wayhome.core.vocab import Role
from wayhome.services import duplicates, persons
from wayhome.services.inputs import PersonInput
from wayhome.store.tables import Person
from wayhome.store.tables_review import DuplicateCandidate


def _person(wayhome, actor, family: str, given: str) -> Person:
    body = PersonInput.model_validate(
        {"names": [{"family_name": family, "given_name": given}], "birth_date": "1970"}
    )
    return persons.register_person(wayhome, actor, body)


def _set(wayhome, candidate_id: str, **values) -> None:
    with wayhome.transaction() as session:
        session.execute(
            update(DuplicateCandidate).where(DuplicateCandidate.id == candidate_id).values(**values)
        )


@pytest.fixture
def queue(wayhome, make):
    """Nine pairs of one registrar's organisation: one flagged by hand, six with probabilities
    (two tied), one skipped, one whose person was merged away; and one pair with a person of
    another organisation. Returns the registrar and the ids in the order the queue shows them."""
    registrar = make.actor(Role.REGISTRAR)
    other = make.actor(Role.REGISTRAR, org_code="ORG2")
    people = [_person(wayhome, registrar, f"Family{i}", f"Given{i}") for i in range(12)]
    stranger = _person(wayhome, other, "Stranger", "Someone")
    pairs = [(2, 3), (4, 5), (6, 7), (8, 9), (10, 11), (2, 5), (3, 4), (0, 1), (6, 9)]
    flagged = [
        duplicates.flag_pair(wayhome, registrar, people[a].id, people[b].id).id for a, b in pairs
    ]
    by_hand, p90, p70a, p70b, p50, p99, skipped, merged, hidden = flagged
    for candidate, probability in ((p90, 0.9), (p70a, 0.7), (p70b, 0.7), (p50, 0.5), (p99, 0.99)):
        _set(wayhome, candidate, match_probability=probability, method="engine")
    _set(wayhome, skipped, match_probability=0.95, method="engine")
    duplicates.skip(wayhome, registrar, skipped)
    _set(wayhome, hidden, person_b_id=stranger.id)  # a person the registrar may not see
    with wayhome.transaction() as session:  # `merged`: people[1] was merged into people[0]
        session.execute(
            update(Person).where(Person.id == people[1].id).values(merged_into_id=people[0].id)
        )
    tied = sorted((p70a, p70b), reverse=True)  # equal probabilities: newest id first
    return registrar, [by_hand, p99, p90, *tied, p50, skipped]


def test_pages_follow_the_queue_order_and_leave_out_what_the_actor_may_not_see(wayhome, queue):
    registrar, expected = queue
    whole = duplicates.list_candidates(wayhome, registrar, per_page=100)
    assert [c.id for c in whole.items] == expected
    assert (whole.total, whole.total_capped, whole.has_next) == (7, False, False)
    walked = []
    for page in (1, 2, 3, 4):
        part = duplicates.list_candidates(wayhome, registrar, page=page, per_page=2)
        assert part.total == 7 and not part.total_capped
        assert part.has_next == (page < 4)
        walked += [c.id for c in part.items]
    assert walked == expected
    assert duplicates.list_candidates(wayhome, registrar, page=9, per_page=2).items == []
    assert duplicates.queue_counts(wayhome, registrar)["pending"] == 7


def test_a_count_limit_says_there_are_more_instead_of_counting_them_all(wayhome, queue):
    registrar, expected = queue
    capped = duplicates.list_candidates(wayhome, registrar, per_page=2, count_limit=3)
    assert [c.id for c in capped.items] == expected[:2]
    assert (capped.total, capped.total_capped, capped.has_next) == (3, True, True)
    enough = duplicates.list_candidates(wayhome, registrar, per_page=2, count_limit=7)
    assert (enough.total, enough.total_capped) == (7, False)
    # without a count: only what the page walked through, and whether there is more
    uncounted = duplicates.list_candidates(wayhome, registrar, per_page=2, count_limit=0)
    assert (uncounted.total, uncounted.total_capped, uncounted.has_next) == (2, True, True)
    last = duplicates.list_candidates(wayhome, registrar, page=4, per_page=2, count_limit=0)
    assert [c.id for c in last.items] == expected[6:]
    assert (last.total, last.total_capped, last.has_next) == (7, False, False)
    tiles = duplicates.queue_counts_up_to(wayhome, registrar, 5)
    assert tiles["pending"] == (5, True)
    assert tiles["merged"] == (0, False) and tiles["different"] == (0, False)
    assert duplicates.queue_counts_up_to(wayhome, registrar, 7)["pending"] == (7, False)


def test_decided_pairs_are_listed_newest_first(wayhome, queue):
    registrar, expected = queue
    for candidate_id in (expected[1], expected[2], expected[3]):
        duplicates.decide_different(wayhome, registrar, candidate_id)
    decided = duplicates.list_candidates(wayhome, registrar, status="different", per_page=2)
    assert [c.id for c in decided.items] == [expected[3], expected[2]]
    assert (decided.total, decided.has_next) == (3, True)
    assert duplicates.queue_counts_up_to(wayhome, registrar, 10)["different"] == (3, False)
