"""Partial dates: most real records say "born 1957", so a date carries its precision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from wayhome.core.errors import InvalidValue
from wayhome.core.messages import N_


class Precision(StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month, the year, or not at all."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        """Return how precisely this date is known."""
        if self.year is None:
            return Precision.UNKNOWN
        if self.month is None:
            return Precision.YEAR
        if self.day is None:
            return Precision.MONTH
        return Precision.DAY

    def iso(self) -> str | None:
        """Return ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or None when unknown."""
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def earliest(self) -> date | None:
        """Return the first day this partial date may mean."""
        if self.year is None:
            return None
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date | None:
        """Return the last day this partial date may mean."""
        if self.year is None:
            return None
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            following = date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(self.year, self.month, self.day)

    def sort_key(self) -> tuple[bool, int, int, int]:
        """Order by what is known: unknown last, a year before the months within it."""
        return (self.year is None, self.year or 0, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __str__(self) -> str:
        return self.iso() or "unknown"


UNKNOWN_DATE = PartialDate()


def parse_partial_date(text: str | None, *, today: date | None = None) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (empty means unknown); raise ValueError with a reason."""
    if text is None:
        return UNKNOWN_DATE
    text = text.strip()
    if not text:
        return UNKNOWN_DATE
    match = _PATTERN.match(text)
    if not match:
        raise InvalidValue(
            N_("'%(text)s' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"), {"text": text}
        )
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if year < 1850:
        raise InvalidValue(N_("year %(year)d is before 1850"), {"year": year})
    if month is not None and not 1 <= month <= 12:
        raise InvalidValue(N_("month %(month)d is not between 1 and 12"), {"month": month})
    if day is not None:
        assert month is not None
        try:
            date(year, month, day)
        except ValueError:
            raise InvalidValue(
                N_("%(month)s has no day %(day)d"),
                {"month": f"{year:04d}-{month:02d}", "day": day},
            ) from None
    result = PartialDate(year, month, day)
    limit = today or date.today()
    earliest = result.earliest()
    if earliest is not None and earliest > limit:
        raise InvalidValue(N_("%(date)s is in the future"), {"date": result.iso()})
    return result
