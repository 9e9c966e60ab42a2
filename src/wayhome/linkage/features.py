"""Feature preparation: cross-script name keys, date parts, places — one row per record.

All per-token work (``wayhome.names``) is done once per *distinct* token string (names repeat
heavily) and, for large inputs, in worker processes. Keys become integer ids, ranked per field
by how many records carry them (id 0 = the most common), so that "the most common shared key of
two records" is ``list_min(list_intersect(...))`` in SQL. Every record gets the union of the keys
of all its names (primary name plus aliases, maiden names and earlier spellings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from wayhome.names import split_full_name
from wayhome.names.phonetic import phonetic_code

from .records import NAMES_COLUMN, Records, parse_date
from .tokens import compute_each, letters, normalise_token

#: Key vocabularies: (feature column, token kind, part of the token's features).
KEY_COLUMNS = {
    "fam_k": "family",
    "fam_p": "family",
    "fam_s": "family",
    "giv_k": "given",
    "giv_p": "given",
    "fat_k": "father",
    "fat_p": "father",
    "plc_k": "place",
    "plc_p": "place",
    "fam_d": "family",
    "giv_d": "given",
}
#: Columns whose keys get a term-frequency share (``tf_<column>``: share of records carrying
#: the record's most common key).
TF_COLUMNS = ("fam_k", "giv_k", "fat_k", "plc_k")
#: Key lists compared for overlap get ``<column>_0``, ``_1``… scalar copies of their most common
#: keys (how many: the value here) and ``<column>_n`` (list length): overlap tests on scalars
#: are much faster than list functions.
SLOT_COUNTS = {
    "fam_k": 4,
    "fam_p": 2,
    "fam_s": 1,
    "giv_k": 4,
    "giv_p": 2,
    "fat_k": 4,
    "fat_p": 2,
    "plc_k": 4,
    "plc_p": 2,
}


@dataclass
class Vocabulary:
    """Key string → integer id per key column, with how many records carry each key."""

    ids: dict[str, dict[str, int]] = field(default_factory=dict)
    counts: dict[str, np.ndarray] = field(default_factory=dict)
    records: int = 0


@dataclass
class Features:
    """Prepared records: ``table`` has one row per record (``rid`` = row position)."""

    table: pa.Table
    ids: np.ndarray
    vocabulary: Vocabulary
    datasets: np.ndarray
    extras: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.ids)


def _names_long(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (record, name): the primary name first, then the other names."""
    primary = pd.DataFrame(
        {
            "rid": np.arange(len(frame), dtype=np.int64),
            "order": 0,
            "family": frame["family_name"].to_numpy(dtype=object),
            "given": frame["given_name"].to_numpy(dtype=object),
            "father": frame["patronymic"].to_numpy(dtype=object),
        }
    )
    if NAMES_COLUMN not in frame.columns:
        return primary
    extra: list[tuple[int, int, str, str, str]] = []
    for rid, names in enumerate(frame[NAMES_COLUMN].to_numpy()):
        for order, text in enumerate(names or (), start=1):
            full = split_full_name(text)
            extra.append((rid, order, full.family or "", full.given or "", full.patronymic or ""))
    if not extra:
        return primary
    more = pd.DataFrame(extra, columns=["rid", "order", "family", "given", "father"])
    return pd.concat([primary, more]).sort_values(["rid", "order"], kind="stable")


def _ragged(
    offsets: np.ndarray, values: np.ndarray, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each code emit the values of its row; returns (position in codes, value)."""
    lengths = offsets[codes + 1] - offsets[codes]
    positions = np.repeat(np.arange(len(codes)), lengths)
    starts = np.repeat(offsets[codes] - (np.cumsum(lengths) - lengths), lengths)
    return positions, values[starts + np.arange(int(lengths.sum()))]


def _preferred(column: str, canon: np.ndarray, ids: dict[str, int]) -> np.ndarray:
    """Per record, the id of its canonical key in ``column`` (-1 if none)."""
    codes, uniques = pd.factorize(canon)
    phonetic = column.endswith("_p")
    found = [
        ids.get(phonetic_code(u) if phonetic else u, -1) if isinstance(u, str) else -1
        for u in uniques
    ]
    lookup = np.asarray(found + [-1], dtype=np.int64)
    return lookup[codes]


def _preferred_first(
    rid: np.ndarray, keys: np.ndarray, later: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``rid``/``keys`` reordered by record, then preferred key first (``later`` False), then
    by key id. One stable sort of packed integers: the rows come sorted by record already, so
    it only has short runs to order (``np.lexsort`` of the three columns is 20x slower)."""
    rid = rid.astype(np.int64, copy=False)
    keys = keys.astype(np.int64, copy=False)
    width = int(keys.max()) + 1
    if keys.min() < 0 or rid.min() < 0 or (int(rid.max()) + 1) * 2 * width >= 2**62:
        order = np.lexsort((keys, later, rid))
        return rid[order], keys[order]
    packed = np.sort((rid * 2 + later) * width + keys, kind="stable")
    return packed // (2 * width), packed % width


def _slots(
    column: str,
    rid: np.ndarray,
    keys: np.ndarray,
    n: int,
    first_rid: int = 0,
    preferred: np.ndarray | None = None,
) -> dict[str, pa.Array]:
    """Scalar copies of each record's canonical key and then its most common other keys; a
    missing slot holds a negative number unique to the record and slot, so it never equals
    anything in another record. ``rid``/``keys`` are sorted by rid."""
    slots = SLOT_COUNTS[column]
    out: dict[str, pa.Array] = {}
    if preferred is not None and len(rid):
        rid, keys = _preferred_first(rid, keys, keys != preferred[rid])
    lengths = np.bincount(rid, minlength=n)
    starts = np.cumsum(lengths) - lengths
    position = np.arange(len(rid)) - starts[rid]
    for slot in range(slots):
        values = -((np.arange(n, dtype=np.int64) + first_rid) * slots + slot + 1)
        here = position == slot
        values[rid[here]] = keys[here]
        out[f"{column}_{slot}"] = pa.array(values.astype(np.int32))
    out[f"{column}_n"] = pa.array(lengths.astype(np.int32))
    return out


def _tf_share(
    rid: np.ndarray, keys: np.ndarray, counts: np.ndarray, n: int, records: int
) -> pa.Array:
    """Share of records carrying each record's most common key (NULL without keys)."""
    most_common = np.full(n, -1, dtype=np.int64)
    if len(rid):  # key ids rank keys by frequency: the smallest of a record is its most common
        if (np.diff(rid) < 0).any():
            order = np.argsort(rid, kind="stable")
            rid, keys = rid[order], keys[order]
        starts = np.flatnonzero(np.r_[True, rid[1:] != rid[:-1]])
        most_common[rid[starts]] = np.minimum.reduceat(keys, starts)
    known = (most_common >= 0) & (most_common < len(counts))
    share = np.full(n, 1.0 / max(records, 1))
    share[known] = counts[most_common[known]] / max(records, 1)
    return pa.array(share, mask=most_common < 0)


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort-based: faster than ``np.unique``'s hashing here)."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _list_array(rid: np.ndarray, keys: np.ndarray, n: int) -> pa.ListArray:
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(rid, minlength=n), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(keys.astype(np.int32)))


def _year_initials(keys: pa.ListArray, ids: dict[str, int], years: np.ndarray) -> pa.ListArray:
    """Per record: birth year * 32 + first letter of each family key (for blocking)."""
    letter = np.zeros(len(ids) + 1, dtype=np.int64)
    for key, i in ids.items():
        letter[i] = (ord(key[0]) - 96) % 32 if key else 0
    offsets = keys.offsets.to_numpy()
    values = keys.values.to_numpy()
    rid = np.repeat(np.arange(len(keys)), np.diff(offsets))
    ok = years[rid] >= 0
    combined = _unique(rid[ok].astype(np.int64) * 2**20 + years[rid[ok]] * 32 + letter[values[ok]])
    return _list_array(combined // 2**20, combined % 2**20, len(keys))


def _decades(years: np.ndarray) -> pa.ListArray:
    """Per record with a birth year: two overlapping decades (``y // 10`` and ``(y + 5) // 10``,
    told apart by the last bit), so two years at most 4 apart share one; used to split big
    blocks."""
    known = np.flatnonzero(years >= 0)
    rid = np.repeat(known, 2)
    values = np.empty(len(rid), dtype=np.int64)
    values[0::2] = years[known] // 10 * 2
    values[1::2] = (years[known] + 5) // 10 * 2 + 1
    return _list_array(rid, values, len(years))


MAX_EXTRAS = 8


def choose_extras(records: Records) -> tuple[str, ...]:
    """Extra columns worth comparing: filled in for at least 5% of records and not an id of the
    row (at most 98% distinct values). EM learns how much each says; useless ones weigh ~0."""
    frame = records.frame
    chosen = []
    for column in records.extra_columns:
        values = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
        values = values.str.strip()
        filled = values[values != ""]
        if len(filled) >= max(2, 0.05 * len(frame)) and filled.nunique() <= 0.98 * len(filled):
            chosen.append(column)
    return tuple(chosen[:MAX_EXTRAS])


def _extra_columns(
    frame: pd.DataFrame, extras: tuple[str, ...], vocab: Vocabulary, frozen: bool, n: int
) -> dict[str, pa.Array]:
    """Per extra column i: ``x<i>_v`` value id, ``x<i>_c`` normalised text, ``tf_x<i>`` share."""
    out: dict[str, pa.Array] = {}
    for i, column in enumerate(extras):
        raw = frame[column] if column in frame.columns else pd.Series([""] * n)
        text = raw.astype(object).where(raw.notna(), "").astype(str)
        text = text.str.casefold().str.split().str.join(" ")
        codes, uniques = pd.factorize(text.to_numpy(dtype=object))
        ids = vocab.ids.setdefault(f"x{i}", {})
        mapped = np.asarray([ids.setdefault(u, len(ids)) for u in uniques] + [-1], dtype=np.int64)
        value = mapped[codes]
        missing = (text == "").to_numpy()
        if not frozen:
            vocab.counts[f"x{i}"] = np.bincount(value[~missing], minlength=len(ids))
        counts = vocab.counts.get(f"x{i}", np.zeros(0, dtype=np.int64))
        known = (value >= 0) & (value < len(counts))
        share = np.full(n, 1.0 / max(vocab.records, 1))
        share[known] = np.maximum(counts[value[known]], 1) / max(vocab.records, 1)
        out[f"x{i}_v"] = pa.array(value, mask=missing, type=pa.int64())
        out[f"x{i}_c"] = pa.array(text.to_numpy(dtype=object), mask=missing, type=pa.string())
        out[f"tf_x{i}"] = pa.array(share, mask=missing)
    return out


def prepare(
    records: Records,
    vocabulary: Vocabulary | None = None,
    workers: int | None = None,
    first_rid: int = 0,
    extras: tuple[str, ...] | None = None,
) -> Features:
    """Compute the features of checked records.

    With a ``vocabulary`` (from an earlier run) known keys keep their ids and counts, and new
    keys get new ids: used to score new records against an existing set, whose rids they
    continue from ``first_rid``. ``extras``: extra columns to compare (default: chosen by
    :func:`choose_extras`).
    """
    frame = records.frame
    n = len(frame)
    frozen = vocabulary is not None
    vocab = vocabulary if vocabulary is not None else Vocabulary(records=n)
    names = _names_long(frame)
    rid_of_name = names["rid"].to_numpy()
    columns: dict[str, Any] = {"rid": pa.array(np.arange(first_rid, first_rid + n, dtype=np.int32))}
    datasets = (
        frame["_ds"].to_numpy(dtype=np.int8) if "_ds" in frame.columns else np.zeros(n, np.int8)
    )
    columns["ds"] = pa.array(datasets)
    hints: dict[str, np.ndarray] = {}
    sources = {
        "family": (names["family"].to_numpy(dtype=object), rid_of_name, "fam"),
        "given": (names["given"].to_numpy(dtype=object), rid_of_name, "giv"),
        "father": (names["father"].to_numpy(dtype=object), rid_of_name, "fat"),
        "place": (frame["birth_place"].to_numpy(dtype=object), np.arange(n), "plc"),
    }
    distinct: dict[str, tuple[np.ndarray, list[str]]] = {}
    for kind, (tokens, _, _) in sources.items():
        raw_codes, raw = pd.factorize(tokens)
        fine, uniques = pd.factorize(np.asarray([normalise_token(t) for t in raw], dtype=object))
        codes = np.where(raw_codes >= 0, fine[raw_codes], -1) if len(raw) else raw_codes
        distinct[kind] = (codes, list(uniques))
    computed = compute_each(
        {kind: [u for u in uniques if u] for kind, (_, uniques) in distinct.items()}, workers
    )
    for kind, done in computed:  # one kind here while the workers compute the next ones
        _, owner, prefix = sources[kind]
        codes, uniques = distinct[kind]
        filled = iter(done)
        per_token = [next(filled) if u else ({}, None, None) for u in uniques]
        nonempty = np.asarray([bool(u) for u in uniques] + [False], dtype=bool)
        present = np.flatnonzero(nonempty[codes])
        owned = owner[present]  # owners are sorted: primary name first within a record
        first = np.ones(len(owned), dtype=bool)
        first[1:] = owned[1:] != owned[:-1]
        owners, first_at = owned[first], np.flatnonzero(first)
        canon = np.full(n, None, dtype=object)
        canon_of_token = np.asarray([c for _, c, _ in per_token] + [None], dtype=object)
        canon[owners] = canon_of_token[codes[present][first_at]]
        columns[f"{prefix}_c"] = pa.array(canon, type=pa.string())
        if kind == "father":  # the patronymic as written, folded: for typos in it
            folded = [letters(u) if u else None for u in uniques] + [None]
            written = np.full(n, None, dtype=object)
            written[owners] = np.asarray(folded, dtype=object)[codes[present][first_at]]
            columns["pat_c"] = pa.array(written, type=pa.string())
        hint_of_token = np.asarray([h for _, _, h in per_token] + [None], dtype=object)
        hint = np.full(n, None, dtype=object)
        hint[owners] = hint_of_token[codes[present][first_at]]
        hints[kind] = hint
        for column in [c for c, k in KEY_COLUMNS.items() if k == kind]:
            ids = vocab.ids.setdefault(column, {})
            offsets = np.zeros(len(per_token) + 1, dtype=np.int64)
            flat: list[int] = []
            for i, (keys, _, _) in enumerate(per_token):
                for key in keys.get(column, ()):
                    flat.append(ids.setdefault(key, len(ids)))
                offsets[i + 1] = len(flat)
            valid = codes >= 0
            pos, key_ids = _ragged(offsets, np.asarray(flat, dtype=np.int64), codes[valid])
            rid = owner[valid][pos]
            combined = _unique(rid * (len(ids) + 1) + key_ids)
            rid, key_ids = combined // (len(ids) + 1), combined % (len(ids) + 1)
            if not frozen:
                counts = np.bincount(key_ids, minlength=len(ids))
                order = np.argsort(-counts, kind="stable")
                rank = np.empty_like(order)
                rank[order] = np.arange(len(order))
                vocab.ids[column] = {key: int(rank[i]) for key, i in ids.items()}
                vocab.counts[column] = counts[order]
                key_ids = rank[key_ids]
            columns[column] = _list_array(rid, key_ids, n)
            if column in SLOT_COUNTS:
                preferred = _preferred(column, canon, vocab.ids[column])
                columns.update(_slots(column, rid, key_ids, n, first_rid, preferred))
            if column in TF_COLUMNS:
                counts = vocab.counts.get(column, np.zeros(0, dtype=np.int64))
                columns[f"tf_{column}"] = _tf_share(rid, key_ids, counts, n, vocab.records)
    sex = frame["sex"].to_numpy(dtype=object).copy()
    missing = sex == ""
    for kind in ("father", "family"):
        fill = missing & (hints[kind] != None)  # noqa: E711 - element-wise
        sex[fill] = hints[kind][fill]
        missing &= ~fill
    sex[sex == ""] = None
    columns["sex"] = pa.array(sex, type=pa.string())
    date_codes, date_uniques = pd.factorize(frame["birth_date"].to_numpy(dtype=object))
    parts = np.full((len(date_uniques) + 1, 3), -1, dtype=np.int32)
    for i, text in enumerate(date_uniques):
        parsed = parse_date(text) if text else None
        if parsed:
            parts[i] = [-1 if v is None else v for v in parsed]
    by_row = parts[date_codes]
    for j, name in enumerate(("byear", "bmonth", "bday")):
        values = by_row[:, j]
        columns[name] = pa.array(values, mask=values < 0, type=pa.int32())
    columns["yfi"] = _year_initials(columns["fam_k"], vocab.ids["fam_k"], by_row[:, 0])
    columns["bdecs"] = _decades(by_row[:, 0])
    full = ((by_row[:, 0] - 1800) * 512 + by_row[:, 1] * 32 + by_row[:, 2]).astype(np.int64)
    columns["bdate"] = pa.array(full, mask=by_row[:, 2] < 0, type=pa.int64())
    day_month = (by_row[:, 1] * 32 + by_row[:, 2]).astype(np.int64)
    columns["bdaymonth"] = pa.array(day_month, mask=by_row[:, 2] < 0, type=pa.int64())
    extras = choose_extras(records) if extras is None else tuple(extras)
    columns.update(_extra_columns(frame, extras, vocab, frozen, n))
    table = pa.table(columns)
    return Features(table, frame["id"].to_numpy(dtype=object), vocab, datasets, extras)


def _codes(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a scalar column (strings by their dictionary index) and its validity."""
    import pyarrow.compute as pc

    values = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    valid = values.is_valid().to_numpy(zero_copy_only=False)
    if not (pa.types.is_integer(values.type) or pa.types.is_floating(values.type)):
        values = values.dictionary_encode().indices
    filled = pc.fill_null(values, 0).to_numpy(zero_copy_only=False)
    return filled.astype(np.int64, copy=False), valid


def _mode_rows(group: np.ndarray, values: np.ndarray, valid: np.ndarray, groups: int) -> np.ndarray:
    """Per group (``0..groups-1``), the position of one row holding the group's commonest valid
    value (ties: the smallest value, then the first row); -1 for a group without valid values."""
    out = np.full(groups, -1, dtype=np.int64)
    rows = np.flatnonzero(valid)
    if len(rows) == 0:
        return out
    here = values[rows].astype(np.int64)
    low, width = int(here.min()), int(here.max()) - int(here.min()) + 1
    if width * groups >= 2**62:  # too wide to pack with the group: rank the values first
        uniques, here = np.unique(here, return_inverse=True)
        width, low = len(uniques), 0
    combined = group[rows].astype(np.int64) * width + (here - low)
    order = np.argsort(combined, kind="stable")
    ordered = combined[order]
    start = np.ones(len(ordered), dtype=bool)
    start[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(start)
    counts = np.diff(np.append(starts, len(ordered)))
    run_group = ordered[starts] // width
    # per group the run with the largest count; runs are in value order, so the first such
    group_start = np.flatnonzero(np.r_[True, run_group[1:] != run_group[:-1]])
    largest = np.maximum.reduceat(counts, group_start)
    runs = np.diff(np.append(group_start, len(counts)))
    top = np.flatnonzero(counts == np.repeat(largest, runs))
    chosen = top[np.r_[True, run_group[top][1:] != run_group[top][:-1]]]
    out[run_group[chosen]] = rows[order[starts[chosen]]]
    return out


def profile_features(
    features: Features, labels: np.ndarray, lone: np.ndarray
) -> tuple[pa.Table, np.ndarray]:
    """The records ``lone`` (dataset 0) and one *profile* per cluster of two or more records
    (dataset 1), as a features table for linking the first against the second.

    A profile is what the cluster's records say together: every key of every member (all
    spellings, all places, every birth year and decade written), the member's most precise birth
    date (the commonest among equally precise ones), and for every other column the commonest
    value. ``rid`` is the row position; profile rows follow the lone records. Returns the table
    and the cluster label of each profile."""
    import pyarrow.compute as pc

    table = features.table
    n = features.size
    sizes = np.bincount(labels, minlength=n)
    member = np.flatnonzero(sizes[labels] >= 2)
    cluster_labels = np.flatnonzero((sizes >= 2) & (labels[np.arange(n)] == np.arange(n)))
    group_of = np.full(n, -1, dtype=np.int64)  # labels are their cluster's smallest member
    group_of[cluster_labels] = np.arange(len(cluster_labels))
    group = group_of[labels[member]]
    # members by profile (in row order within one): every per-column sort of (profile, value)
    # below then orders short runs only
    by_group = np.argsort(group, kind="stable")
    member, group = member[by_group], group[by_group]
    groups = len(cluster_labels)
    columns: dict[str, pa.Array] = {}

    def commonest(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """Per profile, the table row holding its members' commonest valid value (-1: none)."""
        rows = _mode_rows(group, values[member], valid[member], groups)
        return np.where(rows >= 0, member[np.maximum(rows, 0)], -1)

    def take(name: str, rows: np.ndarray) -> pa.Array:
        values = table.column(name).combine_chunks()
        taken = values.take(pa.array(np.maximum(rows, 0)))
        return pc.if_else(pa.array(rows < 0), pa.nulls(len(rows), values.type), taken)

    # the most precise birth date, the commonest among the equally precise
    date = np.zeros(n, dtype=np.int64)
    precision = np.zeros(n, dtype=np.int64)
    for name, scale in (("byear", 10_000), ("bmonth", 100), ("bday", 1)):
        values, known = _codes(table.column(name))
        date += np.where(known, values + 1, 0) * scale
        precision += known
    best = np.zeros(groups, dtype=np.int64)
    np.maximum.at(best, group, precision[member])
    date_rows = commonest(date, precision == best[np.maximum(group_of[labels], 0)])
    slot_columns = {f"{c}_{i}" for c, k in SLOT_COUNTS.items() for i in range(k)}
    slot_columns |= {f"{c}_n" for c in SLOT_COUNTS}
    for name in table.schema.names:
        kind = table.schema.field(name).type
        if name in ("rid", "ds") or name in slot_columns or name.startswith("tf_"):
            continue
        if name in ("byear", "bmonth", "bday", "bdate", "bdaymonth"):
            columns[name] = take(name, date_rows)
        elif pa.types.is_list(kind):
            values = table.column(name).combine_chunks()
            offsets = values.offsets.to_numpy()
            flat = values.values.to_numpy()[offsets[0] : offsets[-1]].astype(np.int64)
            owner = np.repeat(np.arange(n), np.diff(offsets))
            owner_group = group_of[labels[owner]]
            keep = owner_group >= 0
            width = int(flat.max()) + 1 if len(flat) else 1
            combined = _unique(owner_group[keep] * width + flat[keep])
            rid, keys = combined // width, combined % width
            columns[name] = _list_array(rid, keys, groups)
            if name in SLOT_COUNTS:
                first = table.column(f"{name}_0").to_numpy().astype(np.int64)
                rows = commonest(first, first >= 0)
                preferred = np.where(rows >= 0, first[np.maximum(rows, 0)], -1)
                columns.update(_slots(name, rid, keys, groups, n, preferred))
            if name in TF_COLUMNS:
                counts = features.vocabulary.counts.get(name, np.zeros(0, dtype=np.int64))
                columns[f"tf_{name}"] = _tf_share(
                    rid, keys, counts, groups, features.vocabulary.records
                )
        else:
            columns[name] = take(name, commonest(*_codes(table.column(name))))
    for name in table.schema.names:  # tf of extra columns: the chosen value's share
        if name.startswith("tf_") and name not in columns:
            columns[name] = take(name, commonest(*_codes(table.column(name[3:] + "_v"))))
    m = len(lone)
    columns["rid"] = pa.array(np.arange(m, m + groups, dtype=np.int32))
    columns["ds"] = pa.array(np.ones(groups, dtype=np.int8))
    profiles = pa.table(
        [columns[name].cast(table.schema.field(name).type) for name in table.schema.names],
        schema=table.schema,
    )
    alone = table.take(pa.array(lone))
    alone = alone.set_column(0, "rid", pa.array(np.arange(m, dtype=np.int32)))
    alone = alone.set_column(
        alone.schema.get_field_index("ds"), "ds", pa.array(np.zeros(m, dtype=np.int8))
    )
    return pa.concat_tables([alone, profiles]), cluster_labels  # two chunks: no copy
