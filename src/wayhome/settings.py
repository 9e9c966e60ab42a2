"""Settings of one wayhome installation, read from `WAYHOME_*` environment variables (never at import time)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set; each field is documented in docs/guide/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="WAYHOME_", extra="ignore")

    data_dir: Path = Field(
        default=Path("wayhome-data"),
        description="Folder for the embedded SQLite database and the instance secret.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of a PostgreSQL database; when unset, SQLite in data_dir is used.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Key that signs session cookies; when unset, one is generated into data_dir.",
    )
    default_locale: str = Field(default="en", description="Interface language for new visitors.")
    session_max_age: int = Field(
        default=8 * 3600, description="Seconds a UI login lasts without activity."
    )
    login_max_failures: int = Field(
        default=5, description="Failed logins per account or address allowed in the window."
    )
    login_window_seconds: int = Field(
        default=900, description="Length of the login rate-limit window in seconds."
    )
    secure_cookies: bool = Field(
        default=False, description="Send cookies only over HTTPS (set true behind TLS)."
    )
    page_size: int = Field(default=25, description="Rows per page in lists.")

    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to SQLite in the data directory."""
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            return url
        return f"sqlite:///{(self.data_dir / 'wayhome.sqlite3').resolve()}"

    def resolved_secret_key(self) -> str:
        """Return the session-signing key, creating and keeping one in data_dir if none is set."""
        if self.secret_key:
            return self.secret_key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (cached; tests clear the cache)."""
    return Settings()
