"""Shared synthetic records for the linkage tests (all names invented for the tests)."""

from __future__ import annotations

import pandas as pd
import pytest

COLUMNS = [
    "id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "source",
]

# person -> records. Variants across scripts of invented combinations of common names.
PEOPLE: dict[str, list[tuple[str, ...]]] = {
    "ali": [
        ("a1", "Əli", "Məmmədov", "Həsən oğlu", "M", "1957-03-12", "Şuşa", "registry"),
        ("a2", "Али", "Мамедов", "Гасанович", "M", "1957-03-12", "Шуша", "archive"),
        ("a3", "ALI", "MAMEDOV", "", "M", "1957", "", "checkpoint"),
        ("a4", "Ali", "Mammadof", "", "", "1957-12-03", "", "hotline"),
    ],
    "aram": [
        ("h1", "Արամ", "Սարգսյան", "Վարդանի", "M", "1971-06-02", "Գյումրի", "registry"),
        ("h2", "Aram", "Sargsyan", "", "M", "1971-06", "Gyumri", "checkpoint"),
        ("h3", "Арам", "Саркисян", "Варданович", "M", "1971", "Гюмри", "archive"),
        ("h4", "Aram", "Sarkisyan", "", "M", "1971-02-06", "", "hotline"),
    ],
    "nino": [
        ("g1", "ნინო", "ქავთარაძე", "", "F", "1984-11-20", "ქუთაისი", "registry"),
        ("g2", "Нино", "Кавтарадзе", "Отаровна", "F", "1984-11-20", "Кутаиси", "archive"),
        ("g3", "NINO", "KAVTARADZE", "", "F", "1984", "", "checkpoint"),
    ],
    "oleksandr": [
        ("u1", "Олександр", "Олійник", "Петрович", "M", "1990-01-15", "Харків", "registry"),
        ("u2", "Александр", "Олейник", "Петрович", "M", "1990-01-15", "Харьков", "archive"),
        ("u3", "Oleksandr", "Oliinyk", "", "M", "1990", "", "checkpoint"),
    ],
    # a sister of Ali: same family name, father and birthplace, different given name and date
    "leyla": [
        ("s1", "Leyla", "Məmmədova", "Həsən qızı", "F", "1961-08-30", "Şuşa", "registry"),
        ("s2", "Лейла", "Мамедова", "Гасановна", "F", "1961-08-30", "Шуша", "archive"),
    ],
    # a namesake of Oleksandr: same name, different father and birth year
    "namesake": [
        ("n1", "Олександр", "Олійник", "Іванович", "M", "1958-05-05", "Полтава", "registry"),
    ],
    "ivan": [("r1", "Иван", "Петров", "Сергеевич", "M", "1975-09-09", "Тверь", "registry")],
    "maria": [("r2", "Мария", "Смирнова", "Олеговна", "F", "1980-02-02", "Тула", "registry")],
}


def people_frame() -> pd.DataFrame:
    rows = [
        dict(zip(COLUMNS, record, strict=True)) | {"person": person}
        for person, records in PEOPLE.items()
        for record in records
    ]
    return pd.DataFrame(rows)


@pytest.fixture()
def people() -> pd.DataFrame:
    return people_frame()
