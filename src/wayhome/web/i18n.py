"""Interface languages: gettext catalogs (Babel .po files) and the locale of the current request."""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Mapping
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from wayhome.core.messages import format_message

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "ar": "العربية"}
RTL = frozenset({"ar"})
DEFAULT = "en"

_current: ContextVar[str] = ContextVar("wayhome_locale", default=DEFAULT)


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """Return the catalog of a locale, compiled in memory from its .po file (English needs none)."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT or not po.exists():
        return _gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def set_locale(locale: str) -> None:
    """Make locale the language of the current request or task."""
    _current.set(locale if locale in LANGUAGES else DEFAULT)


def get_locale() -> str:
    """Return the language of the current request."""
    return _current.get()


def gettext(message: str) -> str:
    """Translate a message into the current language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count into the current language."""
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext


def translate(template: str, params: Mapping[str, object] | None = None) -> str:
    """Translate a message template (marked with N_ elsewhere), then fill in its values.

    A translation whose placeholders do not fit the values falls back to the English message.
    """
    translated = gettext(template)
    if not params:
        return translated
    try:
        return translated % dict(params)
    except (KeyError, ValueError, TypeError):
        return format_message(template, params)


def negotiate(accept_language: str | None, default: str = DEFAULT) -> str:
    """Pick the best supported language from an Accept-Language header, else the default."""
    if not accept_language:
        return default
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        lang, _sep, params = (piece.strip() for piece in part.partition(";"))
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((quality, lang.split("-")[0].lower()))
    for _quality, lang in sorted(weighted, key=lambda item: -item[0]):
        if lang in LANGUAGES:
            return lang
    return default
