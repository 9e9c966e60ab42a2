"""Partial dates: "born 1957" is a date too, with its precision kept."""

from __future__ import annotations

from datetime import date

import pytest

from wayhome.core.dates import UNKNOWN_DATE, PartialDate, Precision, parse_partial_date

TODAY = date(2024, 6, 15)


@pytest.mark.parametrize(
    ("text", "precision", "iso"),
    [
        ("1957", Precision.YEAR, "1957"),
        ("1957-3", Precision.MONTH, "1957-03"),
        ("1957-03", Precision.MONTH, "1957-03"),
        ("1957-03-08", Precision.DAY, "1957-03-08"),
        ("1957-3-8", Precision.DAY, "1957-03-08"),
        ("  1992-05 ", Precision.MONTH, "1992-05"),
        ("1850", Precision.YEAR, "1850"),
        ("", Precision.UNKNOWN, None),
        ("   ", Precision.UNKNOWN, None),
        (None, Precision.UNKNOWN, None),
    ],
)
def test_precision_and_iso(text, precision, iso):
    parsed = parse_partial_date(text, today=TODAY)
    assert parsed.precision is precision
    assert parsed.iso() == iso
    assert str(parsed) == (iso or "unknown")
    if iso is not None:
        assert parse_partial_date(iso, today=TODAY) == parsed  # iso() round-trips


@pytest.mark.parametrize("text", ["١٩٥٧-٠٣-٠٨", "۱۹۵۷-۰۳-۰۸"])
def test_arabic_and_persian_digits_are_read_and_stored_as_ascii(text):
    assert parse_partial_date(text, today=TODAY).iso() == "1957-03-08"


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("1957", date(1957, 1, 1), date(1957, 12, 31)),
        ("1957-03", date(1957, 3, 1), date(1957, 3, 31)),
        ("1957-04", date(1957, 4, 1), date(1957, 4, 30)),
        ("1957-03-08", date(1957, 3, 8), date(1957, 3, 8)),
        ("1992-12", date(1992, 12, 1), date(1992, 12, 31)),  # December rolls into next year
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),  # divisible by 400: leap
        ("1900-02", date(1900, 2, 1), date(1900, 2, 28)),  # divisible by 100: not leap
        ("1996-02", date(1996, 2, 1), date(1996, 2, 29)),
        ("1997-02", date(1997, 2, 1), date(1997, 2, 28)),
        ("1996-02-29", date(1996, 2, 29), date(1996, 2, 29)),
        ("1996", date(1996, 1, 1), date(1996, 12, 31)),
    ],
)
def test_earliest_and_latest(text, earliest, latest):
    parsed = parse_partial_date(text, today=TODAY)
    assert parsed.earliest() == earliest
    assert parsed.latest() == latest


def test_unknown_has_no_bounds():
    assert PartialDate() == UNKNOWN_DATE
    assert UNKNOWN_DATE.earliest() is None and UNKNOWN_DATE.latest() is None
    assert UNKNOWN_DATE.year is None and UNKNOWN_DATE.iso() is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("57", "'57' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("1957/03/08", "'1957/03/08' is not a date"),
        ("08.03.1957", "is not a date"),
        ("1957-03-08T10:00", "is not a date"),
        ("1957-", "is not a date"),
        ("1957-03-", "is not a date"),
        ("19570", "is not a date"),
        ("1957-003", "is not a date"),
        ("March 1957", "is not a date"),
        ("-1957", "is not a date"),
        ("1849", "year 1849 is before 1850"),
        ("0000", "year 0 is before 1850"),
        ("1957-13", "month 13 is not between 1 and 12"),
        ("1957-0", "month 0 is not between 1 and 12"),
        ("1957-00-10", "month 0 is not between 1 and 12"),
        ("1957-02-29", "1957-02 has no day 29"),
        ("1900-02-29", "1900-02 has no day 29"),
        ("1957-04-31", "1957-04 has no day 31"),
        ("1957-01-00", "1957-01 has no day 0"),
        ("1957-01-32", "1957-01 has no day 32"),
    ],
)
def test_invalid_inputs_say_why(text, message):
    with pytest.raises(ValueError) as raised:
        parse_partial_date(text, today=TODAY)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2024-06-15", True),  # today
        ("2024-06-16", False),  # tomorrow
        ("2024-06", True),  # this month has started
        ("2024-07", False),
        ("2024", True),
        ("2025", False),
        ("2999-01-01", False),
    ],
)
def test_future_dates_are_refused(text, ok):
    if ok:
        assert parse_partial_date(text, today=TODAY).iso() == text
    else:
        with pytest.raises(ValueError, match=rf"^{text} is in the future$"):
            parse_partial_date(text, today=TODAY)


def test_today_defaults_to_the_real_date():
    this_year = date.today().year
    assert parse_partial_date(str(this_year)).year == this_year
    with pytest.raises(ValueError, match="in the future"):
        parse_partial_date(str(this_year + 1))


def test_partial_dates_are_immutable_values():
    assert parse_partial_date("1992-05", today=TODAY) == PartialDate(1992, 5)
    assert len({PartialDate(1992, 5), parse_partial_date("1992-5", today=TODAY)}) == 1
    assert PartialDate(1991, 12) < PartialDate(1992, 1)  # same precision orders by date
    with pytest.raises(AttributeError):
        PartialDate(1992).year = 1993  # type: ignore[misc]
