"""Persons to choose from for a form field that links a record to the registry (a person picker).

One text box, a name in any script. Two existing searches answer it, both limited to the persons
the actor may see: the registry's name search (``persons.search_persons``: every typed word in
one of the person's names, same script, so a half-typed name already finds someone) and search
before register (``similar.similar_persons``: the same name in another script or spelling). The
words are tried as family name first, then as given name first, because both orders are typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wayhome.core.errors import ValidationFailed
from wayhome.services import persons, similar
from wayhome.services.inputs import parse_input

#: How many persons are offered at most.
LIMIT = 10
#: How many characters of a name are searched at most (the similar search takes 120 per part).
MAX_QUERY = 120


@dataclass(frozen=True)
class PersonChoice:
    """A person offered in a picker; ``probability`` is set when found across scripts."""

    person: Any
    probability: float | None = None


def _similar_query(words: list[str]) -> similar.SimilarQuery | None:
    """The typed words as a search-before-register query: family name first, and the other order
    as a further name (the search keeps each person's best score over the names)."""
    if len(words) == 1:
        first: dict[str, str | None] = {"family_name": words[0]}
        other: dict[str, str | None] = {"given_name": words[0]}
    else:
        rest = " ".join(words[2:]) or None
        first = {"family_name": words[0], "given_name": words[1], "patronymic": rest}
        other = {"given_name": words[0], "family_name": words[1], "patronymic": rest}
    try:
        return parse_input(similar.SimilarQuery, {**first, "other_names": [other]})
    except ValidationFailed:  # a word longer than a name field: not a name to look for
        return None


def person_choices(
    wayhome: Any,
    actor: Any,
    text: str | None,
    exclude: Iterable[str] = (),
    lang: str | None = None,
) -> list[PersonChoice] | None:
    """Persons the actor may see whose name matches ``text`` (None when nothing was typed),
    without those in ``exclude``: same-script matches first, then the likeliest across scripts."""
    words = (text or "").strip()[:MAX_QUERY].split()
    if not words:
        return None
    skip = set(exclude)
    chosen: dict[str, PersonChoice] = {}
    found = persons.search_persons(
        wayhome, actor, q=" ".join(words), per_page=LIMIT + len(skip), lang=lang
    )
    for person in found.items:
        if person.id not in skip:
            chosen.setdefault(person.id, PersonChoice(person))
    query = _similar_query(words)
    likely = (
        similar.similar_persons(wayhome, actor, query, limit=LIMIT + len(skip)) if query else []
    )
    for match in likely:
        if match.person.id not in skip and match.person.id not in chosen:
            chosen[match.person.id] = PersonChoice(match.person, match.probability)
    return list(chosen.values())[:LIMIT]
