"""Pages of results for lists and search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of items, with enough to draw a pager."""

    items: list[T]
    total: int
    page: int
    per_page: int
    total_capped: bool = False  # there are more than ``total`` (counted only up to a limit)

    @property
    def pages(self) -> int:
        """Return the number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        """Tell whether a next page exists."""
        return self.page < self.pages or self.total_capped


def paginate(session: Session, query: Select[Any], page: int, per_page: int) -> Page[Any]:
    """Run a select for one page and count the whole result."""
    page = max(page, 1)
    per_page = min(max(per_page, 1), 500)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items, total, page, per_page)
