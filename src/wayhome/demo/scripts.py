"""Script detection by Unicode ranges and the small transliteration tables used by the demo."""

from __future__ import annotations

import difflib
import unicodedata

_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "Latn": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x250, 0x2AF), (0x1E00, 0x1EFF)),
    "Cyrl": ((0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
    "Armn": ((0x531, 0x58F), (0xFB13, 0xFB17)),
    "Geor": ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
    "Arab": ((0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
}


def char_script(ch: str) -> str | None:
    """Return the ISO 15924 code of a letter, "" for neutral characters, None for other scripts."""
    if not ch.isalpha() or unicodedata.category(ch) in ("Lm", "Mn"):
        return ""
    cp = ord(ch)
    for script, ranges in _RANGES.items():
        if any(lo <= cp <= hi for lo, hi in ranges):
            return script
    return None


def detect_script(text: str) -> str | None:
    """Return the single script of all letters in ``text``, or None if mixed, other or empty."""
    found: str | None = None
    for ch in text:
        script = char_script(ch)
        if script == "":
            continue
        if script is None or (found is not None and script != found):
            return None
        found = script
    return found


# --- romanisation (for comparing names across scripts and for Latin name variants) ---


def _table(keys: str | tuple[str, ...], values: str) -> dict[str, str]:
    """Zip single letters (or phonemes) with space-separated replacements."""
    return dict(zip(keys, values.split(), strict=True))


_CYRL = _table(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g u",
)
_CYRL_ICAO = {**_CYRL, "й": "i", "ю": "iu", "я": "ia", "ъ": "ie", "ь": "-", "ё": "e"}
_CYRL_UK = {**_CYRL, "г": "h", "и": "y", "й": "i", "ю": "iu", "я": "ia", "є": "ie", "ї": "i"}
_UK_INITIAL = {"й": "y", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi"}
_ARMN = _table(
    "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "a b g d e z e y t zh i l kh ts k h dz gh ch m y n sh o ch p j r s v t r ts v p k o f",
)
_ARMN["և"] = "ev"
_GEOR = _table(
    "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
    "a b g d e v z t i k l m n o p zh r s t u p k gh q sh ch ts dz ts ch kh j h",
)
_ARAB = _table(
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويىةپچژگکیأإآءؤئ",
    "a b t th j h kh d dh r z s sh s d t z - gh f q k l m n h w y a h p ch zh g k y a i a - - -",
)


def _romanize_chars(text: str, table: dict[str, str], initial: dict[str, str] | None = None) -> str:
    out: list[str] = []
    prev_letter = False
    for ch in text:
        low = ch.lower()
        rep = (initial or {}).get(low) if not prev_letter else None
        if rep is None:
            rep = table.get(low)
        if rep is None:
            out.append(ch)
            prev_letter = False
            continue
        rep = "" if rep == "-" else rep
        if ch != low and rep:
            rep = rep[0].upper() + rep[1:]
        out.append(rep)
        prev_letter = True
    return "".join(out)


def romanize(text: str, script: str | None = None) -> str:
    """Return a rough Latin rendering of ``text`` (script detected when not given)."""
    script = script or detect_script(text)
    if script == "Cyrl":
        return _romanize_chars(text, _CYRL)
    if script == "Armn":
        return _romanize_chars(text.replace("ու", "u").replace("ՈՒ", "U").replace("Ու", "U"), _ARMN)
    if script == "Geor":
        return _romanize_chars(text, _GEOR)
    if script == "Arab":
        return _romanize_chars(text, _ARAB)
    return text


def ru_passport(text: str) -> str:
    """Transliterate Russian Cyrillic as Russian passports do (ICAO Doc 9303), in capitals."""
    return _romanize_chars(text, _CYRL_ICAO).upper()


def ru_common(text: str) -> str:
    """Transliterate Russian Cyrillic in the common BGN/PCGN-like style ("Sergey", "Yuliya")."""
    return _romanize_chars(text.replace("ье", "ye").replace("ьё", "yo"), _CYRL, _UK_INITIAL)


def uk_national(text: str) -> str:
    """Transliterate Ukrainian Cyrillic with the 2010 national system (simplified)."""
    return _romanize_chars(text.replace("зг", "zgh").replace("Зг", "Zgh"), _CYRL_UK, _UK_INITIAL)


def skeleton(text: str) -> str:
    """Return a consonant skeleton of a name for fuzzy cross-script comparison."""
    s = unicodedata.normalize("NFKD", romanize(text).lower().replace("ə", "a").replace("ı", "i"))
    s = "".join(c for c in s if c.isascii() and c.isalpha())
    for a, b in (
        ("kh", "x"),
        ("gh", "g"),
        ("sh", "s"),
        ("ch", "c"),
        ("zh", "z"),
        ("ts", "c"),
        ("dz", "z"),
        ("th", "t"),
        ("dh", "d"),
    ):
        s = s.replace(a, b)
    s = s.translate(str.maketrans("pfwqgxjc", "bvvkkkzs"))
    return "".join(c for c in s if c not in "aeiouyh")


def similarity(a: str, b: str) -> float:
    """Return a 0..1 similarity of two names written in any supported scripts."""
    return difflib.SequenceMatcher(None, skeleton(a), skeleton(b)).ratio()


# --- rendering invented (Latin, phoneme-based) village names in other scripts ---

PHONEMES = (
    "sh",
    "kh",
    "ch",
    "ts",
    "b",
    "d",
    "g",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "a",
    "e",
    "i",
    "o",
    "u",
)
_TO: dict[str, dict[str, str]] = {
    "Cyrl": _table(PHONEMES, "ш х ч ц б д г дж к л м н п р с т в з а е и о у"),
    "Armn": _table(PHONEMES, "շ խ չ ց բ դ գ ջ կ լ մ ն պ ր ս տ վ զ ա ե ի ո ու"),
    "Geor": _table(PHONEMES, "შ ხ ჩ ც ბ დ გ ჯ კ ლ მ ნ პ რ ს ტ ვ ზ ა ე ი ო უ"),
    "Arab": _table(PHONEMES, "ش خ تش تس ب د غ ج ك ل م ن ب ر س ت ف ز ا ي ي و و"),
}
_INITIAL = {
    "Cyrl": {"e": "э"},
    "Armn": {"e": "է", "o": "օ"},
    "Arab": {"a": "أ", "e": "إي", "i": "إي", "o": "أو", "u": "أو"},
}


def phonemes(latin: str) -> list[str]:
    """Split a lower-case invented Latin name into the phonemes of ``PHONEMES``."""
    out: list[str] = []
    i = 0
    while i < len(latin):
        two = latin[i : i + 2]
        if two in PHONEMES:
            out.append(two)
            i += 2
        else:
            out.append(latin[i])
            i += 1
    return out


def render_invented(latin: str, script: str) -> str:
    """Render an invented lower-case Latin name in ``script`` and capitalise it if cased."""
    if script == "Latn":
        return latin.capitalize()
    parts = phonemes(latin)
    table, initial = _TO[script], _INITIAL.get(script, {})
    text = initial.get(parts[0], table[parts[0]]) + "".join(table[p] for p in parts[1:])
    return text[0].upper() + text[1:] if script in ("Cyrl", "Armn") else text
