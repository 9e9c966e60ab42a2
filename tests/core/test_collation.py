"""Names sort as a reader of the interface language expects (ICU), not by code point."""

from __future__ import annotations

import pytest

from wayhome.core.collation import name_sort_key, sorted_by_name


def _sorted(names: list[str], lang: str) -> list[str]:
    return sorted(names, key=name_sort_key(lang))


def test_azerbaijani_letters_follow_their_base_letters() -> None:
    names = ["Şahin", "Əli", "Zaur", "Emin", "Çingiz", "Fərid", "Ceyhun", "İlham", "Ibrahim"]
    assert _sorted(names, "az") == [
        "Ceyhun", "Çingiz", "Emin", "Əli", "Fərid", "Ibrahim", "İlham", "Şahin", "Zaur",
    ]  # fmt: skip
    assert sorted(names)[-1] == "Əli"  # by code point Ə (U+018F) would come after Z


def test_russian_yo_sorts_with_ye_and_case_does_not_split_the_list() -> None:
    names = ["Ёлкин", "Яковлев", "Ежов", "Абрамов", "ёжиков", "Жуков", "Ефимов"]
    assert _sorted(names, "ru") == [
        "Абрамов", "ёжиков", "Ежов", "Ёлкин", "Ефимов", "Жуков", "Яковлев",
    ]  # fmt: skip
    assert sorted(names)[0] == "Ёлкин"  # by code point Ё (U+0401) comes before А


def test_armenian_follows_the_armenian_alphabet() -> None:
    # Ա Բ Գ Դ Ե ... Հ ... Մ ... Ս Վ: Armenian alphabet order, not code point order of Հ/Ձ/Ղ
    names = ["Սարգսյան", "Բաղդասարյան", "Հակոբյան", "Աբրահամյան", "Գրիգորյան", "Մկրտչյան"]
    assert _sorted(names, "hy") == [
        "Աբրահամյան", "Բաղդասարյան", "Գրիգորյան", "Հակոբյան", "Մկրտչյան", "Սարգսյան",
    ]  # fmt: skip


def test_arabic_alef_forms_are_one_letter_and_vowel_marks_do_not_count() -> None:
    names = ["محمود", "مُحَمَّد", "مريم", "بكر", "إبراهيم", "أحمد", "آمنة"]
    # آ أ إ are all alef (then the next letter decides: ب before ح); the vowelled مُحَمَّد is
    # محمد, before محمود
    assert _sorted(names, "ar") == ["آمنة", "إبراهيم", "أحمد", "بكر", "مُحَمَّد", "محمود", "مريم"]
    by_code_point = sorted(names)
    assert by_code_point[-1] == "مُحَمَّد"  # the damma (U+064F) sorts after every letter
    assert by_code_point.index("أحمد") < by_code_point.index("إبراهيم")


def test_accents_and_case_are_secondary_in_english() -> None:
    names = ["émile", "Zoe", "adam", "Erik", "Ádám"]
    assert _sorted(names, "en") == ["adam", "Ádám", "émile", "Erik", "Zoe"]


def test_sorted_by_name_sorts_records_by_a_name_field() -> None:
    rows = [{"name": "Ёлкин"}, {"name": "Абрамов"}, {"name": "Ежов"}]
    ordered = sorted_by_name(rows, "ru", name=lambda r: r["name"])
    assert [r["name"] for r in ordered] == ["Абрамов", "Ежов", "Ёлкин"]


def test_empty_names_sort_first_and_a_missing_language_is_refused() -> None:
    assert _sorted(["Б", "", "А"], "ru") == ["", "А", "Б"]
    with pytest.raises(ValueError, match="language tag"):
        name_sort_key("")
