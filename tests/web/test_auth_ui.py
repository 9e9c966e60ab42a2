"""Login redirects stay on this site; the language follows choice, account, browser, then settings."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.web.conftest import csrf_of
from wayhome.core.vocab import Role


@pytest.mark.parametrize(
    "target", ["//evil.example", "/\\evil.example", "https://evil.example", "evil", ""]
)
def test_login_never_redirects_off_site(anon, make, target):
    user = make.user(Role.VIEWER)
    token = csrf_of(anon.get("/login").text)
    response = anon.post(
        "/login",
        data={"csrf_token": token, "username": user.username, "password": PASSWORD, "next": target},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_login_keeps_a_local_next(anon, make):
    user = make.user(Role.VIEWER)
    token = csrf_of(anon.get("/login").text)
    response = anon.post(
        "/login",
        data={
            "csrf_token": token,
            "username": user.username,
            "password": PASSWORD,
            "next": "/places?q=a",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/places?q=a"


def test_default_locale_setting_applies_when_the_browser_says_nothing(app, anon, monkeypatch):
    monkeypatch.setattr(app.state.wayhome.settings, "default_locale", "ar")
    page = anon.get("/login", headers={"Accept-Language": ""})
    assert 'dir="rtl"' in page.text


def test_wrong_password_is_refused_and_audited(anon, make, wayhome):
    user = make.user(Role.VIEWER)
    token = csrf_of(anon.get("/login").text)
    response = anon.post(
        "/login",
        data={"csrf_token": token, "username": user.username, "password": "wrong password"},
    )
    assert response.status_code == 401
    assert "Wrong username or password" in response.text
