"""Per-token features."""

from __future__ import annotations

from wayhome.linkage.tokens import (
    compute_tokens,
    family_token,
    father_token,
    given_token,
    half_keys,
    normalise_token,
    place_token,
)


def test_half_keys_survive_one_typo():
    assert half_keys("mamedov") == ("mam<", ">edov")
    assert set(half_keys("mamedov")) & set(half_keys("mamedof"))
    assert set(half_keys("mamedov")) & set(half_keys("namedov"))
    assert half_keys("ali") == ("ali",) and half_keys("") == ()


def test_family_token():
    keys, canon, sex = family_token("Məmmədova")
    assert "mamedova" in keys["fam_k"] and keys["fam_s"][0].endswith("dov")
    assert canon and sex == "F"


def test_father_token_reads_the_fathers_name():
    for written in ("Гасанович", "Həsən oğlu", "Hasan oglu"):
        keys, canon, _ = father_token(written)
        assert "hasan" in keys["fat_k"], written
    keys, _, _ = father_token("Վարդանի")  # Armenian genitive
    assert "vardan" in keys["fat_k"]
    assert father_token("Гасановна")[2] == "F"


def test_given_and_place_tokens():
    assert set(given_token("Али")[0]["giv_k"]) & set(given_token("Əli")[0]["giv_k"])
    assert place_token("DM0101")[0] == {"plc_k": ("dm0101",), "plc_p": ()}
    assert place_token("Гюмри")[1]


def test_normalise_token_keeps_turkic_capitals():
    assert normalise_token("  MAMEDOV ") == "mamedov"
    assert normalise_token("İSMAYILOV") == "İSMAYILOV"


def test_compute_tokens_in_workers_gives_the_same():
    tokens = [f"Name{i}ov" for i in range(40)]
    assert compute_tokens("family", tokens, workers=1) == compute_tokens(
        "family", tokens, workers=2
    )
