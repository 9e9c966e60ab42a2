"""Per-token features."""

from __future__ import annotations

from wayhome.linkage.tokens import (
    PARALLEL_MIN_TOKENS,
    compute_each,
    compute_tokens,
    family_token,
    father_token,
    given_token,
    half_keys,
    normalise_token,
    place_token,
)


def test_half_keys_survive_one_typo():
    assert half_keys("mamedov") == ("mam<", ">dov")
    assert half_keys("torosian") == ("tor<", "toro<", ">ian", ">sian")
    # an inserted letter makes the key longer; a half of the shorter length stays shared
    assert set(half_keys("torosian")) & set(half_keys("tsorosian"))
    assert set(half_keys("kovalenko")) & set(half_keys("kovalnko"))
    assert set(half_keys("aleksandr")) & set(half_keys("aleksnadr"))  # swapped letters
    assert set(half_keys("mamedov")) & set(half_keys("mamedof"))
    assert set(half_keys("mamedov")) & set(half_keys("namedov"))
    assert half_keys("ali") == ("ali",) and half_keys("") == ()


def test_half_keys_cover_every_single_edit():
    key = "khachatryan"
    letters = "abcdefghijklmnopqrstuvwxyz"
    edits = set()
    for i in range(len(key) + 1):
        edits.update(key[:i] + ch + key[i:] for ch in letters)  # insertions
    for i in range(len(key)):
        edits.add(key[:i] + key[i + 1 :])  # deletions
        edits.update(key[:i] + ch + key[i + 1 :] for ch in letters)  # substitutions
    for i in range(len(key) - 1):
        edits.add(key[:i] + key[i + 1] + key[i] + key[i + 2 :])  # transpositions
    for edited in edits:
        assert set(half_keys(key)) & set(half_keys(edited)), edited


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


def test_compute_each_gives_every_kind_in_order_the_same_in_workers():
    many = {  # over PARALLEL_MIN_TOKENS, so two workers really run
        "family": [f"Mamedov{chr(97 + i % 26)}{i}" for i in range(2500)],
        "place": [],
        "given": [f"Ali{i}" for i in range(2000)],
    }
    assert sum(map(len, many.values())) >= PARALLEL_MIN_TOKENS
    serial = list(compute_each(many, workers=1))
    parallel = list(compute_each(many, workers=2))
    assert [kind for kind, _ in parallel] == ["family", "place", "given"]
    assert parallel == serial
    assert [len(done) for _, done in parallel] == [2500, 0, 2000]


def test_compute_each_can_be_left_early():
    many = {
        "family": [f"Aliyev{i}" for i in range(3000)],
        "given": [f"Ali{i}" for i in range(3000)],
    }
    each = compute_each(many, workers=2)
    kind, done = next(each)
    assert kind == "family" and len(done) == 3000
    each.close()  # the pool is shut down; the given names left are not waited for
