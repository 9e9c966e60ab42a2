"""Search before register: the persons a new record most likely duplicates.

Candidates come from the search index (``services/search_index.py``): the rarest posting lists
of the query's blocking keys, until :data:`CANDIDATE_BUDGET` persons. The typo postings among
them (half keys of one name joined with the other name's sound key) find a record whose family
or given name differs by one typo, as the batch engine's blocking does. A query may carry several
names (an alias, a maiden name, the name in another script): candidates are looked up for each,
and a candidate's score is its best over the query's names. Each candidate is scored
with the Fellegi–Sunter model of ``wayhome.linkage`` (the default model is trained on the
synthetic multi-script generator and shipped as ``similar_model.json``): the same comparison
levels, weights, same-family weights and term-frequency adjustment as the SQL engine, here in
Python over the stored features (``tests/services/test_similar.py`` checks that both agree).
Only persons the actor may see are returned, never archived or merged ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from pydantic import Field, field_validator
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from wayhome.core.vocab import Sex
from wayhome.linkage.features import SLOT_COUNTS
from wayhome.linkage.level_texts import LEVEL_TEXT
from wayhome.linkage.model import (
    FAMILY_AGREES,
    PARENTS_FAMILY_AGREES,
    PROBABILITY_FLOOR,
    LinkageModel,
)
from wayhome.names.phonetic import phonetic_code
from wayhome.services import search_index
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import Input, _blank_to_none, _partial_date
from wayhome.services.permissions import require, visible
from wayhome.store.tables import Person
from wayhome.store.tables_search import PersonMatchFeatures, PersonNameKey

ENTITY = "person"
#: How many candidates are scored at most (those sharing the most and rarest keys).
CANDIDATE_BUDGET = 100
#: How many posting ids are read at most to choose them.
FETCH_BUDGET = 2000
#: Candidates below this match probability are not returned.
MIN_PROBABILITY = 0.01
MAX_LIMIT = 50
#: Below this many indexed persons every name looks common: the term-frequency adjustment is
#: left out until the registry can tell a rare name from a common one.
TF_MIN_PERSONS = 1000
#: How many names besides the first one a query may carry.
MAX_OTHER_NAMES = 9

NameParts = tuple[str | None, str | None, str | None]


class SimilarName(Input):
    """One more name of the person searched for (an alias, a maiden name, another script)."""

    given_name: Annotated[str | None, Field(max_length=120)] = None
    family_name: Annotated[str | None, Field(max_length=120)] = None
    patronymic: Annotated[str | None, Field(max_length=120)] = None

    _blank = field_validator("given_name", "family_name", "patronymic", mode="before")(
        _blank_to_none
    )


class SimilarQuery(Input):
    """What a registrar has typed so far about a new person (every field optional): a first
    name in ``given_name``/``family_name``/``patronymic`` and any further ``other_names``."""

    given_name: Annotated[str | None, Field(max_length=120)] = None
    family_name: Annotated[str | None, Field(max_length=120)] = None
    patronymic: Annotated[str | None, Field(max_length=120)] = None
    sex: Sex | None = None
    birth_date: Annotated[
        str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown")
    ] = None
    birth_place: Annotated[str | None, Field(max_length=200)] = None
    other_names: Annotated[
        list[SimilarName],
        Field(
            max_length=MAX_OTHER_NAMES,
            description="further names of the person (aliases, maiden names, other scripts); "
            "a record's score is its best over all the names",
        ),
    ] = []

    _blank = field_validator(
        "given_name", "family_name", "patronymic", "sex", "birth_date", "birth_place", mode="before"
    )(_blank_to_none)
    _date = field_validator("birth_date")(_partial_date)

    @property
    def names(self) -> list[NameParts]:
        """Every name typed as (family, given, patronymic), the first one first, empty and
        repeated ones left out."""
        rows = [(self.family_name, self.given_name, self.patronymic)]
        rows += [(n.family_name, n.given_name, n.patronymic) for n in self.other_names]
        return list(dict.fromkeys(r for r in rows if any(r)))

    @property
    def has_name(self) -> bool:
        return bool(self.names)


@dataclass(frozen=True)
class FieldScore:
    """How one field compared: the level reached, its explanation (a msgid) and its weight."""

    field: str
    level: str
    explanation: str
    bits: float


@dataclass(frozen=True)
class SimilarPerson:
    """A likely existing record of the person being registered."""

    person: Person
    probability: float
    match_weight: float
    fields: tuple[FieldScore, ...]
    #: which of the query's names (``SimilarQuery.names``) scored best
    query_name: int = 0


# --- the model ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def default_model() -> LinkageModel:
    """The shipped model (trained with ``scripts/train_search_model.py``)."""
    text = resources.files("wayhome.services").joinpath("similar_model.json").read_text("utf-8")
    return LinkageModel.from_json(text)


@dataclass(frozen=True)
class Weights:
    """A model's level weights in bits, ready for scoring many pairs."""

    fields: tuple[str, ...]
    levels: dict[str, list[str]]
    bits: dict[str, list[float]]
    same_family: dict[str, list[float]]
    same_parents: dict[str, list[float]]
    u0: dict[str, float]
    prior_bits: float
    tf_cap: float

    @classmethod
    def of(cls, model: LinkageModel) -> Weights:
        if model.extras:
            raise ValueError("search before register needs a model without extra columns")
        return cls(
            fields=tuple(model.fields),
            levels=model.levels,
            bits={f: model.bits(f) for f in model.fields},
            same_family={
                f: model.bits(f, same_family=True)
                for f in model.fields
                if f in model.u_same_family and f != "family_name"
            },
            same_parents={  # models since the sibling-aware u tables; older ones have none
                f: model.bits(f, same_parents=True)
                for f in getattr(model, "u_same_parents", {})
                if f in model.u_same_family and f != "family_name" and "patronymic" in model.fields
            },
            u0={f: max(model.u_random[f][0], PROBABILITY_FLOOR) for f in model.fields},
            prior_bits=model.prior_bits,
            tf_cap=model.tf_cap_bits,
        )


# --- comparison levels over stored features (see wayhome.linkage.comparisons) ----------------
Counts = dict[tuple[str, str], int]


def _slots(features: dict[str, Any], column: str, counts: Counts) -> set[str]:
    """The keys the SQL engine compares: the canonical key first, then the most common."""
    keys = features[column]
    size = SLOT_COUNTS[column]
    if len(keys) <= size:
        return set(keys)
    canon = features[f"{column[:3]}_c"]
    preferred = phonetic_code(canon) if canon and column.endswith("_p") else canon
    kind = search_index.COUNTED[column]
    ordered = sorted(keys, key=lambda k: (k != preferred, -counts.get((kind, k), 0), k))
    return set(ordered[:size])


def slots_of(features: dict[str, Any], counts: Counts) -> dict[str, set[str]]:
    """The compared keys of every key column of a record."""
    return {c: _slots(features, c, counts) for c in SLOT_COUNTS}


@lru_cache(maxsize=65536)
def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) of two strings, exact up to 2;
    3 stands for "more than two" (only "at most 1" and "at most 2" are ever asked)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > 2:
            return 3
        previous = current
    return min(previous[-1], 3)


def _eq(a: object, b: object) -> bool:
    return a is not None and b is not None and a == b


def _names_level(
    prefix: str,
    a: dict[str, Any],
    b: dict[str, Any],
    sa: dict[str, set[str]],
    sb: dict[str, set[str]],
) -> int:
    """Level index of family (``fam``), given (``giv``) or father's (``fat``) name; -1 missing."""
    lc, rc = a[f"{prefix}_c"], b[f"{prefix}_c"]
    if lc is None or rc is None:
        return -1
    if sa[f"{prefix}_k"] & sb[f"{prefix}_k"]:
        return 0
    if sa[f"{prefix}_p"] & sb[f"{prefix}_p"]:
        return 1
    level = 2
    if prefix == "fam":
        if sa["fam_s"] & sb["fam_s"]:
            return 2
        level = 3
    distance = levenshtein(lc, rc)
    if distance <= 1:
        return level
    if prefix == "fam":
        return 4 if distance <= 2 else 5
    if prefix == "giv":
        if distance <= 2 and min(len(lc), len(rc)) >= 4:
            return 3
        if (len(lc) == 1 or len(rc) == 1) and lc[:1] == rc[:1]:
            return 4
        return 5
    lp, rp = a["pat_c"], b["pat_c"]  # father's name: the patronymic as written
    if (
        lp is not None
        and rp is not None
        and levenshtein(lp, rp) <= 2
        and min(len(lp), len(rp)) >= 5
    ):
        return 3
    return 4


def _date_level(a: dict[str, Any], b: dict[str, Any]) -> int:
    ly, lm, ld, ry, rm, rd = a["by"], a["bm"], a["bd"], b["by"], b["bm"], b["bd"]
    if ly is None or ry is None:
        return -1
    days = ld is not None and rd is not None
    if days and ly == ry and _eq(lm, rm) and ld == rd:
        return 0
    if days and ly == ry and lm == rd and ld == rm and lm != ld:
        return 1
    if ly == ry and lm is not None and lm == rm and not days:
        return 2
    if days and ly == ry and _eq(lm, rm):
        return 3
    if days and _eq(lm, rm) and ld == rd and abs(ly - ry) == 1:
        return 4
    if ly == ry and (lm is None or rm is None):
        return 5
    if ly == ry:
        return 6
    if abs(ly - ry) <= 1:
        return 7
    if abs(ly - ry) <= 5:
        return 8
    return 9


def _place_level(
    a: dict[str, Any], b: dict[str, Any], sa: dict[str, set[str]], sb: dict[str, set[str]]
) -> int:
    lc, rc = a["plc_c"], b["plc_c"]
    if lc is None or rc is None:
        return -1
    if sa["plc_k"] & sb["plc_k"]:
        return 0
    if sa["plc_p"] & sb["plc_p"]:
        return 1
    if levenshtein(lc, rc) <= 2 and min(len(lc), len(rc)) >= 5:
        return 2
    return 3


def _sex_level(a: dict[str, Any], b: dict[str, Any]) -> int:
    if a["sex"] is None or b["sex"] is None:
        return -1
    return 0 if a["sex"] == b["sex"] else 1


LEVELS: dict[str, Callable[..., int]] = {
    "family_name": lambda a, b, sa, sb: _names_level("fam", a, b, sa, sb),
    "given_name": lambda a, b, sa, sb: _names_level("giv", a, b, sa, sb),
    "patronymic": lambda a, b, sa, sb: _names_level("fat", a, b, sa, sb),
    "birth_date": lambda a, b, sa, sb: _date_level(a, b),
    "sex": lambda a, b, sa, sb: _sex_level(a, b),
    "birth_place": lambda a, b, sa, sb: _place_level(a, b, sa, sb),
}
#: The term-frequency column of each field (the share of records carrying the record's most
#: common matching key), as the kind its counts are kept under.
TF_KIND = {"family_name": "fk", "given_name": "gk", "patronymic": "tk", "birth_place": "pk"}
_TF_COLUMN = {"fk": "fam_k", "gk": "giv_k", "tk": "fat_k", "pk": "plc_k"}


def _tf(features: dict[str, Any], kind: str, counts: Counts, total: int) -> float | None:
    keys = features[_TF_COLUMN[kind]]
    if not keys:
        return None
    most = max(counts.get((kind, k), 0) for k in keys)
    return max(most, 1) / max(total, 1)


def field_bits(
    weights: Weights,
    field: str,
    level: int,
    *,
    family: int,
    father: int,
    share: float | None = None,
) -> float:
    """Bits ``field`` adds at ``level`` (-1: missing) given the pair's family-name and
    father's-name levels and its term-frequency ``share`` (the commoner of the two names'
    shares; None: not adjusted). The rule of the engine's SQL
    (:func:`wayhome.linkage.model.field_bits_sql`), in Python for one pair at a time; a test
    holds the two equal on every level combination.

    The level table is the "same parents" one when family names agree or sound alike and the
    fathers' names agree at any level but the last, the "same family" one when family names
    agree, sound alike, share a stem or are one letter apart (:data:`FAMILY_AGREES`), else
    the plain one. A weaker agreement never counts more than the exact one on the same name
    would, its adjustment included."""
    if level < 0:
        return 0.0
    parents_agree = (
        family in PARENTS_FAMILY_AGREES
        and 0 <= father < len(weights.levels.get("patronymic", ())) - 1
    )
    table = None
    if parents_agree and field in weights.same_parents:
        table = weights.same_parents[field]
    elif family in FAMILY_AGREES:
        table = weights.same_family.get(field)
    level_bits = table or weights.bits[field]
    bits = level_bits[level]
    if share is None or field not in TF_KIND or level >= len(level_bits) - 1:
        return bits
    tf_bits = math.log2(weights.u0[field] / share)
    tf_bits = min(max(tf_bits, -weights.tf_cap), weights.tf_cap)
    return bits + tf_bits if level == 0 else min(bits, level_bits[0] + tf_bits)


def score(
    weights: Weights,
    query: dict[str, Any],
    candidate: dict[str, Any],
    counts: Counts,
    total: int,
    query_slots: dict[str, set[str]] | None = None,
) -> tuple[float, float, tuple[FieldScore, ...]]:
    """Match weight (bits), probability and per-field scores of a query against a candidate;
    ``counts``/``total``: person counts of the keys involved and of the whole index."""
    qs = query_slots if query_slots is not None else slots_of(query, counts)
    cs = slots_of(candidate, counts)
    levels = {f: LEVELS[f](query, candidate, qs, cs) for f in weights.fields}
    family = levels.get("family_name", -1)
    father = levels.get("patronymic", -1)
    total_bits = weights.prior_bits
    scores = []
    for f in weights.fields:
        level = levels[f]
        share = None
        kind = TF_KIND.get(f)
        if level >= 0 and kind is not None and total >= TF_MIN_PERSONS:
            shares = [
                s
                for s in (_tf(query, kind, counts, total), _tf(candidate, kind, counts, total))
                if s is not None
            ]
            share = max(shares) if shares else None
        bits = field_bits(weights, f, level, family=family, father=father, share=share)
        name = weights.levels[f][level] if level >= 0 else _MISSING[f]
        total_bits += bits
        scores.append(FieldScore(f, name, LEVEL_TEXT.get(name, name), bits))
    probability = 1.0 / (1.0 + 2.0 ** (-total_bits))
    return total_bits, probability, tuple(scores)


_MISSING = {
    "family_name": "family_name_missing",
    "given_name": "given_name_missing",
    "patronymic": "fathers_name_missing",
    "birth_date": "birth_date_missing",
    "sex": "sex_missing",
    "birth_place": "birth_place_missing",
}


# --- search ---------------------------------------------------------------------------------
def query_features(query: SimilarQuery) -> list[dict[str, Any]]:
    """The comparison features of what was typed: one set per name (``query.names``), each with
    the same sex, birth date and place."""
    sex = query.sex.value if query.sex is not None else None
    return [
        search_index.match_features([name], sex, query.birth_date, query.birth_place)
        for name in query.names
    ]


def _choose_postings(counts: Counts, keys: set[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """The postings to read, rarest first, while their lists add up to at most
    :data:`FETCH_BUDGET` ids; when even the rarest is longer (a common family name and nothing
    else typed yet), that one alone, read in part."""
    ranked = sorted((counts[k], k) for k in keys if counts.get(k))
    chosen: list[tuple[str, str, int]] = []
    total = 0
    for n, (kind, key) in ranked:
        if chosen and total + n > FETCH_BUDGET:
            break
        chosen.append((kind, key, n))
        total += n
    return chosen


def candidate_ids(
    session: Session,
    names: Sequence[dict[str, Any]],
    counts: Counts,
    total: int,
) -> list[str]:
    """Ids of indexed persons sharing the query's rarest blocking keys, those sharing the most
    (and rarest) keys first: each shared posting adds its rarity, log(N / list length); the best
    :data:`CANDIDATE_BUDGET` of each of the query's names (one feature set per name)."""
    chosen = [_choose_postings(counts, search_index.posting_keys(f)) for f in names]
    postings = sorted({(kind, key, n) for c in chosen for kind, key, n in c})
    if not postings:
        return []
    # one round trip for every posting list (each read in part when longer than the budget)
    parts = []
    for i, (kind, key, _) in enumerate(postings):
        rows = (
            select(PersonNameKey.person_id)
            .where(PersonNameKey.kind == kind, PersonNameKey.key == key)
            .limit(FETCH_BUDGET)
            .subquery(f"p{i}")
        )
        parts.append(select(literal(i).label("posting"), rows.c.person_id))
    members: dict[int, list[str]] = {}
    for start in range(0, len(parts), 200):  # SQLite allows 500 terms in a compound SELECT
        for i, pid in session.connection().execute(union_all(*parts[start : start + 200])):
            members.setdefault(int(i), []).append(pid)
    index = {posting: i for i, posting in enumerate(postings)}
    out: dict[str, None] = {}
    for name_postings in chosen:
        rank: dict[str, float] = {}
        for posting in name_postings:
            rarity = math.log((total + 1) / posting[2])
            for pid in members.get(index[posting], ()):
                rank[pid] = rank.get(pid, 0.0) + rarity
        best = sorted(rank.items(), key=lambda item: -item[1])[:CANDIDATE_BUDGET]
        out.update((pid, None) for pid, _ in best)
    return list(out)


def _features_counts(
    candidates: list[dict[str, Any]], query: dict[str, Any]
) -> set[tuple[str, str]]:
    """The (kind, key) counts scoring needs: TF columns always, slot columns when a record
    has more keys than the engine compares."""
    needed: set[tuple[str, str]] = set()
    for f in (query, *candidates):
        for column, kind in search_index.COUNTED.items():
            if kind in _TF_COLUMN or len(f[column]) > SLOT_COUNTS.get(column, 0):
                needed.update((kind, k) for k in f[column])
    return needed


def similar_persons(
    wayhome: Wayhome,
    actor: Actor,
    query: SimilarQuery,
    limit: int = 10,
    model: LinkageModel | None = None,
) -> list[SimilarPerson]:
    """The persons the actor may see who most likely are the person described by ``query``,
    best first (at most ``limit``, at least :data:`MIN_PROBABILITY` each)."""
    require(actor, "person.view")
    limit = max(1, min(limit, MAX_LIMIT))
    if not query.has_name:
        return []
    weights = _weights(model)
    names = query_features(query)
    with wayhome.read() as session:
        total = search_index.index_size(session)
        postings = set().union(*(search_index.posting_keys(f) for f in names))
        counts = search_index.key_counts(session, postings)
        ids = candidate_ids(session, names, counts, total)
        if not ids:
            return []
        connection = session.connection()
        rows = connection.execute(
            select(PersonMatchFeatures.person_id, PersonMatchFeatures.features).where(
                PersonMatchFeatures.person_id.in_(ids)
            )
        ).all()
        needed: set[tuple[str, str]] = set()
        for features in names:
            needed |= _features_counts([f for _, f in rows], features)
        counts.update(search_index.key_counts(session, needed))
        name_slots = [slots_of(features, counts) for features in names]
        scored = []
        for pid, f in rows:
            # the best of the query's names, as a person's several names count in the engine
            weight, probability, fields, which = max(
                (
                    (*score(weights, features, f, counts, total, slots), i)
                    for i, (features, slots) in enumerate(zip(names, name_slots, strict=True))
                ),
                key=lambda s: (s[0], -s[3]),
            )
            if probability >= MIN_PROBABILITY:
                scored.append((weight, pid, probability, fields, which))
        scored.sort(key=lambda s: (-s[0], s[1]))
        allowed = _allowed(session, actor, [s[1] for s in scored], limit)
        best = [s for s in scored if s[1] in allowed][:limit]
        persons = {
            p.id: p
            for p in session.scalars(select(Person).where(Person.id.in_([s[1] for s in best])))
        }
        return [
            SimilarPerson(persons[pid], probability, weight, fields, which)
            for weight, pid, probability, fields, which in best
        ]


def _allowed(session: Session, actor: Actor, ranked: list[str], limit: int) -> set[str]:
    """Of persons ranked best first, the first ``limit`` the actor may see that are neither
    archived nor merged (checked after scoring, by id, so the check stays a few row look-ups)."""
    allowed: set[str] = set()
    for start in range(0, len(ranked), limit * 2):
        chunk = ranked[start : start + limit * 2]
        # coalesce(): an index on merged_into_id/deleted_at must not drive this query
        query = select(Person.id).where(
            Person.id.in_(chunk),
            Person.deleted_at.is_(None),
            visible(actor, Person, ENTITY),
        )
        merged = getattr(Person, "merged_into_id", None)
        if merged is not None:
            query = query.where(func.coalesce(merged, "") == "")
        allowed.update(session.connection().execute(query).scalars())
        if len(allowed) >= limit:
            break
    return allowed


def _weights(model: LinkageModel | None) -> Weights:
    if model is None:
        return _default_weights()
    return Weights.of(model)


@lru_cache(maxsize=1)
def _default_weights() -> Weights:
    return Weights.of(default_model())
