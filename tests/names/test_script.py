"""Script detection and the Azerbaijani-Latin heuristic."""

import pytest

from wayhome.names import detect_script, is_azerbaijani_latin
from wayhome.names.script import char_script, unify_lookalikes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Məmmədov Əli Həsən oğlu", "Latn"),
        ("MAMEDOV ALI", "Latn"),
        ("Мамедов Али Гасанович", "Cyrl"),
        ("Олександр", "Cyrl"),
        ("Սարգսյան", "Armn"),
        ("ბერიძე", "Geor"),
        ("ᲑᲔᲠᲘᲫᲔ", "Geor"),  # Mtavruli capitals
        ("محمد", "Arab"),
        ("مُحَمَّد", "Arab"),  # harakat are marks, not letters
        ("Ελένη", "Grek"),
        ("דוד", "Hebr"),
        ("李小龙", "Zzzz"),  # a script this module does not know
        ("", "Zyyy"),  # no letters
        ("123 - ,", "Zyyy"),
        ("MAMEDOV Мамедов", "Zyyy"),  # genuinely mixed
        ("Sargsyan Սարգսյան", "Zyyy"),
    ],
)
def test_detect_script(text: str, expected: str) -> None:
    assert detect_script(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mамедов", "Cyrl"),  # Latin M typed inside a Cyrillic word
        ("Мaмeдoв", "Cyrl"),  # Latin a, e, o
        ("Mamedоv", "Latn"),  # Cyrillic о inside a Latin word
    ],
)
def test_lookalike_letters_follow_the_dominant_script(text: str, expected: str) -> None:
    assert detect_script(text) == expected


def test_unify_lookalikes_repairs_each_word() -> None:
    assert unify_lookalikes("Mамедов Mamedоv") == "Мамедов Mamedov"


def test_modifier_letters_and_marks_are_ignored() -> None:
    assert char_script("ʹ") is None  # soft-sign prime from BGN output
    assert char_script("\u064e") is None  # fatha
    assert char_script("ə") == "Latn"


@pytest.mark.parametrize(
    "text",
    ["Məmmədov", "Həsən", "Ağayev", "Qasımov", "Qasimov", "Xalilov", "Quliyev", "Şükür"],
)
def test_azerbaijani_latin_detected(text: str) -> None:
    assert is_azerbaijani_latin(text)


@pytest.mark.parametrize(
    "text",
    ["Mammadov", "Müller", "Çelik", "Quentin", "Alexander", "Мамедов", "Sargsyan"],
)
def test_azerbaijani_latin_not_detected(text: str) -> None:
    assert not is_azerbaijani_latin(text)
