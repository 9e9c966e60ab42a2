"""Surname forms: female forms and suffix spellings folded onto one key."""

import pytest

from wayhome.names import analyse_surname, matching_keys, normalise_surname
from wayhome.names.surname import looks_like_surname


@pytest.mark.parametrize(
    ("names", "rule"),
    [
        (("Aliyev", "Aliyeva", "Алиева", "Əliyeva", "Aliev", "Alieva"), "-yev/-yeva, Azerbaijani"),
        (("Məmmədov", "Məmmədova", "Mammadova"), "-ov/-ova, Azerbaijani national"),
        (("Мамедов", "Мамедова", "Mamedova"), "-ov/-ova, Russian tradition"),
        (("Ivanov", "Ivanova", "Иванова"), "-ov/-ova"),
        (("Sergeyev", "Sergeyeva", "Сергеева"), "-ev/-eva"),
        (("Pushkin", "Pushkina", "Пушкина"), "-in/-ina"),
        (("Petrovsky", "Petrovskiy", "Petrovskaya", "Петровская", "Petrovskaia"), "-sky/-skaya"),
        (("Kowalski", "Kowalska"), "Polish -ski/-ska"),
        (("Tolstoy", "Tolstaya", "Толстая"), "-oy/-aya"),
        (("Sargsyan", "Sargsjan", "Sargsian"), "Armenian -yan/-jan/-ian"),
        (("Petrosyan", "Petrosyants", "Петросянц"), "Armenian -yants"),
        (("Əlizadə", "Alizade", "Alizada"), "Azerbaijani -zadə"),
        (("Shevardnadze", "Schewardnadse", "Шеварднадзе"), "Georgian -dze/-dse"),
        (("Jugashvili", "Djougachvili", "Джугашвили"), "Georgian -shvili/-chvili"),
        (("Gamsakhurdia", "Гамсахурдия", "Gamsakhurdija"), "Georgian -ia/-iya/-ija"),
    ],
)
def test_forms_share_a_normalised_surname(names: tuple[str, ...], rule: str) -> None:
    assert len({normalise_surname(n) for n in names}) == 1, (
        rule,
        {n: normalise_surname(n) for n in names},
    )


def test_female_form_is_only_folded_by_the_surname_rule() -> None:
    assert not matching_keys("Aliyev") & matching_keys("Aliyeva")
    assert normalise_surname("Aliyev") == normalise_surname("Aliyeva") == "aliev"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Aliyev", "Aliyeva" + "n"),
        ("Sargsyan", "Sargsov"),
        ("Chikobava", "Chikobov"),  # Georgian -ava is not a female -ova
        ("Beridze", "Berishvili"),
    ],
)
def test_surname_rules_do_not_over_merge(a: str, b: str) -> None:
    assert normalise_surname(a) != normalise_surname(b)


@pytest.mark.parametrize(
    ("name", "stem", "suffix", "sex"),
    [
        ("Aliyeva", "ali", "ov", "f"),
        ("Aliyev", "ali", "ov", "m"),
        ("Petrovskaya", "petrov", "ski", "f"),
        ("Petrovsky", "petrov", "ski", "m"),
        ("Tolstaya", "tolst", "oi", "f"),
        ("Sargsyan", "sargs", "ian", None),
        ("Beridze", "beri", "dze", None),
        ("Jughashvili", "jugha", "shvili", None),
        ("Gamsakhurdia", "gamsakhurd", "ia", None),
        ("Chikobava", "chikob", "ava", None),
        ("Smith", "smith", None, None),
    ],
)
def test_analyse_surname(name: str, stem: str, suffix: str | None, sex: str | None) -> None:
    form = analyse_surname(name)
    assert (form.stem, form.suffix, form.sex) == (stem, suffix, sex)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Məmmədov", True),
        ("Sargsyan", True),
        ("Beridze", True),
        ("Jughashvili", True),
        ("Petrovskaya", True),
        ("Əli", False),
        ("Maria", False),  # -ia is too common in given names to count
        ("Lev", False),  # stem too short
    ],
)
def test_looks_like_surname(name: str, expected: bool) -> None:
    assert looks_like_surname(name) is expected
