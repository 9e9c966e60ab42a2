"""The search index of person names: precomputed cross-script name keys (search before register).

Imported at the end of `wayhome.store.tables`, so the tables belong to the same metadata (and
Alembic sees them) wherever `Base` is used. Maintained by `services/search_index.py` in the
transaction of every person write; `wayhome search reindex` rebuilds it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wayhome.store.tables import Base
from wayhome.store.types import JSONType


class PersonNameKey(Base):
    """One posting: a person carries a blocking key of one kind (e.g. family+given sound key)."""

    __tablename__ = "person_name_keys"
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), primary_key=True, index=True)


class NameKeyCount(Base):
    """How many indexed persons carry a key: the rarity of a posting list and the term frequency
    of a name (kind ``*``, key ``*`` counts the indexed persons)."""

    __tablename__ = "name_key_counts"
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    persons: Mapped[int] = mapped_column(Integer)


class PersonMatchFeatures(Base):
    """A person's comparison features (keys of all their names, canonical keys, date parts),
    computed once at write time so that scoring a candidate needs no transliteration."""

    __tablename__ = "person_match_features"
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    rules: Mapped[int] = mapped_column(Integer)
    features: Mapped[dict[str, Any]] = mapped_column(JSONType)
