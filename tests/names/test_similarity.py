"""name_similarity and the Jaro–Winkler implementation."""

import pytest

from wayhome.names import jaro_winkler, name_similarity


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("MARTHA", "MARHTA", 0.961),
        ("DWAYNE", "DUANE", 0.84),
        ("DIXON", "DICKSONX", 0.813),
        ("abc", "abc", 1.0),
        ("", "abc", 0.0),
        ("abc", "xyz", 0.0),
    ],
)
def test_jaro_winkler_reference_values(a: str, b: str, expected: float) -> None:
    assert jaro_winkler(a, b) == pytest.approx(expected, abs=1e-3)


def test_jaro_winkler_is_symmetric() -> None:
    assert jaro_winkler("mamedov", "mamadov") == jaro_winkler("mamadov", "mamedov")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Məmmədov", "Мамедов"),
        ("Məmmədov", "Mammadof"),
        ("Sargsyan", "Саркисян"),
        ("Hakobyan", "Акопян"),
        ("Beridze", "ბერიძე"),
        ("Muhammad", "محمد"),
        ("Oleksandr", "Александр"),
    ],
)
def test_shared_matching_key_scores_one(a: str, b: str) -> None:
    assert name_similarity(a, b) == 1.0


@pytest.mark.parametrize(("a", "b"), [("Мамедов", "Mammadof"), ("Оганесян", "Ованесян")])
def test_shared_phonetic_key_scores_at_least_the_floor(a: str, b: str) -> None:
    assert 0.9 <= name_similarity(a, b) < 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sargsyan", "Hakobyan"),
        ("Muhammad", "Mahmud"),
        ("Ahmad", "Hamid"),
        ("Beridze", "Baratashvili"),
    ],
)
def test_different_names_score_low(a: str, b: str) -> None:
    assert name_similarity(a, b) < 0.85


def test_similarity_is_symmetric_and_bounded() -> None:
    for a, b in [("Məmmədov", "Mamedova"), ("Aliyev", "Aliyeva"), ("Hasan", "Husayn")]:
        s = name_similarity(a, b)
        assert s == name_similarity(b, a)
        assert 0.0 <= s < 1.0


def test_empty_names_score_zero() -> None:
    assert name_similarity("", "Ali") == 0.0
