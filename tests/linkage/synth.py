"""A quick multi-script synthetic record set with known true matches (for tests and measuring).

Persons come from ``wayhome.demo.generate_region`` (invented names with alias and earlier
spellings in other scripts; households give siblings who share family name, father's name and
birthplace). Each person gets 1-4 records from different "sources", each with its own noise:
another spelling or script, ASCII capitals without patronymic (checkpoint), phonetic ASCII with
``-of`` endings and typos (hotline), partial or day/month-swapped birth dates, missing fields.

Run ``python -m tests.linkage.synth --households 3000`` to measure pairwise F1 and time.
"""

from __future__ import annotations

import argparse
import random
import time
import unicodedata

import numpy as np
import pandas as pd

from wayhome.demo import generate_region
from wayhome.demo.scripts import romanize

SOURCES = ("registry", "archive", "checkpoint", "hotline")


def _ascii(text: str) -> str:
    text = romanize(text)
    for a, b in (
        ("ə", "a"),
        ("Ə", "A"),
        ("ı", "i"),
        ("ş", "sh"),
        ("Ş", "Sh"),
        ("ç", "ch"),
        ("Ç", "Ch"),
        ("ğ", "gh"),
        ("x", "kh"),
        ("X", "Kh"),
        ("q", "g"),
        ("Q", "G"),
    ):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isascii())


def demo_engine_row(person, place: dict[str, str]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A demo generator person (invented) in the engine's input columns: the first name as the
    name fields, the others in ``names``; ``place`` maps place codes to their names."""
    first, *others = person.names
    return {
        "id": person.key,
        "family_name": first.family_name,
        "given_name": first.given_name,
        "patronymic": first.patronymic or "",
        "sex": person.sex,
        "birth_date": person.birth_date or "",
        "birth_place": place.get(person.birth_place_code or "", ""),
        "names": [f"{n.family_name}, {n.given_name} {n.patronymic or ''}" for n in others],
    }


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.35:
        return word[:i] + word[i + 1 :]
    if kind < 0.6:
        return word[:i] + word[i] + word[i:]
    if kind < 0.8:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(word) + word[i + 1 :]


def _date(date: str | None, rng: random.Random) -> str:
    if not date or rng.random() < 0.08:
        return ""
    parts = date.split("-")
    roll = rng.random()
    if roll < 0.25:
        return parts[0]
    if roll < 0.33 and len(parts) >= 2:
        return "-".join(parts[:2])
    if roll < 0.40 and len(parts) == 3 and int(parts[2]) <= 12 and parts[1] != parts[2]:
        return f"{parts[0]}-{parts[2]}-{parts[1]}"
    if roll < 0.43:
        return str(int(parts[0]) + rng.choice((-1, 1))) + date[4:]
    return date


def make_records(
    seed: int = 1, households: int = 1000, settlements: int = 80, alias_share: float = 0.1
) -> pd.DataFrame:
    """Records with a ``person`` column (the truth) and the linkage input columns."""
    region = generate_region(seed=seed, settlements=settlements, households=households)
    places = {p.code: p for p in region.places}
    rng = random.Random(f"linkage-synth:{seed}")
    rows = []
    for home in region.households:
        for member in home.members:
            person = member.person
            copies = rng.choices((1, 2, 3, 4), weights=(45, 30, 17, 8))[0]
            for copy in range(copies):
                source = SOURCES[0] if copy == 0 else rng.choice(SOURCES)
                name = person.names[0]
                if copy and len(person.names) > 1 and rng.random() < 0.7:
                    name = rng.choice(person.names[1:])
                family, given, patr = name.family_name, name.given_name, name.patronymic or ""
                latin = [n for n in person.names if n.script == "Latn"]
                if source in ("checkpoint", "hotline") and name.script == "Arab":
                    if not latin:  # nobody writes Arabic names without their vowels
                        source = "archive"
                    else:
                        name = rng.choice(latin)
                        family, given, patr = name.family_name, name.given_name, ""
                if source == "checkpoint":
                    family, given, patr = _ascii(family).upper(), _ascii(given).upper(), ""
                elif source == "hotline":
                    family, given = _ascii(family).title(), _ascii(given).title()
                    patr = _ascii(patr).title() if rng.random() < 0.5 else ""
                    if family.endswith("ov") and rng.random() < 0.4:
                        family = family[:-1] + "f"
                if copy and rng.random() < 0.08:
                    family = _typo(family, rng)
                if copy and rng.random() < 0.05:
                    given = _typo(given, rng)
                place = ""
                if person.birth_place_code in places and rng.random() < 0.8:
                    place = rng.choice(places[person.birth_place_code].names).name
                aliases = ""
                if len(person.names) > 1 and rng.random() < alias_share:
                    aliases = "|".join(
                        " ".join(x for x in (n.family_name, n.given_name, n.patronymic) if x)
                        for n in person.names
                        if n != name
                    )
                rows.append(
                    {
                        "id": f"{source[0]}{len(rows):06d}",
                        "given_name": given,
                        "family_name": family,
                        "patronymic": patr,
                        "sex": person.sex if rng.random() < 0.85 else "",
                        "birth_date": _date(person.birth_date, rng)
                        if copy
                        else (person.birth_date or ""),
                        "birth_place": place,
                        "source": source,
                        "names": aliases,
                        "person": person.key,
                    }
                )
    frame = pd.DataFrame(rows)
    order = np.random.default_rng(seed).permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True)


def pairwise_scores(truth: pd.Series, predicted: pd.Series) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the true clusters."""

    def pairs(sizes: pd.Series) -> int:
        return int((sizes * (sizes - 1) // 2).sum())

    both = pd.DataFrame({"t": truth.to_numpy(), "p": predicted.to_numpy()})
    true_pairs = pairs(both.groupby("t").size())
    found = pairs(both.groupby("p").size())
    correct = pairs(both.groupby(["t", "p"]).size())
    precision = correct / found if found else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": true_pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--settlements", type=int, default=80)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--engine", default="duckdb")
    args = parser.parse_args()
    from wayhome.linkage import dedupe

    records = make_records(args.seed, args.households, args.settlements)
    start = time.perf_counter()
    result = dedupe(records.drop(columns="person"), engine=args.engine, threshold=args.threshold)
    elapsed = time.perf_counter() - start
    scores = pairwise_scores(records["person"], result.clusters["cluster_id"])
    print(f"{len(records)} records, {elapsed:.1f} s", {k: round(v, 4) for k, v in scores.items()})
    print(result.report["blocking"])
    print({k: round(v, 2) for k, v in result.report["timings"].items()})
    print(result.model.summary())


if __name__ == "__main__":
    main()
