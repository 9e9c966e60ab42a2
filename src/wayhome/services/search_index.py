"""The person search index: comparison features and blocking keys kept beside every person.

Every person write calls :func:`index_person` in its own transaction, so the index never lags
the registry. A person is indexed while it is neither archived nor merged into another.

* ``person_match_features``: per person, the union of the cross-script keys of all their names
  (``wayhome.linkage.tokens``: matching, phonetic and surname-stem keys), the canonical keys of
  the primary name, sex (or the sex a patronymic/surname implies) and the birth date parts —
  everything the linkage model compares, so scoring a candidate needs no transliteration.
* ``person_name_keys``: postings of the blocking keys (kinds in :data:`POSTING_KINDS`), each
  joining two *phonetic* keys or a phonetic key and the birth year, so that a posting list stays
  small even for a common family name (the list of one family name alone is kept too, for a
  registrar who has typed nothing else yet). A typo in the family or the given name changes its
  phonetic key, so the half keys of each (``wayhome.linkage.tokens.half_keys``: one of them
  survives any single typo) are joined with the other name's phonetic key too, as the batch
  engine's ``family_typo+given`` and ``given_typo+family`` blocking rules do.
* ``name_key_counts``: how many indexed persons carry each posting key and each matching key
  and every comparison key (:data:`COUNTED`), for choosing the rarest postings and for the
  model's term frequencies and key order.

:func:`reindex` rebuilds all three; run it after ``wayhome.names`` rules change
(:data:`RULES`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wayhome.linkage.records import parse_date
from wayhome.linkage.tokens import (
    compute_all,
    family_token,
    father_token,
    given_token,
    letters,
    normalise_token,
    place_token,
)
from wayhome.services.context import Wayhome
from wayhome.store.bulk import insert_rows
from wayhome.store.tables import Person, Place
from wayhome.store.tables_search import NameKeyCount, PersonMatchFeatures, PersonNameKey

#: Version of the key rules stored features were made with; bump it when they change (and
#: rebuild the index in a migration: see migrations 0009, 0010 and 0012).
RULES = 4
#: Posting kinds: family sound key; family + given; family + birth year; given + father;
#: family half key + given sound key (a typo in the family name); family sound key + given
#: half key (a typo in the given name).
POSTING_KINDS = ("f", "fg", "fy", "gt", "dg", "fd")
#: Key columns of names, unions over all the person's names (``_d``: half keys, for typos).
NAME_COLUMNS = ("fam_k", "fam_p", "fam_s", "fam_d", "giv_k", "giv_p", "giv_d", "fat_k", "fat_p")
#: Feature columns whose keys are counted, and the kind their counts are kept under: the
#: matching keys give the term frequency, all of them the model's order of a record's keys
#: (its most common keys are the ones compared, see ``wayhome.linkage.features.SLOT_COUNTS``).
COUNTED = {
    "fam_k": "fk",
    "fam_p": "f",
    "fam_s": "fs",
    "giv_k": "gk",
    "giv_p": "gp",
    "fat_k": "tk",
    "fat_p": "tp",
    "plc_k": "pk",
    "plc_p": "pp",
}
TOTAL = ("*", "*")  # the count row of all indexed persons
KEY_LENGTH = 80
#: From this many count deltas on, :func:`add_counts` feeds its upsert in bulk.
BULK_COUNTS = 200

Features = dict[str, Any]
NameParts = tuple[str | None, str | None, str | None]  # family, given, patronymic
TokenCache = dict[tuple[str, str], tuple[dict[str, tuple[str, ...]], str, str | None]]

_TOKEN_FUNCTIONS = {"fam": family_token, "giv": given_token, "fat": father_token}


def _token(kind: str, text: str, cache: TokenCache | None) -> Any:
    function = place_token if kind == "plc" else _TOKEN_FUNCTIONS[kind]
    if cache is None:
        return function(text)
    found = cache.get((kind, text))
    if found is None:
        found = cache[(kind, text)] = function(text)
    return found


_TOKEN_KINDS = {"fam": "family", "giv": "given", "fat": "father", "plc": "place"}


def warm_tokens(cache: TokenCache, wanted: Mapping[str, Iterable[str | None]]) -> None:
    """Fill ``cache`` with the keys of the spellings in ``wanted`` (kind ``fam``, ``giv``,
    ``fat`` or ``plc`` -> raw spellings) it lacks, in worker processes when there are many
    (bulk paths: :func:`match_features` then only looks them up)."""
    missing: dict[str, Sequence[str]] = {}
    for kind, values in wanted.items():
        texts = {normalise_token(v) for v in values if v}
        missing[_TOKEN_KINDS[kind]] = sorted(t for t in texts if t and (kind, t) not in cache)
    computed = compute_all(missing)
    for kind, name in _TOKEN_KINDS.items():
        for text, found in zip(missing.get(name, ()), computed.get(name, ()), strict=True):
            cache[(kind, text)] = found


def match_features(
    names: Iterable[NameParts],
    sex: str | None,
    birth_date: str | None,
    birth_place: str | None,
    cache: TokenCache | None = None,
) -> Features:
    """The comparison features of a person (or of a search query) from names given in order,
    the primary name first: the same features `wayhome.linkage.features.prepare` computes."""
    out: Features = {}
    hints: dict[str, str | None] = {"fam": None, "fat": None}
    for column in NAME_COLUMNS:
        out[column] = set()
    for family, given, patronymic in names:
        for kind, raw in (("fam", family), ("giv", given), ("fat", patronymic)):
            text = normalise_token(raw)
            if not text:
                continue
            keys, canon, hint = _token(kind, text, cache)
            for column, values in keys.items():
                if column in out:
                    out[column].update(values)
            if f"{kind}_c" not in out:  # the first name giving this part is the canonical one
                out[f"{kind}_c"] = canon
                if kind in hints:
                    hints[kind] = hint
                if kind == "fat":
                    out["pat_c"] = letters(text)
    for column in NAME_COLUMNS:
        out[column] = sorted(out[column])
    place = normalise_token(birth_place)
    if place:
        keys, canon, _ = _token("plc", place, cache)
        out.update(plc_k=sorted(keys["plc_k"]), plc_p=sorted(keys["plc_p"]), plc_c=canon)
    else:
        out.update(plc_k=[], plc_p=[])
    for kind in ("fam", "giv", "fat", "plc"):
        out.setdefault(f"{kind}_c", None)
    out.setdefault("pat_c", None)
    out["sex"] = sex if sex in ("M", "F") else hints["fat"] or hints["fam"]
    parsed = parse_date(birth_date) if birth_date else None
    out["by"], out["bm"], out["bd"] = parsed if parsed else (None, None, None)
    return out


def posting_keys(features: Features) -> set[tuple[str, str]]:
    """The (kind, key) postings of a person or query: see :data:`POSTING_KINDS`."""
    fam, giv, fat, year = features["fam_p"], features["giv_p"], features["fat_p"], features["by"]
    keys = {("f", f) for f in fam}
    keys |= {("fg", f"{f}|{g}") for f in fam for g in giv}
    if year is not None:
        keys |= {("fy", f"{f}|{year}") for f in fam}
    keys |= {("gt", f"{g}|{t}") for g in giv for t in fat}
    # typo postings; features stored before rules 2 have no half keys (migration 0009)
    keys |= {("dg", f"{d}|{g}") for d in features.get("fam_d", ()) for g in giv}
    keys |= {("fd", f"{f}|{d}") for f in fam for d in features.get("giv_d", ())}
    return {(kind, key[:KEY_LENGTH]) for kind, key in keys if key}


def counted_keys(
    features: Features, postings: set[tuple[str, str]] | None = None
) -> set[tuple[str, str]]:
    """Every (kind, key) whose person count is kept: the postings (pass them when already
    computed) and the matching keys."""
    keys = set(posting_keys(features) if postings is None else postings)
    for column, kind in COUNTED.items():
        keys |= {(kind, k[:KEY_LENGTH]) for k in features[column] if k}
    return keys


def person_names(person: Person) -> list[NameParts]:
    """A person's names in order (the primary name first) as (family, given, patronymic)."""
    return [(n.family_name, n.given_name, n.patronymic) for n in person.names]


def person_birth_place(person: Person, session: Session | None = None) -> str | None:
    """The birth place to compare: the text as recorded, else the gazetteer place's name."""
    if person.birth_place_text:
        return person.birth_place_text
    if person.birth_place_id is None:
        return None
    place = person.birth_place
    if (place is None or place.id != person.birth_place_id) and session is not None:
        place = session.get(Place, person.birth_place_id)  # the id was just changed
    return place.display_name if place is not None else None


def features_of(
    person: Person, cache: TokenCache | None = None, session: Session | None = None
) -> Features:
    """The comparison features of a stored person."""
    place = person_birth_place(person, session)
    return match_features(person_names(person), person.sex, person.birth_date, place, cache)


def is_indexed(person: Person) -> bool:
    """Whether a person belongs in the index: not archived, not merged into another record."""
    return person.deleted_at is None and getattr(person, "merged_into_id", None) is None


def add_counts(session: Session, deltas: Counter[tuple[str, str]]) -> None:
    """Add each delta to its key's person count (creating the row), in a fixed order so that
    concurrent writers lock rows in the same order."""
    rows = [
        {"kind": kind, "key": key, "persons": n} for (kind, key), n in sorted(deltas.items()) if n
    ]
    if not rows:
        return
    forget_counts()
    if len(rows) >= BULK_COUNTS:
        _add_counts_bulk(session, rows)
        return
    dialect = session.get_bind().dialect.name
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = make_insert(NameKeyCount)
    stmt = stmt.on_conflict_do_update(
        index_elements=[NameKeyCount.kind, NameKeyCount.key],
        set_={"persons": NameKeyCount.persons + stmt.excluded.persons},
    )
    session.execute(stmt, rows)


def index_person(session: Session, person: Person) -> None:
    """Bring a person's features, postings and counts up to date, in the caller's transaction
    (call it after the person's row and names are flushed)."""
    stored = session.get(PersonMatchFeatures, person.id)
    old = counted_keys(stored.features) if stored is not None else set()
    old_postings = posting_keys(stored.features) if stored is not None else set()
    if not is_indexed(person):
        if stored is None:
            return
        session.execute(delete(PersonNameKey).where(PersonNameKey.person_id == person.id))
        session.delete(stored)
        add_counts(session, Counter({**dict.fromkeys(old, -1), TOTAL: -1}))
        return
    features = features_of(person, session=session)
    new = counted_keys(features)
    new_postings = posting_keys(features)
    deltas: Counter[tuple[str, str]] = Counter()
    for gone in old - new:
        deltas[gone] -= 1
    for came in new - old:
        deltas[came] += 1
    if stored is None:
        deltas[TOTAL] += 1
        session.add(PersonMatchFeatures(person_id=person.id, rules=RULES, features=features))
    else:
        stored.features = features
        stored.rules = RULES
    for kind, value in sorted(old_postings - new_postings):
        session.execute(
            delete(PersonNameKey).where(
                PersonNameKey.kind == kind,
                PersonNameKey.key == value,
                PersonNameKey.person_id == person.id,
            )
        )
    added = [
        {"kind": kind, "key": key, "person_id": person.id}
        for kind, key in sorted(new_postings - old_postings)
    ]
    if added:
        session.execute(insert(PersonNameKey), added)
    add_counts(session, deltas)


def _add_counts_bulk(session: Session, rows: list[dict[str, Any]]) -> None:
    """``add_counts`` for many keys at once (bulk paths): the same upsert, fed by the driver's
    fastest insert; rows arrive sorted, so locks are still taken in key order."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(
            "INSERT INTO name_key_counts (kind, key, persons) VALUES (?, ?, ?) "
            "ON CONFLICT (kind, key) DO UPDATE "
            "SET persons = name_key_counts.persons + excluded.persons",
            [(r["kind"], r["key"], r["persons"]) for r in rows],
        )
        return
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE wayhome_count_deltas "
        '(kind varchar(4), "key" varchar(80), persons integer) ON COMMIT DROP'
    )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy('COPY wayhome_count_deltas (kind, "key", persons) FROM STDIN') as c:
        for r in rows:
            c.write_row((r["kind"], r["key"], r["persons"]))
    connection.exec_driver_sql(
        'INSERT INTO name_key_counts (kind, "key", persons) '
        'SELECT kind, "key", persons FROM wayhome_count_deltas ORDER BY kind, "key" '
        'ON CONFLICT (kind, "key") DO UPDATE '
        "SET persons = name_key_counts.persons + EXCLUDED.persons"
    )
    connection.exec_driver_sql("DROP TABLE wayhome_count_deltas")


def write_index_rows(
    session: Session,
    indexed: Iterable[tuple[str, Features] | tuple[str, Features, set[tuple[str, str]]]],
) -> None:
    """Insert the features and postings of persons not yet indexed (bulk paths), each given
    as (person id, features) or (person id, features, its :func:`posting_keys`); counts are
    the caller's (see :func:`add_counts`)."""
    entries = list(indexed)
    if not entries:
        return
    insert_rows(
        session,
        PersonMatchFeatures,
        ("person_id", "features"),
        ((e[0], e[1]) for e in entries),
        {"rules": RULES},
    )
    # sorted by key, so that the postings' B-tree is filled in order rather than at random
    postings = sorted(
        (kind, key, e[0])
        for e in entries
        for kind, key in (e[2] if len(e) > 2 else posting_keys(e[1]))  # type: ignore[misc]
    )
    insert_rows(session, PersonNameKey, ("kind", "key", "person_id"), postings)


def reindex(
    wayhome: Wayhome, batch_size: int = 5000, progress: Callable[[int], None] | None = None
) -> int:
    """Rebuild the whole index from the persons table in one transaction; returns how many
    persons are indexed."""
    with wayhome.transaction() as session:
        return rebuild_in(session, batch_size, progress)


def rebuild_in_migration(bind: Any) -> None:
    """Rebuild the index of the persons already stored, for a migration that changes the
    stored keys (nothing to do in a new installation)."""
    with Session(bind=bind) as session:
        if session.execute(select(Person.id).limit(1)).first() is None:
            return
        rebuild_in(session)
        session.flush()


def rebuild_in(
    session: Session, batch_size: int = 5000, progress: Callable[[int], None] | None = None
) -> int:
    """:func:`reindex` in the caller's transaction (also used by migrations that change the
    stored keys); returns how many persons are indexed."""
    counts: Counter[tuple[str, str]] = Counter()
    cache: TokenCache = {}
    done = 0
    session.execute(delete(PersonNameKey))
    session.execute(delete(PersonMatchFeatures))
    session.execute(delete(NameKeyCount))
    last = ""
    while True:
        batch = list(
            session.scalars(
                select(Person).where(Person.id > last).order_by(Person.id).limit(batch_size)
            )
        )
        if not batch:
            break
        last = batch[-1].id
        indexed = [(p.id, features_of(p, cache)) for p in batch if is_indexed(p)]
        for _, features in indexed:
            counts.update(counted_keys(features))
        write_index_rows(session, indexed)
        done += len(indexed)
        session.expunge_all()
        if progress is not None:
            progress(done)
    counts[TOTAL] = done
    _insert_counts(session, counts)
    forget_counts()
    return done


def _insert_counts(session: Session, counts: Counter[tuple[str, str]]) -> None:
    rows = ((kind, key, n) for (kind, key), n in sorted(counts.items()))
    insert_rows(session, NameKeyCount, ("kind", "key", "persons"), rows)


def index_size(session: Session) -> int:
    """How many persons are indexed."""
    return key_counts(session, [TOTAL]).get(TOTAL, 0)


#: Key counts read within this many seconds are reused (they move by one per write; writes in
#: this process clear them at once, other processes' writes are seen this much later).
COUNTS_TTL = 30.0
_counts_cache: dict[tuple[str, str], tuple[int, float]] = {}


def forget_counts() -> None:
    """Drop the cached key counts (after a write to the index)."""
    _counts_cache.clear()


def key_counts(session: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The person count of each (kind, key); keys nobody carries are left out."""
    now = time.monotonic()
    out: dict[tuple[str, str], int] = {}
    by_kind: dict[str, list[str]] = {}
    for kind, key in keys:
        cached = _counts_cache.get((kind, key))
        if cached is not None and now - cached[1] < COUNTS_TTL:
            if cached[0]:
                out[(kind, key)] = cached[0]
        else:
            by_kind.setdefault(kind, []).append(key)
    if not by_kind:
        return out
    connection = session.connection()
    conditions = [
        and_(NameKeyCount.kind == kind, NameKeyCount.key.in_(values[start : start + 500]))
        for kind, values in sorted(by_kind.items())
        for start in range(0, len(values), 500)
    ]
    found: dict[tuple[str, str], int] = {}
    for start in range(0, len(conditions), 20):
        rows = connection.execute(
            select(NameKeyCount.kind, NameKeyCount.key, NameKeyCount.persons).where(
                or_(*conditions[start : start + 20])
            )
        )
        found.update({(kind, key): n for kind, key, n in rows})
    if len(_counts_cache) > 500_000:
        _counts_cache.clear()
    for kind, values in by_kind.items():
        for key in values:
            n = found.get((kind, key), 0)
            _counts_cache[(kind, key)] = (n, now)
            if n:
                out[(kind, key)] = n
    return out


def count_persons(session: Session) -> int:
    """How many persons are indexed, counted from the features table (for checks)."""
    return session.scalar(select(func.count()).select_from(PersonMatchFeatures)) or 0
