"""Messages for people: English msgids marked for translation, with values kept apart.

The domain and service layers never translate. They mark a constant English template with `N_`
(so that ``make messages`` extracts it) and pass the values separately, e.g.
``FieldError(("password",), N_("must be at least %(min)d characters"), {"min": 10})``.
The UI translates the template into the reader's language and then fills in the values;
everything else (the API, the CLI, logs) shows `format_message` of the English template.
"""

from __future__ import annotations

from collections.abc import Mapping


def N_(message: str) -> str:
    """Mark a string for translation without translating it (gettext no-op)."""
    return message


def format_message(template: str, params: Mapping[str, object] | None = None) -> str:
    """Fill the ``%(name)s`` placeholders of a template; a template without values is kept as is."""
    if not params:
        return template
    try:
        return template % dict(params)
    except (KeyError, ValueError, TypeError):
        # A broken template (or translation) must never hide the message altogether.
        return template + " (" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")"


class Term(str):
    """A vocabulary value in a message: English shows the value, the UI its translated label."""

    __slots__ = ()


class Terms(tuple[str, ...]):
    """Several vocabulary values in a message, shown as a comma-separated list."""

    def __str__(self) -> str:
        return ", ".join(self)
