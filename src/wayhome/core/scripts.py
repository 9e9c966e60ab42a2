"""Which writing system a text is in, by Unicode ranges (ISO 15924 codes)."""

from __future__ import annotations

import unicodedata

_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latn"),
    (0x0250, 0x02AF, "Latn"),  # IPA extensions: the Azerbaijani schwa ə (U+0259) lives here
    (0x1E00, 0x1EFF, "Latn"),
    (0x0400, 0x052F, "Cyrl"),
    (0x0530, 0x058F, "Armn"),
    (0xFB13, 0xFB17, "Armn"),
    (0x10A0, 0x10FF, "Geor"),
    (0x1C90, 0x1CBF, "Geor"),
    (0x0600, 0x06FF, "Arab"),
    (0x0750, 0x077F, "Arab"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0x0370, 0x03FF, "Grek"),
    (0x0590, 0x05FF, "Hebr"),
)

SCRIPTS = ("Latn", "Cyrl", "Armn", "Geor", "Arab", "Grek", "Hebr", "Zyyy")


def char_script(char: str) -> str | None:
    """Return the script of one letter, or None for digits, spaces and punctuation."""
    if not unicodedata.category(char).startswith("L"):
        return None
    code = ord(char)
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    return "Zyyy"


def detect_script(text: str) -> str:
    """Return the script most letters of text are written in; ``Zyyy`` when there are no letters."""
    counts: dict[str, int] = {}
    for char in text:
        script = char_script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "Zyyy"
    return max(sorted(counts), key=lambda s: counts[s])


def fold(text: str) -> str:
    """Casefold and strip combining marks (keeps the script): the form used for plain search."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Azerbaijani schwa and dotless i have no decomposition; fold them to their nearest base letters.
    stripped = stripped.replace("ə", "e").replace("ı", "i").replace("ё", "е").replace("й", "и")
    return " ".join(stripped.split())
