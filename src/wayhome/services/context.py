"""Who is acting (the actor) and the open installation (engine, sessions, instance id)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from wayhome.core.errors import WayhomeError
from wayhome.core.ids import new_instance_id
from wayhome.core.vocab import Role
from wayhome.settings import Settings
from wayhome.store import migrate
from wayhome.store.db import make_engine, make_session_factory, transaction
from wayhome.store.tables import InstanceMeta


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a service runs; `ip` is kept in the audit log."""

    user_id: str | None
    username: str
    full_name: str
    role: Role
    organisation_id: str | None
    ip: str | None = None

    @property
    def label(self) -> str:
        """Return how this actor is named in history."""
        return f"{self.full_name} ({self.username})"


def system_actor(organisation_id: str | None = None) -> Actor:
    """Return the actor used by command-line maintenance such as imports and the demo loader."""
    return Actor(None, "system", "wayhome command line", Role.ADMIN, organisation_id)


class SchemaOutOfDate(WayhomeError):
    """The database is not at the schema this version of wayhome needs."""


@dataclass
class Wayhome:
    """An open installation: settings, engine, session factory and this instance's id."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    instance_id: str

    def transaction(self):  # type: ignore[no-untyped-def]
        """Open a transaction that commits on success and rolls back on error."""
        return transaction(self.sessions)

    def read(self) -> Session:
        """Open a session for reading only."""
        return self.sessions()

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def open_wayhome(settings: Settings, *, upgrade: bool = False) -> Wayhome:
    """Connect to the configured database, optionally migrate it, and load the instance id."""
    engine = make_engine(settings.resolved_database_url())
    if upgrade:
        migrate.upgrade(engine)
    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        engine.dispose()
        raise SchemaOutOfDate(
            f"the database is at schema {current or 'none'} but wayhome needs {head}: "
            "run 'wayhome db upgrade'"
        )
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        instance_id = ensure_instance_id(session)
    return Wayhome(settings, engine, sessions, instance_id)


def ensure_instance_id(session: Session) -> str:
    """Return this installation's id, creating it on first use."""
    row = session.scalar(select(InstanceMeta).where(InstanceMeta.key == "instance_id"))
    if row is None:
        row = InstanceMeta(key="instance_id", value=new_instance_id())
        session.add(row)
        session.flush()
    return row.value
