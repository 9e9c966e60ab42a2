"""Comparison levels: small pure functions named as yes/no questions about a pair of records.

Each level function takes a :class:`~wayhome.linkage.engines.base.Dialect` and returns a SQL
condition over the two records of a pair, aliased ``l`` and ``r`` (see
:mod:`wayhome.linkage.features` for the columns). Its one-line docstring is the explanation shown
to users. A :class:`Comparison` lists the levels of one field best first; the first level that
holds is the pair's level, ``missing`` (weight 0) when either side has no value, ``otherwise``
when none holds.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass

from .engines.base import Dialect
from .features import SLOT_COUNTS as SLOTS

LevelFunction = Callable[[Dialect], str]


# --- family name -----------------------------------------------------------------------------
def family_name_missing(d: Dialect) -> str:
    """A family name is missing."""
    return "(l.fam_c IS NULL OR r.fam_c IS NULL)"


def family_names_share_key(d: Dialect) -> str:
    """Family names are the same name across scripts/spellings (e.g. Мамедов = Məmmədov)."""
    return d.overlap("l.fam_k", "r.fam_k", SLOTS["fam_k"])


def family_names_sound_alike(d: Dialect) -> str:
    """Family names sound alike (same phonetic key)."""
    return d.overlap("l.fam_p", "r.fam_p", SLOTS["fam_p"])


def family_names_same_stem(d: Dialect) -> str:
    """Family names are forms of one surname (e.g. male and female form)."""
    return d.overlap("l.fam_s", "r.fam_s", SLOTS["fam_s"])


def family_names_one_edit_apart(d: Dialect) -> str:
    """Family names differ by one letter."""
    return d.within_edits("l.fam_c", "r.fam_c", 1)


def family_names_two_edits_apart(d: Dialect) -> str:
    """Family names differ by two letters."""
    return d.within_edits("l.fam_c", "r.fam_c", 2)


def family_names_differ(d: Dialect) -> str:
    """Family names differ."""
    return "TRUE"


# --- given name ------------------------------------------------------------------------------
def given_name_missing(d: Dialect) -> str:
    """A given name is missing."""
    return "(l.giv_c IS NULL OR r.giv_c IS NULL)"


def given_names_share_key(d: Dialect) -> str:
    """Given names are the same name across scripts/spellings (e.g. Али = Əli)."""
    return d.overlap("l.giv_k", "r.giv_k", SLOTS["giv_k"])


def given_names_sound_alike(d: Dialect) -> str:
    """Given names sound alike (same phonetic key)."""
    return d.overlap("l.giv_p", "r.giv_p", SLOTS["giv_p"])


def given_names_one_edit_apart(d: Dialect) -> str:
    """Given names differ by one letter."""
    return d.within_edits("l.giv_c", "r.giv_c", 1)


def given_names_two_edits_apart(d: Dialect) -> str:
    """Given names differ by two letters (or two swapped letters)."""
    return f"(least(length(l.giv_c), length(r.giv_c)) >= 4 AND {d.within_edits('l.giv_c', 'r.giv_c', 2)})"


def given_name_is_initial_of_other(d: Dialect) -> str:
    """One given name is the initial of the other."""
    return (
        "((length(l.giv_c) = 1 OR length(r.giv_c) = 1)"
        " AND substr(l.giv_c, 1, 1) = substr(r.giv_c, 1, 1))"
    )


def given_names_differ(d: Dialect) -> str:
    """Given names differ."""
    return "TRUE"


# --- father's name (patronymic) --------------------------------------------------------------
def fathers_name_missing(d: Dialect) -> str:
    """A patronymic (father's name) is missing."""
    return "(l.fat_c IS NULL OR r.fat_c IS NULL)"


def fathers_names_share_key(d: Dialect) -> str:
    """Fathers' names are the same name across scripts/spellings (e.g. Гасанович = Həsən oğlu)."""
    return d.overlap("l.fat_k", "r.fat_k", SLOTS["fat_k"])


def fathers_names_sound_alike(d: Dialect) -> str:
    """Fathers' names sound alike (same phonetic key)."""
    return d.overlap("l.fat_p", "r.fat_p", SLOTS["fat_p"])


def fathers_names_one_edit_apart(d: Dialect) -> str:
    """Fathers' names differ by one letter."""
    return d.within_edits("l.fat_c", "r.fat_c", 1)


def patronymics_nearly_equal(d: Dialect) -> str:
    """Patronymics as written differ by one or two letters."""
    return (
        f"(least(length(l.pat_c), length(r.pat_c)) >= 5"
        f" AND {d.within_edits('l.pat_c', 'r.pat_c', 2)})"
    )


def fathers_names_differ(d: Dialect) -> str:
    """Fathers' names differ."""
    return "TRUE"


# --- birth date ------------------------------------------------------------------------------
def birth_date_missing(d: Dialect) -> str:
    """A birth date is missing."""
    return "(l.byear IS NULL OR r.byear IS NULL)"


def birth_dates_equal(d: Dialect) -> str:
    """Full birth dates are equal."""
    return "(l.bday IS NOT NULL AND r.bday IS NOT NULL AND l.byear = r.byear AND l.bmonth = r.bmonth AND l.bday = r.bday)"


def birth_dates_day_month_swapped(d: Dialect) -> str:
    """Full birth dates are equal with day and month swapped."""
    return (
        "(l.bday IS NOT NULL AND r.bday IS NOT NULL AND l.byear = r.byear"
        " AND l.bmonth = r.bday AND l.bday = r.bmonth AND l.bmonth <> l.bday)"
    )


def birth_year_and_month_equal(d: Dialect) -> str:
    """Same birth year and month; the day is missing on one side."""
    return (
        "(l.byear = r.byear AND l.bmonth IS NOT NULL AND l.bmonth = r.bmonth"
        " AND (l.bday IS NULL OR r.bday IS NULL))"
    )


def birth_dates_day_differs(d: Dialect) -> str:
    """Same birth year and month, different day."""
    return (
        "(l.bday IS NOT NULL AND r.bday IS NOT NULL AND l.byear = r.byear AND l.bmonth = r.bmonth)"
    )


def birth_dates_year_off_by_one(d: Dialect) -> str:
    """Same birth day and month, years one apart."""
    return (
        "(l.bday IS NOT NULL AND r.bday IS NOT NULL AND l.bmonth = r.bmonth"
        " AND l.bday = r.bday AND abs(l.byear - r.byear) = 1)"
    )


def birth_precision_compatible(d: Dialect) -> str:
    """Same birth year; only one side gives the month, nothing conflicts."""
    return "(l.byear = r.byear AND (l.bmonth IS NULL OR r.bmonth IS NULL))"


def birth_years_equal(d: Dialect) -> str:
    """Same birth year, but month or day conflict."""
    return "(l.byear = r.byear)"


def birth_year_within_1(d: Dialect) -> str:
    """Birth years differ by one."""
    return "(abs(l.byear - r.byear) <= 1)"


def birth_year_within_5(d: Dialect) -> str:
    """Birth years differ by two to five years."""
    return "(abs(l.byear - r.byear) <= 5)"


def birth_dates_differ(d: Dialect) -> str:
    """Birth years differ by more than five years."""
    return "TRUE"


# --- sex -------------------------------------------------------------------------------------
def sex_missing(d: Dialect) -> str:
    """Sex is missing (and not implied by patronymic or surname)."""
    return "(l.sex IS NULL OR r.sex IS NULL)"


def sexes_equal(d: Dialect) -> str:
    """Same sex."""
    return "(l.sex = r.sex)"


def sexes_differ(d: Dialect) -> str:
    """Different sex."""
    return "TRUE"


# --- birth place -----------------------------------------------------------------------------
def birth_place_missing(d: Dialect) -> str:
    """A birth place is missing."""
    return "(l.plc_c IS NULL OR r.plc_c IS NULL)"


def birth_places_share_key(d: Dialect) -> str:
    """Birth places are the same place name across scripts/spellings."""
    return d.overlap("l.plc_k", "r.plc_k", SLOTS["plc_k"])


def birth_places_sound_alike(d: Dialect) -> str:
    """Birth places sound alike (same phonetic key, e.g. Шеки = Şəki)."""
    return d.overlap("l.plc_p", "r.plc_p", SLOTS["plc_p"])


def birth_places_nearly_equal(d: Dialect) -> str:
    """Birth places differ by one or two letters."""
    return (
        f"(least(length(l.plc_c), length(r.plc_c)) >= 5"
        f" AND {d.within_edits('l.plc_c', 'r.plc_c', 2)})"
    )


def birth_places_differ(d: Dialect) -> str:
    """Birth places differ."""
    return "TRUE"


@dataclass(frozen=True)
class Comparison:
    """One field: its missing test, levels best first, and the catch-all last level."""

    field: str
    missing: LevelFunction
    levels: tuple[LevelFunction, ...]
    tf_column: str | None = None  # term-frequency adjustment on the first level

    @property
    def level_names(self) -> list[str]:
        return [f.__name__ for f in self.levels]

    def level_sql(self, d: Dialect) -> str:
        """CASE expression: -1 when missing, else the index of the first level that holds."""
        whens = " ".join(f"WHEN {f(d)} THEN {i}" for i, f in enumerate(self.levels[:-1]))
        return f"CASE WHEN {self.missing(d)} THEN -1 {whens} ELSE {len(self.levels) - 1} END"


def explain(level: LevelFunction) -> str:
    """The user-facing explanation of a level: the first line of its docstring."""
    return (inspect.getdoc(level) or level.__name__).splitlines()[0]


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "family_name",
        family_name_missing,
        (
            family_names_share_key,
            family_names_sound_alike,
            family_names_same_stem,
            family_names_one_edit_apart,
            family_names_two_edits_apart,
            family_names_differ,
        ),
        tf_column="fam_k",
    ),
    Comparison(
        "given_name",
        given_name_missing,
        (
            given_names_share_key,
            given_names_sound_alike,
            given_names_one_edit_apart,
            given_names_two_edits_apart,
            given_name_is_initial_of_other,
            given_names_differ,
        ),
        tf_column="giv_k",
    ),
    Comparison(
        "patronymic",
        fathers_name_missing,
        (
            fathers_names_share_key,
            fathers_names_sound_alike,
            fathers_names_one_edit_apart,
            patronymics_nearly_equal,
            fathers_names_differ,
        ),
        tf_column="fat_k",
    ),
    Comparison(
        "birth_date",
        birth_date_missing,
        (
            birth_dates_equal,
            birth_dates_day_month_swapped,
            birth_year_and_month_equal,
            birth_dates_day_differs,
            birth_dates_year_off_by_one,
            birth_precision_compatible,
            birth_years_equal,
            birth_year_within_1,
            birth_year_within_5,
            birth_dates_differ,
        ),
    ),
    Comparison("sex", sex_missing, (sexes_equal, sexes_differ)),
    Comparison(
        "birth_place",
        birth_place_missing,
        (
            birth_places_share_key,
            birth_places_sound_alike,
            birth_places_nearly_equal,
            birth_places_differ,
        ),
        tf_column="plc_k",
    ),
)


def extra_comparison(index: int, column: str) -> Comparison:
    """The comparison of an extra column (``x<index>``): equal / one letter apart / differ.

    Its field name is ``x<index>_<column>`` (made SQL-safe)."""
    c = f"x{index}"
    safe = re.sub(r"[^0-9a-z_]", "_", column.lower())[:40]

    def missing(d: Dialect) -> str:
        return f"(l.{c}_v IS NULL OR r.{c}_v IS NULL)"

    def equal(d: Dialect) -> str:
        return f"(l.{c}_v = r.{c}_v)"

    def one_edit_apart(d: Dialect) -> str:
        return (
            f"(least(length(l.{c}_c), length(r.{c}_c)) >= 3"
            f" AND {d.within_edits(f'l.{c}_c', f'r.{c}_c', 1)})"
        )

    def differ(d: Dialect) -> str:
        return "TRUE"

    for function, name, doc in (
        (missing, "missing", "A {} is missing."),
        (equal, "values_equal", "Same {}."),
        (one_edit_apart, "values_one_edit_apart", "{} differs by one letter."),
        (differ, "values_differ", "{} differs."),
    ):
        function.__name__ = f"{safe}_{name}"
        text = doc.format(column)
        function.__doc__ = text[0].upper() + text[1:]
    return Comparison(f"{c}_{safe}", missing, (equal, one_edit_apart, differ), tf_column=c)


def comparisons_for(extras: tuple[str, ...] | list[str] = ()) -> tuple[Comparison, ...]:
    """The comparisons of the fixed fields plus one per extra column."""
    return COMPARISONS + tuple(extra_comparison(i, column) for i, column in enumerate(extras))
