"""Invented neutral names (en, ru, ar) for the synthetic regions and districts."""

from __future__ import annotations

import math
import random

from wayhome.demo.model import DemoPlaceName

# Direction adjectives: en, ru stem (+ый/ая/ое/ые), ar masculine, ar feminine.
_DIRECTIONS = {
    "E": ("Eastern", "Восточн", "الشرقي", "الشرقية"),
    "NE": ("North-Eastern", "Северо-Восточн", "الشمالي الشرقي", "الشمالية الشرقية"),
    "N": ("Northern", "Северн", "الشمالي", "الشمالية"),
    "NW": ("North-Western", "Северо-Западн", "الشمالي الغربي", "الشمالية الغربية"),
    "W": ("Western", "Западн", "الغربي", "الغربية"),
    "SW": ("South-Western", "Юго-Западн", "الجنوبي الغربي", "الجنوبية الغربية"),
    "S": ("Southern", "Южн", "الجنوبي", "الجنوبية"),
    "SE": ("South-Eastern", "Юго-Восточн", "الجنوبي الشرقي", "الجنوبية الشرقية"),
    "C": ("Central", "Центральн", "الأوسط", "الوسطى"),
}
_SECTORS = ("E", "NE", "N", "NW", "W", "SW", "S", "SE")
# Region nouns: en, ru, ru gender (m/f/n/p), ar, ar gender (m/f).
_REGION_NOUNS = (
    ("Valley", "долина", "f", "الوادي", "m"),
    ("Plateau", "плато", "n", "الهضبة", "f"),
    ("Highlands", "нагорье", "n", "المرتفعات", "f"),
    ("Plain", "равнина", "f", "السهل", "m"),
    ("Foothills", "предгорья", "p", "السفوح", "f"),
    ("Lowlands", "низменность", "f", "الأراضي المنخفضة", "f"),
    ("Basin", "котловина", "f", "الحوض", "m"),
    ("Uplands", "возвышенность", "f", "النجود", "f"),
)
# District adjectives: en, ru (m, f, n, p), ar (m, f).
_DISTRICT_ADJS = (
    ("Upper", ("Верхний", "Верхняя", "Верхнее", "Верхние"), ("الأعلى", "العليا")),
    ("Lower", ("Нижний", "Нижняя", "Нижнее", "Нижние"), ("الأسفل", "السفلى")),
    ("Old", ("Старый", "Старая", "Старое", "Старые"), ("القديم", "القديمة")),
    ("New", ("Новый", "Новая", "Новое", "Новые"), ("الجديد", "الجديدة")),
    ("Green", ("Зелёный", "Зелёная", "Зелёное", "Зелёные"), ("الأخضر", "الخضراء")),
    ("White", ("Белый", "Белая", "Белое", "Белые"), ("الأبيض", "البيضاء")),
    ("Red", ("Красный", "Красная", "Красное", "Красные"), ("الأحمر", "الحمراء")),
    ("Stony", ("Каменный", "Каменная", "Каменное", "Каменные"), ("الصخري", "الصخرية")),
    ("Quiet", ("Тихий", "Тихая", "Тихое", "Тихие"), ("الهادئ", "الهادئة")),
    ("Sunny", ("Солнечный", "Солнечная", "Солнечное", "Солнечные"), ("المشمس", "المشمسة")),
    ("Far", ("Дальний", "Дальняя", "Дальнее", "Дальние"), ("البعيد", "البعيدة")),
    ("Long", ("Длинный", "Длинная", "Длинное", "Длинные"), ("الطويل", "الطويلة")),
)
_DISTRICT_NOUNS = (
    ("River", "река", "f", "النهر", "m"),
    ("Hills", "холмы", "p", "التلال", "f"),
    ("Meadows", "луга", "p", "المروج", "f"),
    ("Springs", "родники", "p", "الينابيع", "f"),
    ("Ridge", "гряда", "f", "الحافة", "f"),
    ("Forest", "лес", "m", "الغابة", "f"),
    ("Lakes", "озёра", "p", "البحيرات", "f"),
    ("Gorge", "ущелье", "n", "الخانق", "m"),
    ("Fields", "поля", "p", "الحقول", "f"),
    ("Pass", "перевал", "m", "الممر", "m"),
    ("Orchards", "сады", "p", "البساتين", "f"),
    ("Bridge", "мост", "m", "الجسر", "m"),
    ("Creek", "ручей", "m", "الجدول", "m"),
    ("Pastures", "пастбища", "p", "المراعي", "f"),
)
_GENDER_INDEX = {"m": 0, "f": 1, "n": 2, "p": 3}
_RU_ENDINGS = ("ый", "ая", "ое", "ые")


def _names(en: str, ru: str, ar: str) -> tuple[DemoPlaceName, ...]:
    return (
        DemoPlaceName(en, "en", "Latn"),
        DemoPlaceName(ru, "ru", "Cyrl"),
        DemoPlaceName(ar, "ar", "Arab"),
    )


def _suffix(names: tuple[DemoPlaceName, ...], number: int) -> tuple[DemoPlaceName, ...]:
    if number == 1:
        return names
    digits = str(number).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return tuple(
        DemoPlaceName(f"{n.name} {digits if n.script == 'Arab' else number}", n.lang, n.script)
        for n in names
    )


def direction(
    center: tuple[float, float], origin: tuple[float, float], cos_lat: float, central_radius: float
) -> str:
    """Return the compass sector ("N", "SE", ...) of ``center`` seen from ``origin``, or "C"."""
    dy, dx = center[0] - origin[0], (center[1] - origin[1]) * cos_lat
    if math.hypot(dx, dy) <= central_radius:
        return "C"
    return _SECTORS[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]


def region_names(
    rng: random.Random,
    centers: list[tuple[float, float]],
    origin: tuple[float, float],
    cos_lat: float,
) -> list[tuple[DemoPlaceName, ...]]:
    """Name regions "<direction> <landform>" in en/ru/ar, unique within the region set."""
    dists = sorted(math.hypot(c[0] - origin[0], (c[1] - origin[1]) * cos_lat) for c in centers)
    radius = min(dists[0] * 1.0001, dists[len(dists) // 2] * 0.4) if len(dists) > 1 else -1.0
    nouns: list[tuple[str, str, str, str, str]] = []
    seen: dict[str, int] = {}
    out = []
    for center in centers:
        if not nouns:
            nouns = list(_REGION_NOUNS)
            rng.shuffle(nouns)
        en_noun, ru_noun, ru_g, ar_noun, ar_g = nouns.pop()
        en_adj, ru_stem, ar_m, ar_f = _DIRECTIONS[direction(center, origin, cos_lat, radius)]
        ru_adj = ru_stem + _RU_ENDINGS[_GENDER_INDEX[ru_g]]
        names = _names(
            f"{en_adj} {en_noun}",
            f"{ru_adj} {ru_noun}",
            f"{ar_noun} {ar_m if ar_g == 'm' else ar_f}",
        )
        seen[names[0].name] = seen.get(names[0].name, 0) + 1
        out.append(_suffix(names, seen[names[0].name]))
    return out


def district_names(rng: random.Random, count: int) -> list[tuple[DemoPlaceName, ...]]:
    """Return ``count`` distinct district names "<adjective> <feature>" in en/ru/ar."""
    combos = [(a, n) for a in _DISTRICT_ADJS for n in _DISTRICT_NOUNS]
    rng.shuffle(combos)
    out = []
    for i in range(count):
        adjective, noun = combos[i % len(combos)]
        en_adj, ru_forms, ar_forms = adjective
        en_noun, ru_noun, ru_g, ar_noun, ar_g = noun
        names = _names(
            f"{en_adj} {en_noun}",
            f"{ru_forms[_GENDER_INDEX[ru_g]]} {ru_noun}",
            f"{ar_noun} {ar_forms[0] if ar_g == 'm' else ar_forms[1]}",
        )
        out.append(_suffix(names, i // len(combos) + 1))
    return out
