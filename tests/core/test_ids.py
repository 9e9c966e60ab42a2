"""Record ids are UUIDv7: globally unique, roughly time-ordered, safe to mint offline."""

from __future__ import annotations

import re
import time
import uuid

import pytest

from wayhome.core import ids
from wayhome.core.ids import is_uuid, new_id, new_instance_id

CANONICAL = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_format_version_and_variant():
    for _ in range(1000):
        text = new_id()
        assert len(text) == 36
        assert CANONICAL.match(text), text
        value = uuid.UUID(text)
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
        assert (value.int >> 76) & 0xF == 7
        assert (value.int >> 62) & 0b11 == 0b10
        assert str(value) == text


def test_timestamp_is_the_current_unix_millisecond():
    before = time.time_ns() // 1_000_000
    value = uuid.UUID(new_id())
    after = time.time_ns() // 1_000_000
    assert before <= value.int >> 80 <= after


def test_ids_of_later_milliseconds_sort_after(monkeypatch: pytest.MonkeyPatch):
    clock = iter(range(1_700_000_000_000_000_000, 1_700_000_001_000_000_000, 1_000_000))
    monkeypatch.setattr(ids.time, "time_ns", lambda: next(clock))
    minted = [new_id() for _ in range(500)]
    assert minted == sorted(minted)  # as strings: what the database indexes
    stamps = [uuid.UUID(m).int >> 80 for m in minted]
    assert stamps == list(range(stamps[0], stamps[0] + 500))


def test_monotonic_ish_in_real_time():
    first = new_id()
    time.sleep(0.003)
    second = new_id()
    assert first < second
    batch = [new_id() for _ in range(2000)]
    stamps = [uuid.UUID(b).int >> 80 for b in batch]
    assert stamps == sorted(stamps)  # never backwards by millisecond


def test_ten_thousand_are_unique():
    minted = [new_id() for _ in range(10_000)]
    assert len(set(minted)) == 10_000
    # within one millisecond the 74 random bits differ too
    assert len({m[15:] for m in minted}) == 10_000


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("0190f5c2-6d3a-7b1e-8c4d-1a2b3c4d5e6f", True),
        ("0190F5C2-6D3A-7B1E-8C4D-1A2B3C4D5E6F", True),
        ("0190f5c26d3a7b1e8c4d1a2b3c4d5e6f", False),  # not canonical
        ("{0190f5c2-6d3a-7b1e-8c4d-1a2b3c4d5e6f}", False),
        ("0190f5c2-6d3a-7b1e-8c4d-1a2b3c4d5e6", False),
        ("not-a-uuid", False),
        ("", False),
        (None, False),
        (42, False),
    ],
)
def test_is_uuid(text, ok):
    assert is_uuid(text) is ok


def test_new_ids_are_uuids():
    assert is_uuid(new_id())


def test_instance_ids_are_short_and_distinct():
    minted = {new_instance_id() for _ in range(1000)}
    assert len(minted) == 1000
    assert all(re.fullmatch(r"wh-[0-9a-f]{8}", m) for m in minted)
