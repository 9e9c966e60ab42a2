"""The tables of wayhome. Names are kept as recorded; history and audit live in their own tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from wayhome.core.ids import new_id
from wayhome.store.types import JSONType, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints the same everywhere."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType}


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


class Record:
    """Columns every registry record carries: identity, provenance, optimistic version, soft delete."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    origin_instance: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("organisations.id"), index=True
    )
    source: Mapped[str | None] = mapped_column(String(300))
    recorded_by_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class InstanceMeta(Base):
    """Key/value facts about this installation, such as its instance id."""

    __tablename__ = "instance_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Organisation(Base):
    """An NGO, agency or authority whose staff record data."""

    __tablename__ = "organisations"
    id: Mapped[str] = _id()
    origin_instance: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    """An account; belongs to one organisation and has one role."""

    __tablename__ = "users"
    id: Mapped[str] = _id()
    origin_instance: Mapped[str] = mapped_column(String(40))
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = _id()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Place(Record, Base):
    """A gazetteer entry: a country, region, district, settlement or site, with a P-code."""

    __tablename__ = "places"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    display_name: Mapped[str] = mapped_column(String(200))
    search_text: Mapped[str] = mapped_column(Text, default="")
    names: Mapped[list[PlaceName]] = relationship(
        cascade="all, delete-orphan", order_by="PlaceName.position", lazy="selectin"
    )
    parent: Mapped[Place | None] = relationship(remote_side="Place.id", lazy="joined", join_depth=1)


class PlaceName(Base):
    """One name of a place, in one language and script."""

    __tablename__ = "place_names"
    id: Mapped[str] = _id()
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str | None] = mapped_column(String(12))
    script: Mapped[str] = mapped_column(String(4))
    folded: Mapped[str] = mapped_column(String(200), index=True)


class Person(Record, Base):
    """A person as registered; names as recorded live in PersonName."""

    __tablename__ = "persons"
    sex: Mapped[str] = mapped_column(String(1), default="U")
    birth_date: Mapped[str | None] = mapped_column(String(10))
    birth_date_precision: Mapped[str] = mapped_column(String(8), default="unknown")
    birth_year: Mapped[int | None] = mapped_column(Integer, index=True)
    birth_place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"))
    birth_place_text: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    display_name: Mapped[str] = mapped_column(String(300))
    # Set when a reviewer decided this record is the same person as another (the one kept);
    # the record itself stays, with its names, households and events (services/duplicates.py).
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"), index=True)
    names: Mapped[list[PersonName]] = relationship(
        cascade="all, delete-orphan", order_by="PersonName.position", lazy="selectin"
    )
    birth_place: Mapped[Place | None] = relationship(lazy="joined")


class PersonName(Base):
    """One name of a person exactly as recorded, with its script and kind."""

    __tablename__ = "person_names"
    id: Mapped[str] = _id()
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20), default="primary")
    given_name: Mapped[str | None] = mapped_column(String(120))
    family_name: Mapped[str | None] = mapped_column(String(120))
    patronymic: Mapped[str | None] = mapped_column(String(120))
    script: Mapped[str] = mapped_column(String(4))
    lang: Mapped[str | None] = mapped_column(String(12))
    folded: Mapped[str] = mapped_column(String(400), index=True)


class Household(Record, Base):
    """A household: its members, where it comes from, where it is, what it needs and intends."""

    __tablename__ = "households"
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    origin_place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"), index=True)
    current_place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"), index=True)
    address_text: Mapped[str | None] = mapped_column(String(300))
    return_intention: Mapped[str] = mapped_column(String(20), default="unknown")
    needs: Mapped[list[str]] = mapped_column(JSONType, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    members: Mapped[list[HouseholdMember]] = relationship(
        cascade="all, delete-orphan", order_by="HouseholdMember.position", lazy="selectin"
    )
    origin_place: Mapped[Place | None] = relationship(foreign_keys=[origin_place_id], lazy="joined")
    current_place: Mapped[Place | None] = relationship(
        foreign_keys=[current_place_id], lazy="joined"
    )


class HouseholdMember(Base):
    """A person's membership of a household and their relationship to its head."""

    __tablename__ = "household_members"
    __table_args__ = (UniqueConstraint("household_id", "person_id"),)
    id: Mapped[str] = _id()
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    relationship_to_head: Mapped[str] = mapped_column(String(20))
    person: Mapped[Person] = relationship(lazy="joined")


class DisplacementEvent(Record, Base):
    """One displacement of a person: from where, when, to where, and their status now."""

    __tablename__ = "displacement_events"
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    household_id: Mapped[str | None] = mapped_column(ForeignKey("households.id"), index=True)
    origin_place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"), index=True)
    displaced_on: Mapped[str | None] = mapped_column(String(10))
    displaced_on_precision: Mapped[str] = mapped_column(String(8), default="unknown")
    current_place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"), index=True)
    current_location_text: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(24), index=True)
    status_date: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    origin_place: Mapped[Place | None] = relationship(foreign_keys=[origin_place_id], lazy="joined")
    current_place: Mapped[Place | None] = relationship(
        foreign_keys=[current_place_id], lazy="joined"
    )


class RecordShare(Base):
    """A record made visible to another organisation (organisation_id NULL: to every organisation)."""

    __tablename__ = "record_shares"
    __table_args__ = (UniqueConstraint("entity_type", "entity_id", "organisation_id"),)
    id: Mapped[str] = _id()
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))


class RecordVersion(Base):
    """A full snapshot of a record after each change, with the fields that changed."""

    __tablename__ = "record_versions"
    __table_args__ = (
        UniqueConstraint("entity_type", "entity_id", "version"),
        Index("ix_record_versions_entity", "entity_type", "entity_id"),
    )
    id: Mapped[str] = _id()
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    changed_by_name: Mapped[str] = mapped_column(String(200))
    origin_instance: Mapped[str] = mapped_column(String(40))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONType)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType)


class AuditEvent(Base):
    """Who did what to which record and when: every change, every view of a person, every login."""

    __tablename__ = "audit_events"
    id: Mapped[str] = _id()
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    action: Mapped[str] = mapped_column(String(32), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


import wayhome.store.tables_heritage  # noqa: E402,F401
from wayhome.store import (  # noqa: E402,F401
    tables_contamination,  # noqa: E402,F401
    tables_readiness,
    tables_review,
    tables_search,
)
