"""Administration pages: the organisation's accounts and the audit log (administrators only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from wayhome.core.errors import Conflict, FieldError, ValidationFailed
from wayhome.core.messages import N_
from wayhome.core.vocab import Role
from wayhome.services import accounts, audit
from wayhome.services.paging import Page
from wayhome.services.permissions import require
from wayhome.web.deps import CSRFChecked, UIActor, WayhomeDep
from wayhome.web.templating import render

router = APIRouter()
AUDIT_PAGE = 50
# Where a record named in the audit log is shown.
RECORD_PAGES = {"person": "/persons/", "household": "/households/", "place": "/places/"}
# Actions offered as suggestions in the audit filter (any action may be typed).
KNOWN_ACTIONS = (
    "view",
    "view_history",
    "create",
    "update",
    "archive",
    "restore",
    "share",
    "login",
    "login.failed",
    "user.create",
    "token.create",
    "token.revoke",
)


def _context(tab: str) -> dict[str, Any]:
    return {"section": "admin", "tab": tab, "roles": [r.value for r in Role]}


@router.get("/admin")
def admin_home() -> Response:
    return RedirectResponse("/admin/audit", status_code=303)


@router.get("/admin/users")
def list_users(
    request: Request, wayhome: WayhomeDep, actor: UIActor, created: str | None = None
) -> Response:
    users = accounts.list_users(wayhome, actor)
    new_user = next((u for u in users if created and u.username == created), None)
    return render(
        request, "admin/users.html", {"users": users, "new_user": new_user, **_context("users")}
    )


def _user_form(
    request: Request, values: dict[str, Any], error: ValidationFailed | None, status_code: int
) -> Response:
    return render(
        request,
        "admin/user_form.html",
        {"values": values, "error": error, **_context("users")},
        status_code,
    )


@router.get("/admin/users/new")
def new_user(request: Request, actor: UIActor) -> Response:
    require(actor, "user.manage")
    return _user_form(request, {"role": Role.REGISTRAR.value}, None, 200)


@router.post("/admin/users/new", dependencies=[CSRFChecked])
def create_user(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    username: Annotated[str, Form()] = "",
    full_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
) -> Response:
    require(actor, "user.manage")
    values = {"username": username, "full_name": full_name, "role": role}
    try:
        user = accounts.create_user(
            wayhome,
            actor,
            username=username,
            full_name=full_name,
            password=password,
            role=role,
            organisation_id=actor.organisation_id or "",
        )
    except ValidationFailed as error:
        return _user_form(request, values, error, 422)
    except Conflict:
        error = ValidationFailed([FieldError(("username",), N_("this username is taken"))])
        return _user_form(request, values, error, 409)
    return RedirectResponse(f"/admin/users?created={user.username}", status_code=303)


@router.get("/admin/audit")
def audit_log(
    request: Request,
    wayhome: WayhomeDep,
    actor: UIActor,
    username: str | None = None,
    action: str | None = None,
    entity_id: str | None = None,
    page: int = 1,
) -> Response:
    page = max(page, 1)
    found = audit.audit_events(
        wayhome,
        actor,
        username=(username or "").strip().lower() or None,
        action=(action or "").strip() or None,
        entity_id=(entity_id or "").strip() or None,
        page=page,
        per_page=AUDIT_PAGE,
    )
    return render(
        request,
        "admin/audit.html",
        {
            "page": Page(found.events, found.total, page, AUDIT_PAGE),
            "username": username or "",
            "action": action or "",
            "entity_id": entity_id or "",
            "actions": KNOWN_ACTIONS,
            "record_pages": RECORD_PAGES,
            **_context("audit"),
        },
    )
