"""The Russian and Arabic catalogs: complete for every message in the source, placeholders kept,
and pages rendered in those languages without English left in the navigation and the buttons."""

from __future__ import annotations

import gettext
import html
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from wayhome.core.errors import FieldError, ValidationFailed
from wayhome.core.messages import Term, Terms
from wayhome.core.vocab import PlaceType, Role
from wayhome.web import i18n
from wayhome.web.templating import TEMPLATES, field_errors

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "wayhome"
LOCALES = ("ru", "ar")
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[sdifr]")
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
# Labels of the navigation and of buttons that must not stay English in another language.
KEY_LABELS = ("Persons", "Households", "Places", "Map", "Register a person", "Save", "Log out")


def placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


@cache
def source_messages() -> dict[str | tuple[str, str], list[str]]:
    """Every message of the source as `make messages` extracts it (babel.cfg, the same keywords)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str | tuple[str, str], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(SOURCE), method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message[:2])
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


@cache
def catalog(locale: str) -> Catalog:
    path = i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=True)


def test_extraction_finds_the_ui():
    messages = source_messages()
    assert len(messages) > 300
    # templates, routes, services (N_), vocabularies (N_) and plurals are all extracted
    for expected in (
        "Register a person",
        "Wrong username or password.",
        "must be at least %(min)d characters",
        "Locally integrated",
        "Not found",
        ("%(num)d record", "%(num)d records"),
    ):
        assert expected in messages, expected


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale):
    cat = catalog(locale)
    assert cat.num_plurals == {"ru": 3, "ar": 6}[locale]
    plural = gettext.c2py(cat.plural_expr)
    # which counts each plural form stands for (a form used for one count may omit the count)
    counts: dict[int, set[int]] = {}
    for n in range(1000):
        counts.setdefault(plural(n), set()).add(n)
    assert set(counts) == set(range(cat.num_plurals)), "a plural form is never used"
    problems = []
    for key, where in sorted(source_messages().items(), key=str):
        msgid = key[0] if isinstance(key, tuple) else key
        message = cat.get(msgid)
        if message is None:
            problems.append(f"missing: {key!r} ({where[0]})")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        if isinstance(key, tuple):
            if not message.pluralizable or message.id != key:
                problems.append(f"not a plural entry: {key!r}")
                continue
            forms = list(message.string)
            expected = placeholders(key[0]) | placeholders(key[1])
            if len(forms) != cat.num_plurals or not all(f.strip() for f in forms):
                problems.append(f"plural forms incomplete: {key!r}: {forms!r}")
                continue
            for index, form in enumerate(forms):
                got = placeholders(form)
                if not got <= expected or (len(counts[index]) > 1 and got != expected):
                    problems.append(f"placeholders of form {index} of {key!r}: {form!r}")
            if set().union(*(placeholders(f) for f in forms)) != expected:
                problems.append(f"placeholders lost in {key!r}")
        else:
            if not isinstance(message.string, str) or not message.string.strip():
                problems.append(f"untranslated: {key!r} ({where[0]})")
            elif placeholders(message.string) != placeholders(key):
                problems.append(f"placeholders differ: {key!r} → {message.string!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_clean(locale):
    cat = catalog(locale)
    assert not cat.fuzzy
    assert not cat.obsolete
    errors = [f"{m.id!r}: {e}" for m, errs in cat.check() for e in errs]
    assert not errors
    extracted = {k[0] if isinstance(k, tuple) else k for k in source_messages()}
    stale = [m.id for m in cat if m.id and (m.id[0] if m.pluralizable else m.id) not in extracted]
    assert not stale, f"messages no longer in the source (run make messages): {stale}"
    # the compiled catalog works through the application's own loader
    i18n.translations.cache_clear()
    assert i18n.translations(locale).gettext("Persons") != "Persons"


# --- templates: no English outside gettext --------------------------------------------------

JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
TEXT_ATTRIBUTE = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')
WORD = re.compile(r"[A-Za-z]{2,}")
# Text that is the same in every language: the product's name, formats and examples of codes.
NOT_TRANSLATED = {"wayhome", "ru", "hy", "az"}


def test_templates_have_no_bare_english():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        without_jinja = JINJA.sub(" ", source)
        texts = [*TAG.split(without_jinja), *TEXT_ATTRIBUTE.findall(without_jinja)]
        for text in texts:
            words = [w for w in WORD.findall(html.unescape(text)) if w not in NOT_TRANSLATED]
            if words:
                problems.append(f"{path.relative_to(TEMPLATES)}: {text.strip()[:60]!r}")
    assert not problems, "\n".join(problems)


def test_scripts_take_their_words_from_the_page():
    """The map script shows only strings passed by the template (data-* attributes)."""
    script = (TEMPLATES.parent / "static" / "js" / "map.js").read_text(encoding="utf-8")
    for english in ("Loading", "No places", "Zoom in", "Place types", "Could not"):
        assert english not in script


# --- messages with values ------------------------------------------------------------------


def test_field_errors_translate_the_template_then_fill_in_the_values():
    error = ValidationFailed(
        [
            FieldError(("password",), "must be at least %(min)d characters", {"min": 10}),
            FieldError(("parent_id",), "a %(type)s needs a parent", {"type": Term("region")}),
            FieldError(
                ("type",),
                "a %(type)s can only lie in: %(types)s",
                {"type": Term("camp"), "types": Terms(("settlement", "district"))},
            ),
            FieldError(("names", 0), "give at least a given name or a family name"),
        ]
    )
    assert str(error.errors[0]) == "must be at least 10 characters"
    assert error.for_field("parent_id") == "a region needs a parent"
    assert error.errors[2].text() == "a camp can only lie in: settlement, district"
    try:
        i18n.set_locale("ru")
        shown = field_errors(error)
    finally:
        i18n.set_locale(i18n.DEFAULT)
    assert shown["password"] == "длина — не менее 10 символов"
    assert shown["parent_id"] == "для места типа «регион» нужно указать, где оно находится"
    assert shown["type"] == "место типа «лагерь» может находиться только в: населённый пункт, район"
    assert shown["names.0"] == "укажите хотя бы имя или фамилию"
    assert field_errors(error)["password"] == "must be at least 10 characters"  # English again


def test_a_broken_translation_falls_back_to_english(monkeypatch):
    class Broken:
        def gettext(self, message: str) -> str:
            return "сломано: %(nope)s"

    monkeypatch.setattr(i18n, "translations", lambda locale: Broken())
    assert i18n.translate("must be at least %(min)d characters", {"min": 10}) == (
        "must be at least 10 characters"
    )


# --- pages ------------------------------------------------------------------------------------

HEADER = re.compile(r'<header class="topbar">.*?</header>', re.S)
BUTTON = re.compile(
    r"<button\b[^>]*>(.*?)</button>|<a\b[^>]*class=\"button[^\"]*\"[^>]*>(.*?)</a>", re.S
)


def visible_labels(page: str) -> list[str]:
    """The texts of the top bar's links and of every button on a page."""
    texts = [TAG.sub(" ", m.group(0)) for m in HEADER.finditer(page)]
    texts += [TAG.sub(" ", a or b) for a, b in BUTTON.findall(page)]
    return [" ".join(html.unescape(t).split()) for t in texts]


def assert_no_english_labels(page: str) -> None:
    labels = visible_labels(page)
    for english in KEY_LABELS:
        for text in labels:
            assert not re.search(rf"(?<![\w+]){re.escape(english)}(?!\w)", text), (english, text)


EXPECTED = {
    "ru": {
        "persons": ["Люди", "Зарегистрировать человека", "Выйти", "Имя, любым алфавитом"],
        "form": ["Исправьте отмеченные ниже поля.", "месяц 13 — не число от 1 до 12", "Сохранить"],
        "place": ["Населённый пункт", "Находится в", "Открыть на большой карте", "Координаты"],
        "map": ["Карта мест", "Загрузка…", "Типы мест", "Приблизить"],
    },
    "ar": {
        "persons": ["الأشخاص", "تسجيل شخص", "تسجيل الخروج", "الاسم، بأي نظام كتابة"],
        "form": ["يرجى تصحيح الحقول المشار إليها أدناه.", "الشهر 13 ليس بين 1 و12", "حفظ"],
        "place": ["تجمّع سكني", "يقع ضمن", "فتح على الخريطة الكبيرة", "الإحداثيات"],
        "map": ["خريطة الأماكن", "جارٍ التحميل…", "أنواع الأماكن", "تكبير"],
    },
}


@pytest.mark.parametrize("locale", LOCALES)
def test_pages_in_another_language(login, make, locale):
    ui = login(Role.REGISTRAR)
    country = make.place("DM", PlaceType.COUNTRY, name="Demoland")
    town = make.place("DM-T", PlaceType.SETTLEMENT, country.id, "Townsville", 40.5, 45.5)
    expected = EXPECTED[locale]
    lang = {"lang": locale}

    persons = ui.get("/persons", params=lang)
    assert persons.status_code == 200
    assert f'<html lang="{locale}"' in persons.text
    for text in expected["persons"]:
        assert text in persons.text, text
    assert_no_english_labels(persons.text)

    form = ui.post_form(
        "/persons/new", {"names.0.family_name": "Ivanov", "birth_date": "1957-13"}, params=lang
    )
    assert form.status_code == 422
    for text in expected["form"]:
        assert text in form.text, text
    assert "is not between" not in form.text
    assert_no_english_labels(form.text)

    place = ui.get(f"/places/{town.id}", params=lang)
    assert place.status_code == 200
    for text in expected["place"]:
        assert text in place.text, text
    assert "Townsville" in place.text and "Demoland" in place.text
    assert_no_english_labels(place.text)

    page = ui.get("/map", params=lang)
    assert page.status_code == 200
    for text in expected["map"]:
        assert text in html.unescape(page.text), text
    assert_no_english_labels(page.text)

    missing = ui.get("/persons/no-such-id", params=lang)
    assert missing.status_code == 404
    assert {"ru": "Не найдено", "ar": "غير موجود"}[locale] in missing.text
    assert {"ru": "такого человека нет", "ar": "لا يوجد شخص كهذا"}[locale] in missing.text
    assert "Not found" not in missing.text
