"""Steps the browser tests share: signing in, keeping a screenshot."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import PASSWORD


def shot(page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    """A full-page screenshot, kept in $WAYHOME_SCREENSHOTS when set (else the test's tmp dir)."""
    target = Path(os.environ.get("WAYHOME_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"{name}.png"), full_page=True)


def login(page, server: str, username: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the login form and wait for the home page."""
    page.goto(f"{server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
