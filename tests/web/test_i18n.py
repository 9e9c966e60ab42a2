"""Interface languages: choosing one, negotiating one, page direction, and the catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from wayhome.core.vocab import Role
from wayhome.web import i18n
from wayhome.web.app import LANG_COOKIE

LAYOUT = {"en": 'lang="en" dir="ltr"', "ru": 'lang="ru" dir="ltr"', "ar": 'lang="ar" dir="rtl"'}


def html_tag(response) -> str:
    start = response.text.index("<html")
    return response.text[start : response.text.index(">", start) + 1]


@pytest.mark.parametrize(("lang", "attributes"), sorted(LAYOUT.items()))
def test_lang_query_sets_cookie_and_layout(anon, lang, attributes):
    response = anon.get("/login", params={"lang": lang})
    assert response.status_code == 200
    assert html_tag(response) == f"<html {attributes}>"
    assert response.cookies.get(LANG_COOKIE) == lang
    cookie = response.headers["set-cookie"]
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    # the choice sticks without the query parameter
    assert html_tag(anon.get("/login")) == f"<html {attributes}>"


def test_unknown_language_falls_back_to_english_without_a_cookie(anon):
    response = anon.get("/login", params={"lang": "xx"})
    assert html_tag(response) == '<html lang="en" dir="ltr">'
    assert LANG_COOKIE not in response.cookies


def test_query_beats_cookie_beats_accept_language(anon):
    anon.get("/login", params={"lang": "ar"})
    page = anon.get("/login", headers={"Accept-Language": "ru"})
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    page = anon.get("/login", params={"lang": "ru"}, headers={"Accept-Language": "ar"})
    assert html_tag(page) == '<html lang="ru" dir="ltr">'


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("ar", "ar"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("fr-FR, ar;q=0.5, ru;q=0.4", "ar"),
        ("en;q=0.1, ru;q=0.9", "ru"),
        ("de, fr", "en"),
        ("AR-eg", "ar"),
        ("", "en"),
    ],
)
def test_accept_language_negotiation(anon, header, lang):
    page = anon.get("/login", headers={"Accept-Language": header})
    assert html_tag(page) == f"<html {LAYOUT[lang]}>"
    assert LANG_COOKIE not in page.cookies  # negotiation does not pin a language


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "en"),
        ("", "en"),
        ("ru", "ru"),
        ("ru;q=0.2, ar;q=0.8", "ar"),
        ("ar;q=oops, ru", "ru"),  # a broken weight counts as zero
        ("*", "en"),
        ("zh-Hant-TW, ru-Latn;q=0.3", "ru"),
        (" ar;q=1 ", "ar"),
        ("ar ; q=1", "ar"),
    ],
)
def test_negotiate(header, lang):
    assert i18n.negotiate(header) == lang


def test_set_locale_accepts_only_known_languages():
    try:
        i18n.set_locale("ar")
        assert i18n.get_locale() == "ar"
        i18n.set_locale("de")
        assert i18n.get_locale() == i18n.DEFAULT == "en"
    finally:
        i18n.set_locale(i18n.DEFAULT)


def test_logged_in_pages_follow_the_language(login):
    client = login(Role.VIEWER)
    for path in ("/", "/persons", "/places"):
        page = client.get(path, params={"lang": "ar"})
        assert page.status_code == 200, path
        assert html_tag(page) == '<html lang="ar" dir="rtl">'


def test_api_errors_are_not_pages(anon):
    response = anon.get("/api/v1/persons", params={"lang": "ru"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")


def po_files() -> list[Path]:
    return sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def test_every_catalog_parses(anon):
    """Each .po file parses, is for a language the UI offers, and keeps its placeholders.

    Until the first catalog exists, the languages are still offered with the right layout.
    """
    for path in po_files():
        locale = path.parent.parent.name
        assert locale in i18n.LANGUAGES, f"{path}: add {locale} to i18n.LANGUAGES"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, abort_invalid=True)
        assert len(catalog) > 0, f"{path} has no messages"
        problems = [
            f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors
        ]
        assert not problems, f"{path}: {problems}"
        i18n.translations.cache_clear()
        assert i18n.translations(locale) is not None
    for lang, attributes in LAYOUT.items():
        assert lang in i18n.LANGUAGES
        assert html_tag(anon.get("/login", params={"lang": lang})) == f"<html {attributes}>"
    assert set(LAYOUT) == set(i18n.LANGUAGES)
    assert i18n.RTL.issubset(i18n.LANGUAGES)


def test_english_needs_no_catalog():
    assert i18n.translations("en").gettext("Persons") == "Persons"
