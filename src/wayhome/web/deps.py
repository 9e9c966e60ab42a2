"""Dependencies of the routes: the installation, the current actor (session or token), CSRF."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wayhome.core.errors import invalid
from wayhome.services import accounts
from wayhome.services.context import Actor, Wayhome
from wayhome.store.tables import User

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def get_wayhome(request: Request) -> Wayhome:
    """Return the installation opened when the app started."""
    return request.app.state.wayhome  # type: ignore[no-any-return]


WayhomeDep = Annotated[Wayhome, Depends(get_wayhome)]


def client_ip(request: Request) -> str | None:
    """Return the caller's address as seen by the server."""
    return request.client.host if request.client else None


class LoginRequired(Exception):
    """Raised by UI dependencies when nobody is logged in; the app redirects to the login page."""


def session_user(request: Request) -> User | None:
    """Return the user logged in through the session cookie, if any and still active."""
    user_id = request.session.get("user_id")
    if not user_id:
        return None
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    user = accounts.get_user(get_wayhome(request), user_id)
    if user is None:
        request.session.clear()
        return None
    request.state.user = user
    return user


def ui_actor(request: Request) -> Actor:
    """Return the actor of a logged-in UI user, or send the browser to the login page."""
    user = session_user(request)
    if user is None:
        raise LoginRequired()
    return accounts.actor_for(user, client_ip(request))


UIActor = Annotated[Actor, Depends(ui_actor)]

_bearer = HTTPBearer(
    auto_error=False, description="An API token created under Account → API tokens."
)


def api_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """Return the actor of an API call authenticated with a bearer token."""
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "send an API token: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = accounts.user_for_token(get_wayhome(request), credentials.credentials)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "the API token is unknown or revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return accounts.actor_for(user, client_ip(request))


APIActor = Annotated[Actor, Depends(api_actor)]


def csrf_token(request: Request) -> str:
    """Return this session's CSRF token, creating one on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token  # type: ignore[no-any-return]


class CSRFFailed(Exception):
    """A state-changing UI request came without this session's CSRF token."""


async def check_csrf(request: Request) -> None:
    """Refuse a UI form post unless it carries the session's CSRF token (form field or header)."""
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise CSRFFailed()


CSRFChecked = Depends(check_csrf)


def parse_bbox(bbox: str | None) -> tuple[float, float, float, float] | None:
    """Parse a ``bbox`` query parameter (``west,south,east,north``) or raise a 422 naming it."""
    if not bbox:
        return None
    try:
        west, south, east, north = (float(x) for x in bbox.split(","))
    except ValueError:
        raise invalid(("query", "bbox"), "give four numbers: west,south,east,north") from None
    return west, south, east, north
