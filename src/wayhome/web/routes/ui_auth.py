"""Log in and out, the start page, and the user's own account (API tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wayhome.core.errors import RateLimited, ValidationFailed
from wayhome.services import accounts, households, persons, places
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep, check_csrf, client_ip, session_user
from wayhome.web.i18n import gettext as _
from wayhome.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect a freshly logged-in user to another site.
    # Browsers read "/\\host" as "//host", so a backslash is refused as well.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    if session_user(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    wayhome: WayhomeDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        user = accounts.authenticate(wayhome, username, password, client_ip(request))
    except RateLimited:
        message = _("Too many failed logins. Wait a few minutes and try again.")
        return render(request, "login.html", {"message": message, "username": username}, 429)
    if user is None:
        message = _("Wrong username or password.")
        return render(request, "login.html", {"message": message, "username": username}, 401)
    request.session.clear()  # a new session on login: no fixation of an earlier one
    request.session["user_id"] = user.id
    if user.locale:
        request.session["locale"] = user.locale
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[CSRFChecked])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def home(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    stats = {
        "persons": persons.search_persons(wayhome, actor, per_page=1).total,
        "households": households.search_households(wayhome, actor, per_page=1).total,
        "places": places.search_places(wayhome, actor, per_page=1).total,
    }
    return render(request, "home.html", {"stats": stats, "instance_id": wayhome.instance_id})


@router.get("/account")
def account(request: Request, wayhome: WayhomeDep, actor: UIActor) -> Response:
    tokens = accounts.list_tokens(wayhome, actor)
    return render(request, "account.html", {"tokens": tokens, "section": "account"})


@router.post("/account/tokens", dependencies=[CSRFChecked])
def new_token(
    request: Request, wayhome: WayhomeDep, actor: UIActor, name: Annotated[str, Form()] = ""
) -> Response:
    try:
        _token, secret = accounts.create_token(wayhome, actor, name)
    except ValidationFailed as error:
        tokens = accounts.list_tokens(wayhome, actor)
        return render(request, "account.html", {"tokens": tokens, "error": error}, 422)
    tokens = accounts.list_tokens(wayhome, actor)
    return render(request, "account.html", {"tokens": tokens, "new_secret": secret})


@router.post("/account/tokens/{token_id}/revoke", dependencies=[CSRFChecked])
def revoke_token(token_id: str, wayhome: WayhomeDep, actor: UIActor) -> Response:
    accounts.revoke_token(wayhome, actor, token_id)
    return RedirectResponse("/account", status_code=303)
