"""Tables of the cultural heritage register: sites, their names in several scripts, assessments.

Imported at the end of `wayhome.store.tables`, so the tables belong to the same metadata (and
Alembic sees them) wherever `Base` is used.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wayhome.store.tables import Base, Place, Record, _id
from wayhome.store.types import JSONType


class HeritageSite(Record, Base):
    """A heritage place: what it is, of which period and community, where, and how protected.

    `lat`/`lon` is a point (WGS 84) and `polygon` an optional GeoJSON Polygon or MultiPolygon
    (as text, validated before it is stored). When `sensitive` is set the exact location is
    shown only to roles with ``heritage.exact_location``; see `wayhome.services.heritage`.
    """

    __tablename__ = "heritage_sites"
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    period: Mapped[str] = mapped_column(String(32), default="unknown")
    community: Mapped[str | None] = mapped_column(String(200))
    designation: Mapped[str] = mapped_column(String(32), default="unknown")
    place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    polygon: Mapped[str | None] = mapped_column(Text)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    display_name: Mapped[str] = mapped_column(String(200))
    search_text: Mapped[str] = mapped_column(Text, default="")
    names: Mapped[list[HeritageSiteName]] = relationship(
        cascade="all, delete-orphan", order_by="HeritageSiteName.position", lazy="selectin"
    )
    place: Mapped[Place | None] = relationship(lazy="joined")


class HeritageSiteName(Base):
    """One name of a heritage site, in one language and script, as recorded."""

    __tablename__ = "heritage_site_names"
    id: Mapped[str] = _id()
    site_id: Mapped[str] = mapped_column(ForeignKey("heritage_sites.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str | None] = mapped_column(String(12))
    script: Mapped[str] = mapped_column(String(4))
    folded: Mapped[str] = mapped_column(String(200), index=True)


class HeritageAssessment(Record, Base):
    """One condition assessment of a site, as observed on a (partial) date by some method."""

    __tablename__ = "heritage_assessments"
    site_id: Mapped[str] = mapped_column(ForeignKey("heritage_sites.id"), index=True)
    observed_on: Mapped[str] = mapped_column(String(10))
    observed_on_precision: Mapped[str] = mapped_column(String(8))
    assessed_on: Mapped[str] = mapped_column(String(10))
    assessed_on_precision: Mapped[str] = mapped_column(String(8))
    method: Mapped[str] = mapped_column(String(24))
    overall_condition: Mapped[str] = mapped_column(String(16), index=True)
    damage_extent: Mapped[str] = mapped_column(String(8), default="unknown")
    disturbances: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    recommendation: Mapped[str | None] = mapped_column(String(32))
    priority: Mapped[str | None] = mapped_column(String(16))
    assessor: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
