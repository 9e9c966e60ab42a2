"""Fixtures for HTTP tests: an app bound to the test installation, logged-in UI clients, API clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, Factory
from wayhome.core.vocab import Role
from wayhome.services import accounts
from wayhome.services.context import Wayhome
from wayhome.web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """Return the CSRF token embedded in a page."""
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


class UIClient(TestClient):
    """A browser-like client that remembers the page's CSRF token."""

    csrf: str = ""

    def refresh_csrf(self) -> str:
        self.csrf = csrf_of(self.get("/login").text) if not self.csrf else self.csrf
        return self.csrf

    def post_form(self, url: str, data: dict[str, object], **kwargs):  # type: ignore[no-untyped-def]
        return self.post(url, data={"csrf_token": self.refresh_csrf(), **data}, **kwargs)


@pytest.fixture
def app(wayhome: Wayhome):
    return create_app(wayhome.settings, wayhome)


@pytest.fixture
def anon(app) -> Iterator[UIClient]:
    with UIClient(app, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def login(app, make: Factory) -> Iterator[Callable[..., UIClient]]:
    """Return a function that logs a new user of a role and organisation into a fresh UI client."""
    clients: list[UIClient] = []

    def _login(role: Role | str = Role.ADMIN, org_code: str = "ORG1") -> UIClient:
        user = make.user(role, org_code)
        client = UIClient(app, base_url="http://testserver")
        client.__enter__()
        clients.append(client)
        page = client.get("/login")
        client.csrf = csrf_of(page.text)
        response = client.post(
            "/login",
            data={"csrf_token": client.csrf, "username": user.username, "password": PASSWORD},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        client.csrf = csrf_of(client.get("/").text)
        client.user = user  # type: ignore[attr-defined]
        return client

    yield _login
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def api(app, wayhome: Wayhome, make: Factory) -> Iterator[Callable[..., TestClient]]:
    """Return a function giving an API client authenticated with a token of a new user."""
    clients: list[TestClient] = []

    def _api(role: Role | str = Role.ADMIN, org_code: str = "ORG1") -> TestClient:
        user = make.user(role, org_code)
        _token, secret = accounts.create_token(wayhome, accounts.actor_for(user), "test")
        client = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
        client.__enter__()
        clients.append(client)
        client.user = user  # type: ignore[attr-defined]
        return client

    yield _api
    for client in clients:
        client.__exit__(None, None, None)
