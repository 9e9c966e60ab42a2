"""Shared fixtures: a fresh database per test on SQLite (default) or PostgreSQL, and tiny factories.

Set WAYHOME_TEST_DATABASE_URL to run the same tests against PostgreSQL; `make test` does both passes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from wayhome.core.vocab import PlaceType, Role
from wayhome.services import accounts, places
from wayhome.services.context import Actor, Wayhome, open_wayhome, system_actor
from wayhome.services.inputs import PlaceInput, PlaceNameInput
from wayhome.settings import Settings, get_settings
from wayhome.store import migrate
from wayhome.store.db import make_engine
from wayhome.store.tables import Base

PG_URL = os.environ.get("WAYHOME_TEST_DATABASE_URL")
KEEP = {"alembic_version", "instance_meta"}


def pytest_report_header() -> str:
    return f"wayhome database backend: {'postgresql' if PG_URL else 'sqlite'}"


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Migrate once per run: a SQLite file to copy, or the PostgreSQL test database itself."""
    if PG_URL:
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        migrate.upgrade(engine)
        engine.dispose()
        return None
    path = tmp_path_factory.mktemp("template") / "wayhome.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def settings(tmp_path: Path, _template: Path | None, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for an isolated installation in tmp_path."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    monkeypatch.setenv("WAYHOME_DATA_DIR", str(data_dir))
    if PG_URL:
        monkeypatch.setenv("WAYHOME_DATABASE_URL", PG_URL)
    else:
        monkeypatch.delenv("WAYHOME_DATABASE_URL", raising=False)
        assert _template is not None
        shutil.copy(_template, data_dir / "wayhome.sqlite3")
    monkeypatch.setenv("WAYHOME_SECRET_KEY", "test-secret-key-for-signing-cookies")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def wayhome(settings: Settings) -> Iterator[Wayhome]:
    """An open installation with an empty, migrated database."""
    wh = open_wayhome(settings)
    yield wh
    if PG_URL:
        tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP]
        with wh.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
    wh.close()


PASSWORD = "correct horse battery"


class Factory:
    """Tiny builders of organisations, users, actors and places for tests."""

    def __init__(self, wayhome: Wayhome) -> None:
        self.wayhome = wayhome
        self._n = 0

    def org(self, code: str = "ORG1", name: str | None = None) -> str:
        return accounts.ensure_organisation(self.wayhome, name or f"Organisation {code}", code).id

    def user(
        self, role: Role | str = Role.ADMIN, org_code: str = "ORG1", username: str | None = None
    ):
        self._n += 1
        org_id = self.org(org_code)
        return accounts.create_user(
            self.wayhome,
            system_actor(),
            username=username or f"{Role(role).value}{self._n}",
            full_name=f"Test {Role(role).value} {self._n}",
            password=PASSWORD,
            role=Role(role).value,
            organisation_id=org_id,
        )

    def actor(self, role: Role | str = Role.ADMIN, org_code: str = "ORG1") -> Actor:
        return accounts.actor_for(self.user(role, org_code))

    def place(
        self,
        code: str = "DM",
        type: PlaceType = PlaceType.COUNTRY,
        parent_id=None,
        name=None,
        lat: float | None = 40.0,
        lon: float | None = 45.0,
        extra_names: tuple[str, ...] = (),
    ):
        data = PlaceInput(
            code=code,
            type=type,
            parent_id=parent_id,
            lat=lat,
            lon=lon,
            names=[
                PlaceNameInput(name=name or f"Place {code}"),
                *(PlaceNameInput(name=n) for n in extra_names),
            ],
        )
        return places.create_place(self.wayhome, system_actor(), data)


@pytest.fixture
def make(wayhome: Wayhome) -> Factory:
    """Factories bound to the test's installation."""
    return Factory(wayhome)
