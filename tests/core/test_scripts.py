"""Which script a name is written in, and the folded form used to search it."""

from __future__ import annotations

import pytest

from wayhome.core.scripts import SCRIPTS, char_script, detect_script, fold


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("John Smith", "Latn"),
        ("José Martínez", "Latn"),
        ("Əliyev Rəşad Hüseyn oğlu", "Latn"),  # Azerbaijani Latin
        ("Şuşa", "Latn"),
        ("Ağdam", "Latn"),
        ("İsmayıllı", "Latn"),
        ("Nguyễn Thị Minh", "Latn"),  # Latin Extended Additional
        ("Мамедов Али Гасанович", "Cyrl"),
        ("Ёлкин Пётр", "Cyrl"),
        ("Ғафуров", "Cyrl"),  # Cyrillic supplement letters (Tajik, Kazakh)
        ("Սարգսյան Արամ", "Armn"),
        ("ﬓ", "Armn"),  # Armenian ligature
        ("ბერიძე ნინო", "Geor"),
        ("ᲑᲔᲠᲘᲫᲔ", "Geor"),  # Georgian Mtavruli capitals
        ("محمد علي", "Arab"),
        ("ﻣﺤﻤﺪ", "Arab"),  # presentation forms
        ("گرجی", "Arab"),  # Persian letters
        ("Παπαδόπουλος", "Grek"),
        ("כהן", "Hebr"),
        ("王小明", "Zyyy"),  # letters of a script not tracked
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script
    assert script in SCRIPTS


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Мамедов Ali", "Cyrl"),  # most letters win
        ("Ali Мамедов", "Cyrl"),
        ("Aram Սարգսյան", "Armn"),
        ("Ab Вв", "Cyrl"),  # a tie goes to the alphabetically first code: Cyrl < Latn
        ("Ab Աբ", "Armn"),
        ("ნი Ab", "Geor"),
        ("Moscow (Москва)", "Cyrl"),
    ],
)
def test_mixed_scripts(text, script):
    assert detect_script(text) == script


@pytest.mark.parametrize("text", ["", "   ", "123", "—", "1992-05-01", "()", "\u0301"])
def test_no_letters_is_common(text):
    assert detect_script(text) == "Zyyy"


def test_char_script():
    assert char_script("a") == "Latn"
    assert char_script("Ə") == "Latn"
    assert char_script("ж") == "Cyrl"
    assert char_script("Ա") == "Armn"
    assert char_script("ა") == "Geor"
    assert char_script("ب") == "Arab"
    assert char_script("5") is None
    assert char_script(" ") is None
    assert char_script("-") is None
    assert char_script("中") == "Zyyy"


@pytest.mark.parametrize("text", ["ə", "əəə ab"])
def test_azerbaijani_small_schwa_is_latin(text):
    assert detect_script(text) == "Latn"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Mammadov", "mammadov"),
        ("MƏMMƏDOV", "memmedov"),  # schwa folds to e in both cases
        ("Əliyev", "eliyev"),
        ("Şuşa", "susa"),
        ("Ağdam", "agdam"),
        ("İsmayıllı", "ismayilli"),  # dotted capital I and dotless i
        ("Gülşən", "gulsen"),
        ("José  Martínez ", "jose martinez"),  # accents and extra spaces go
        ("Ёлкин Пётр", "елкин петр"),
        ("Йылдыз", "иылдыз"),
        ("Сарҕсян", "сарҕсян"),  # letters without decomposition stay
        ("Սարգսյան", "սարգսյան"),  # Armenian case folds, script is kept
        ("ბერიძე", "ბერიძე"),  # Georgian Mkhedruli has no case
        ("ᲑᲔᲠᲘᲫᲔ", "ბერიძე"),  # Mtavruli capitals fold to Mkhedruli
        ("مُحَمَّد", "محمد"),  # Arabic vowel marks go
        ("Straße", "strasse"),
        ("ﬁrst", "first"),  # compatibility ligature
        ("", ""),
        ("  \t\n ", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_keeps_the_script():
    for text in ("Мамедов", "Սարգսյան", "ბერიძე", "محمد", "Əliyev"):
        assert detect_script(fold(text)) == detect_script(text)


def test_fold_is_idempotent():
    for text in ("MƏMMƏDOV Şuşa", "Ёлкин", "Սարգսյան", "ﬁrst Straße"):
        assert fold(fold(text)) == fold(text)
