"""Turning HTML form posts into service inputs: dotted names (``names.0.given_name``) into nested data."""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData

_INDEX = re.compile(r"^\d+$")
IGNORED = {"csrf_token", "pp_q"}


def nest(form: FormData, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Build nested dicts/lists from dotted form names; keys in `lists` collect repeated values."""
    data: dict[str, Any] = {}
    for key in form:
        if key in IGNORED:
            continue
        if key in lists:
            data[key] = [v for v in form.getlist(key) if isinstance(v, str) and v]
            continue
        value = form.get(key)
        parts = key.split(".")
        node: Any = data
        for part in parts[:-1]:
            node = node.setdefault(int(part) if _INDEX.match(part) else part, {})
        last = parts[-1]
        node[int(last) if _INDEX.match(last) else last] = value
    return _listify(data)


def _listify(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(isinstance(k, int) for k in node):
            return [_listify(node[k]) for k in sorted(node)]
        return {k: _listify(v) for k, v in node.items()}
    return node


def drop_blank_rows(
    rows: list[dict[str, Any]], keys: tuple[str, ...], keep_first: bool = True
) -> list[dict[str, Any]]:
    """Remove repeated rows whose meaningful fields are all empty (the spare rows of a form)."""
    kept = []
    for i, row in enumerate(rows):
        if (keep_first and i == 0) or any((row.get(k) or "").strip() for k in keys):
            kept.append(row)
    return kept
