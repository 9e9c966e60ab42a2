"""Patronymics in Turkic, Arabic and East Slavic form, and splitting one-string full names."""

import pytest

from wayhome.names import FullName, matching_key, parse_patronymic, split_full_name


@pytest.mark.parametrize(
    ("text", "father_key", "sex", "kind"),
    [
        # Turkic particle, separate and attached, Latin and Cyrillic
        ("Həsən oğlu", "hasan", "m", "turkic"),
        ("Гасан оглы", "hasan", "m", "turkic"),
        ("HƏSƏN OĞLU", "hasan", "m", "turkic"),
        ("Hasan ogly", "hasan", "m", "turkic"),
        ("Həsənoğlu", "hasan", "m", "turkic"),
        ("Əli qızı", "ali", "f", "turkic"),
        ("Али кызы", "ali", "f", "turkic"),
        ("Ali gizi", "ali", "f", "turkic"),
        ("Ali kyzy", "ali", "f", "turkic"),
        ("Alisher oʻgʻli", "alisher", "m", "turkic"),
        ("Nurlan uly", "nurlan", "m", "turkic"),
        # Arabic particle
        ("bin Salman", "salman", "m", "arabic"),
        ("ibn Khaldun", "khaldun", "m", "arabic"),
        ("bint Ahmad", "ahmad", "f", "arabic"),
        ("بن محمد", "muhamad", "m", "arabic"),
        # East Slavic suffixes
        ("Гасанович", "hasan", "m", "slavic"),
        ("Hasanovych", "hasan", "m", "slavic"),
        ("Ivanovich", "ivan", "m", "slavic"),
        ("Ivanovna", "ivan", "f", "slavic"),
        ("Іванівна", "ivan", "f", "slavic"),  # Ukrainian -івна
        ("Іванович", "ivan", "m", "slavic"),
        ("Сергеевич", "sergei", "m", "slavic"),  # -еевич: й restored
        ("Sergeyevich", "sergei", "m", "slavic"),
        ("Сергеевна", "sergei", "f", "slavic"),
        ("Сергійович", "sergei", "m", "slavic"),  # Ukrainian, same father via the lexicon
        ("Юрьевич", "yuri", "m", "slavic"),  # -ьевич: ий restored
        ("Игоревич", "igor", "m", "slavic"),  # -евич after a consonant: nothing restored
        ("Николаевич", "nikolai", "m", "slavic"),
        ("Mykolayivna", "nikolai", "f", "slavic"),
        ("Никитична", "nikita", "f", "slavic"),  # -ична: -а restored
        ("Кузьмич", "kuzma", "m", "slavic"),  # -ич
        ("Ильич", "ilia", "m", "slavic"),  # exception: Илья
        ("Ильинична", "ilia", "f", "slavic"),  # -инична
        ("Oleksandrovych", "aleksandr", "m", "slavic"),
    ],
)
def test_parse_patronymic(text: str, father_key: str, sex: str, kind: str) -> None:
    p = parse_patronymic(text)
    assert p is not None
    assert (p.father_key, p.sex, p.kind) == (father_key, sex, kind)
    assert p.father_key in p.father_keys


def test_azerbaijani_and_soviet_patronymics_name_the_same_father() -> None:
    az = parse_patronymic("Həsən oğlu")
    ru = parse_patronymic("Гасанович")
    assert az is not None and ru is not None
    assert az.father_key == ru.father_key == matching_key("Həsən")
    assert az.father_keys & ru.father_keys


@pytest.mark.parametrize("text", ["", "Ivanov", "Məmmədov", "oğlu", "Sargsyan", "bin", "Ali Hasan"])
def test_not_a_patronymic(text: str) -> None:
    assert parse_patronymic(text) is None


def test_ben_is_not_taken_as_a_particle() -> None:
    assert parse_patronymic("ben Ali") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # patronymic last: Soviet document order Family Given Patronymic
        ("Məmmədov Əli Həsən oğlu", FullName("Məmmədov", "Əli", "Həsən oğlu")),
        ("Мамедов Али Гасанович", FullName("Мамедов", "Али", "Гасанович")),
        ("Abramovich Roman Arkadyevich", FullName("Abramovich", "Roman", "Arkadyevich")),
        # patronymic in the middle: Given Patronymic Family
        ("Əli Həsən oğlu Məmmədov", FullName("Məmmədov", "Əli", "Həsən oğlu")),
        ("Али Гасанович Мамедов", FullName("Мамедов", "Али", "Гасанович")),
        ("Roman Arkadyevich Abramovich", FullName("Abramovich", "Roman", "Arkadyevich")),
        # a comma marks the family name
        ("Mamedov, Ali Gasanovich", FullName("Mamedov", "Ali", "Gasanovich")),
        # no patronymic: the surname suffix decides, then capitals, then "Given Family"
        ("MAMEDOV ALI", FullName("MAMEDOV", "ALI", None)),
        ("Ali Mamedov", FullName("Mamedov", "Ali", None)),
        ("Beridze Giorgi", FullName("Beridze", "Giorgi", None)),
        ("Sargis Petrosyan", FullName("Petrosyan", "Sargis", None)),
        ("Ivanov Yakov", FullName("Ivanov", "Yakov", None)),  # Yakov is a known given name
        ("SMITH John", FullName("SMITH", "John", None)),
        ("John Smith", FullName("Smith", "John", None)),
        ("Muhammad Ali Hasan", FullName("Hasan", "Muhammad Ali", None)),
        # Arabic: article joins the family name, bin/bint forms a patronymic
        ("Ahmad al-Hassan", FullName("al-Hassan", "Ahmad", None)),
        ("Ahmad al Hassan", FullName("al Hassan", "Ahmad", None)),
        ("Muhammad bin Salman", FullName(None, "Muhammad", "bin Salman")),
        # a single word
        ("Sargsyan", FullName("Sargsyan", None, None)),
        ("Giorgi", FullName(None, "Giorgi", None)),
        ("", FullName(None, None, None)),
    ],
)
def test_split_full_name(text: str, expected: FullName) -> None:
    assert split_full_name(text) == expected


def test_two_words_ending_in_ovich_are_given_and_family() -> None:
    """With two words a -ovich word is read as a surname (Roman Abramovich), not a patronymic."""
    assert split_full_name("Roman Abramovich") == FullName("Abramovich", "Roman", None)
