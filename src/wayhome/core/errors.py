"""Errors raised by the domain and service layers, mapped to HTTP and CLI messages by the callers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field; `loc` is the path to the field, e.g. ("names", 0, "given_name")."""

    loc: tuple[str | int, ...]
    msg: str

    def path(self) -> str:
        """Return the dotted path of the field, e.g. ``names.0.given_name``."""
        return ".".join(str(part) for part in self.loc)


class WayhomeError(Exception):
    """Base of every error wayhome raises on purpose."""


@dataclass
class ValidationFailed(WayhomeError):
    """Input was rejected before anything was written; `errors` says what and where."""

    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.path() or 'input'}: {e.msg}" for e in self.errors)

    def for_field(self, name: str) -> str | None:
        """Return the first message for a top-level field name, or None."""
        for error in self.errors:
            if error.loc and error.loc[0] == name:
                return error.msg
        return None


def invalid(field_name: str | tuple[str | int, ...], msg: str) -> ValidationFailed:
    """Build a ValidationFailed for a single field."""
    loc = field_name if isinstance(field_name, tuple) else (field_name,)
    return ValidationFailed([FieldError(loc, msg)])


class NotFound(WayhomeError):
    """The record does not exist, or the caller may not know that it exists."""


class PermissionDenied(WayhomeError):
    """The caller's role or organisation does not allow this action."""


class Conflict(WayhomeError):
    """The record changed since the caller read it (optimistic locking) or a unique value is taken."""


class RateLimited(WayhomeError):
    """Too many attempts; try again later."""
