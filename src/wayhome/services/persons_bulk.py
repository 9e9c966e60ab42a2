"""Register many persons at once (imports, large registries): one transaction, no ORM per record.

The rows ``services/persons.py`` writes for one registration — the person, their names as
recorded, version 1 in the history, an audit event and the search index entries — are written
here a batch at a time with the driver's fastest insert (``store/bulk.py``: ``executemany`` on
SQLite, ``COPY`` on PostgreSQL). The rows are the same as registering the persons one by one
(``tests/services/test_persons_bulk.py`` compares every table), except that the audit events
say ``"bulk": true``. Work that repeats is done once: the script and folded form of each
distinct name, the name keys of each distinct spelling (in worker processes when a batch brings
many new ones), the key counts (added up in memory, written once at the end).

Every input is validated before its batch is written and the transaction is all-or-nothing: an
error anywhere rolls the whole import back.
"""

from __future__ import annotations

import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from wayhome.core.dates import parse_partial_date
from wayhome.core.errors import FieldError, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.scripts import char_script, fold
from wayhome.services import audit, search_index
from wayhome.services.context import Actor, Wayhome
from wayhome.services.inputs import PersonInput, PersonNameInput
from wayhome.services.permissions import require
from wayhome.services.persons import ENTITY, full_name
from wayhome.store.bulk import insert_rows
from wayhome.store.tables import AuditEvent, Person, PersonName, Place, RecordVersion
from wayhome.store.types import utcnow

PERSON_COLUMNS = (
    "id",
    "source",
    "sex",
    "birth_date",
    "birth_date_precision",
    "birth_year",
    "birth_place_id",
    "birth_place_text",
    "notes",
    "display_name",
)
NAME_COLUMNS = (
    "id",
    "person_id",
    "position",
    "kind",
    "given_name",
    "family_name",
    "patronymic",
    "script",
    "lang",
    "folded",
)
_SNAPSHOT_NAME = ("kind", "given_name", "family_name", "patronymic", "script", "lang")


def _batches(items: Iterable[PersonInput], size: int) -> Iterator[list[PersonInput]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _check(session: Session, batch: list[PersonInput], first: int) -> dict[str, str]:
    """Validate a batch (as ``persons.write_person`` does); return the names of the places."""
    errors = [
        FieldError(
            ("persons", first + i, "names", j), N_("give at least a given name or a family name")
        )
        for i, person in enumerate(batch)
        for j, n in enumerate(person.names)
        if not (n.given_name or n.family_name)
    ]
    wanted = {p.birth_place_id for p in batch if p.birth_place_id}
    places = (
        dict(
            session.execute(select(Place.id, Place.display_name).where(Place.id.in_(wanted))).all()
        )
        if wanted
        else {}
    )
    errors += [
        FieldError(("persons", first + i, "birth_place_id"), N_("no such place"))
        for i, p in enumerate(batch)
        if p.birth_place_id and p.birth_place_id not in places
    ]
    if errors:
        raise ValidationFailed(errors)
    return places


def new_ids(count: int) -> list[str]:
    """``count`` new UUIDv7 ids as ``core.ids.new_id`` makes them (one clock reading and one
    read of random bytes for all of them: the per-id cost matters at a million persons)."""
    millis = time.time_ns() // 1_000_000
    head = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | 0b10 << 62
    raw = os.urandom(10 * count)
    out = []
    for start in range(0, 10 * count, 10):
        rand = int.from_bytes(raw[start : start + 10], "big")
        h = f"{head | ((rand >> 62) & 0xFFF) << 64 | (rand & ((1 << 62) - 1)):032x}"
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


class _Batch:
    """The rows of one batch of persons, built in memory before anything is written."""

    def __init__(self, size: int) -> None:
        self.ids = new_ids(size)
        self.persons: list[tuple[Any, ...]] = []
        self.names: list[tuple[Any, ...]] = []
        self.versions: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.indexed: list[tuple[str, search_index.Features]] = []


class _Loader:
    """Builds the rows of each batch; caches what repeats across the whole load."""

    def __init__(self, organisation_id: str | None) -> None:
        self.organisation_id = organisation_id
        self.parts: dict[str, tuple[Counter[str], str]] = {}
        self.spellings: dict[tuple[str | None, ...], tuple[str, str]] = {}
        self.dates: dict[str | None, tuple[str | None, str, int | None]] = {}
        self.tokens: search_index.TokenCache = {}
        self.counts: Counter[tuple[str, str]] = Counter()

    def date(self, text: str | None) -> tuple[str | None, str, int | None]:
        """A birth date as stored (text, precision, year); a register has few distinct ones."""
        found = self.dates.get(text)
        if found is None:
            birth = parse_partial_date(text)
            found = self.dates[text] = (birth.iso(), birth.precision.value, birth.year)
        return found

    def part(self, text: str) -> tuple[Counter[str], str]:
        """The letters per script and the folded form of one part of a name."""
        found = self.parts.get(text)
        if found is None:
            scripts = Counter(s for c in text if (s := char_script(c)))
            found = self.parts[text] = (scripts, fold(text))
        return found

    def spelling(self, name: PersonNameInput) -> tuple[str, str]:
        """``detect_script`` and ``fold`` of the full name, from its parts: the whole name's
        letters per script are the sum of its parts', and folding works letter by letter, so
        only the parts need computing (they repeat far more often than whole names)."""
        key = (name.family_name, name.given_name, name.patronymic)
        found = self.spellings.get(key)
        if found is not None:
            return found
        parts = [self.part(p) for p in key if p]
        scripts: Counter[str] = Counter()
        for counted, _ in parts:
            scripts.update(counted)
        script = max(sorted(scripts), key=scripts.__getitem__) if scripts else "Zyyy"
        folded = " ".join(" ".join(f for _, f in parts).split())
        found = self.spellings[key] = (script, folded)
        return found

    def rows(self, batch: list[PersonInput], places: dict[str, str]) -> _Batch:
        out = _Batch(len(batch))
        name_ids = iter(new_ids(sum(len(p.names) for p in batch)))
        version_ids, event_ids = new_ids(len(batch)), new_ids(len(batch))
        for k, (pid, data) in enumerate(zip(out.ids, batch, strict=True)):
            birth_date, precision, birth_year = self.date(data.birth_date)
            names = data.names
            if len(names) > 1:
                names = sorted(names, key=lambda n: n.kind != "primary")  # the primary leads
            snapshot_names = []
            parts = []
            for i, n in enumerate(names):
                script, folded = self.spelling(n)
                kind = n.kind.value
                out.names.append(
                    (
                        next(name_ids),
                        pid,
                        i,
                        kind,
                        n.given_name,
                        n.family_name,
                        n.patronymic,
                        script,
                        n.lang,
                        folded,
                    )
                )
                values = (kind, n.given_name, n.family_name, n.patronymic, script, n.lang)
                snapshot_names.append(dict(zip(_SNAPSHOT_NAME, values, strict=True)))
                parts.append((n.family_name, n.given_name, n.patronymic))
            sex = data.sex.value
            out.persons.append(
                (
                    pid,
                    data.source,
                    sex,
                    birth_date,
                    precision,
                    birth_year,
                    data.birth_place_id,
                    data.birth_place_text,
                    data.notes,
                    full_name(names[0]),
                )
            )
            snapshot = {  # as persons.snapshot() keeps it
                "names": snapshot_names,
                "sex": sex,
                "birth_date": birth_date,
                "birth_place_id": data.birth_place_id,
                "birth_place_text": data.birth_place_text,
                "notes": data.notes,
                "source": data.source,
                "organisation_id": self.organisation_id,
                "deleted": False,
            }
            changes = audit.diff(None, snapshot)
            out.versions.append((version_ids[k], pid, snapshot, changes))
            out.events.append(
                (event_ids[k], pid, {"version": 1, "fields": list(changes), "bulk": True})
            )
            place = data.birth_place_text or places.get(data.birth_place_id or "")
            features = search_index.match_features(parts, sex, birth_date, place, self.tokens)
            out.indexed.append((pid, features))
        return out

    def warm(self, batch: list[PersonInput], places: dict[str, str]) -> None:
        """Compute the name keys of the batch's new spellings (in worker processes when many)."""
        wanted: dict[str, set[str]] = {"fam": set(), "giv": set(), "fat": set(), "plc": set()}
        for data in batch:
            for n in data.names:
                for kind, raw in (
                    ("fam", n.family_name),
                    ("giv", n.given_name),
                    ("fat", n.patronymic),
                ):
                    wanted[kind].add(raw or "")
            wanted["plc"].add(data.birth_place_text or places.get(data.birth_place_id or "") or "")
        search_index.warm_tokens(self.tokens, wanted)


def _write(
    session: Session,
    wayhome: Wayhome,
    actor: Actor,
    rows: _Batch,
    indexed: list[tuple[str, search_index.Features, set[tuple[str, str]]]],
) -> None:
    now = utcnow()
    insert_rows(
        session,
        Person,
        PERSON_COLUMNS,
        rows.persons,
        {
            "origin_instance": wayhome.instance_id,
            "organisation_id": actor.organisation_id,
            "recorded_by_id": actor.user_id,
            "recorded_at": now,
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "deleted_at": None,
            "merged_into_id": None,
        },
    )
    insert_rows(session, PersonName, NAME_COLUMNS, rows.names)
    insert_rows(
        session,
        RecordVersion,
        ("id", "entity_id", "snapshot", "changes"),
        rows.versions,
        {
            "entity_type": ENTITY,
            "version": 1,
            "action": "create",
            "changed_at": now,
            "changed_by_id": actor.user_id,
            "changed_by_name": actor.label,
            "origin_instance": wayhome.instance_id,
        },
    )
    insert_rows(
        session,
        AuditEvent,
        ("id", "entity_id", "detail"),
        rows.events,
        {
            "at": now,
            "user_id": actor.user_id,
            "username": actor.username,
            "organisation_id": actor.organisation_id,
            "action": "create",
            "entity_type": ENTITY,
            "ip": actor.ip,
        },
    )
    search_index.write_index_rows(session, indexed)


def bulk_register(
    wayhome: Wayhome,
    actor: Actor,
    people: Iterable[PersonInput],
    *,
    batch_size: int = 20_000,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Register every person of ``people`` in the actor's organisation, in one transaction;
    returns their new ids in input order. Raises ValidationFailed (``loc`` starting with
    ``("persons", index)``) and writes nothing if any input is invalid."""
    require(actor, "person.create")
    ids: list[str] = []
    loader = _Loader(actor.organisation_id)
    collecting = gc.isenabled()
    # The load allocates millions of small, acyclic objects; the cyclic collector would walk
    # the ever-growing caches again and again for nothing (about a sixth of the time).
    gc.disable()
    try:
        _load(wayhome, actor, people, batch_size, progress, loader, ids)
    finally:
        if collecting:
            gc.enable()
    return ids


#: SQLite page cache during a load (KiB): the indexes of a big registry are filled at random
#: places, and with the default 2 MiB SQLite writes the same pages out again and again.
LOAD_CACHE_KIB = 512 * 1024
ANALYZE_AFTER = 10_000
"""On PostgreSQL, a load of at least this many persons ends by analysing the tables it filled."""
ANALYZED_TABLES = (
    "persons",
    "person_names",
    "person_name_keys",
    "name_key_counts",
    "person_match_features",
)


@contextmanager
def _page_cache(session: Session) -> Iterator[None]:
    """A larger SQLite page cache for this connection while the load runs (PostgreSQL: as is)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    # straight on the driver's connection: restoring must work even after a failed statement
    # has left SQLAlchemy's transaction unusable (the pool hands the connection on)
    sqlite = connection.connection.driver_connection
    [(before,)] = sqlite.execute("PRAGMA cache_size").fetchall()  # type: ignore[union-attr]
    sqlite.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")  # type: ignore[union-attr]
    try:
        yield
    finally:
        sqlite.execute(f"PRAGMA cache_size = {int(before)}")  # type: ignore[union-attr]


def _load(
    wayhome: Wayhome,
    actor: Actor,
    people: Iterable[PersonInput],
    batch_size: int,
    progress: Callable[[int], None] | None,
    loader: _Loader,
    ids: list[str],
) -> None:
    with wayhome.transaction() as session, _page_cache(session):
        for batch in _batches(people, batch_size):
            places = _check(session, batch, len(ids))
            loader.warm(batch, places)
            rows = loader.rows(batch, places)
            indexed = []
            for pid, features in rows.indexed:
                postings = search_index.posting_keys(features)
                loader.counts.update(search_index.counted_keys(features, postings))
                indexed.append((pid, features, postings))
            _write(session, wayhome, actor, rows, indexed)
            ids.extend(rows.ids)
            if progress is not None:
                progress(len(ids))
        loader.counts[search_index.TOTAL] = len(ids)
        search_index.add_counts(session, loader.counts)
        if session.get_bind().dialect.name == "postgresql" and len(ids) >= ANALYZE_AFTER:
            # fresh statistics for the planner: without them (autovacuum off or not yet run)
            # a common name's posting list is read by a poor plan (6 ms instead of 0.2 ms)
            session.execute(text(f"ANALYZE {', '.join(ANALYZED_TABLES)}"))
