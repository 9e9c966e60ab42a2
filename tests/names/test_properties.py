"""Properties over arbitrary input: nothing crashes, keys are ASCII, normalisation is idempotent."""

from hypothesis import given, settings
from hypothesis import strategies as st

from wayhome.names import (
    detect_script,
    fold,
    matching_keys,
    name_similarity,
    normalise_surname,
    parse_patronymic,
    phonetic_keys,
    split_full_name,
)
from wayhome.names.keys import normalise_key

latin_soup = st.text(alphabet=st.sampled_from(list("aeiouyhxdjzcstlnrvfwkgbqm -'")), max_size=20)


@settings(max_examples=2000, deadline=None)
@given(latin_soup)
def test_normalise_key_is_idempotent(text: str) -> None:
    key = normalise_key(text)
    assert normalise_key(key) == key


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=25))
def test_any_text_is_handled(text: str) -> None:
    keys = matching_keys(text)
    assert all(k.isascii() and k.isalpha() and k.islower() for k in keys)
    assert all(p.isascii() and p.isupper() for p in phonetic_keys(text))
    assert detect_script(text)
    fold(text)
    split_full_name(text)
    parse_patronymic(text)
    normalise_surname(text)
    assert 0.0 <= name_similarity(text, "Ali") <= 1.0
