"""Errors raised by the domain and service layers, mapped to HTTP and CLI messages by the callers.

Messages are English templates marked with `N_` (see `wayhome.core.messages`); the values they
mention travel separately in `params`, so the UI can translate the template and then fill it in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from wayhome.core.messages import format_message


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field; `loc` is the path to the field, e.g. ("names", 0, "given_name").

    `msg` is a constant English template such as ``"must be at least %(min)d characters"`` and
    `params` holds its values; `text()` (and `str()`) give the English message.
    """

    loc: tuple[str | int, ...]
    msg: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def path(self) -> str:
        """Return the dotted path of the field, e.g. ``names.0.given_name``."""
        return ".".join(str(part) for part in self.loc)

    def text(self) -> str:
        """Return the English message with its values filled in."""
        return format_message(self.msg, self.params)

    def __str__(self) -> str:
        return self.text()


class WayhomeError(Exception):
    """Base of every error wayhome raises on purpose.

    The message may be a template with ``%(name)s`` placeholders whose values are in `params`;
    `str()` fills them in, and the UI translates `template` before filling them in.
    """

    def __init__(self, message: str = "", params: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.template = message
        self.params: dict[str, object] = dict(params or {})

    def __str__(self) -> str:
        return format_message(self.template, self.params)


@dataclass
class ValidationFailed(WayhomeError):
    """Input was rejected before anything was written; `errors` says what and where."""

    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.path() or 'input'}: {e.text()}" for e in self.errors)

    def for_field(self, name: str) -> str | None:
        """Return the first (English) message for a top-level field name, or None."""
        error = self.error_for(name)
        return error.text() if error else None

    def error_for(self, name: str) -> FieldError | None:
        """Return the first error of a top-level field name, or None."""
        for error in self.errors:
            if error.loc and error.loc[0] == name:
                return error
        return None


def invalid(
    field_name: str | tuple[str | int, ...], msg: str, params: Mapping[str, object] | None = None
) -> ValidationFailed:
    """Build a ValidationFailed for a single field."""
    loc = field_name if isinstance(field_name, tuple) else (field_name,)
    return ValidationFailed([FieldError(loc, msg, dict(params or {}))])


class InvalidValue(ValueError):
    """A ValueError whose message is a template with values, raised by validators of inputs.

    Pydantic wraps it in a ``value_error``; `parse_input` turns it back into a FieldError that
    keeps the template and the values apart.
    """

    def __init__(self, template: str, params: Mapping[str, object] | None = None) -> None:
        self.template = template
        self.params: dict[str, object] = dict(params or {})
        super().__init__(format_message(template, self.params))


class NotFound(WayhomeError):
    """The record does not exist, or the caller may not know that it exists."""


class PermissionDenied(WayhomeError):
    """The caller's role or organisation does not allow this action."""


class Conflict(WayhomeError):
    """The record changed since the caller read it (optimistic locking) or a unique value is taken."""


class RateLimited(WayhomeError):
    """Too many attempts; try again later."""
