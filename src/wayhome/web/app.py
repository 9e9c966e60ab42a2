"""The FastAPI application: API, UI, static files, sessions, languages and error pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response

from wayhome import __version__
from wayhome.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
    WayhomeError,
)
from wayhome.core.messages import N_
from wayhome.services.context import Wayhome, open_wayhome
from wayhome.settings import Settings, get_settings
from wayhome.web import i18n
from wayhome.web.deps import CSRFFailed, LoginRequired
from wayhome.web.routes import api, ui
from wayhome.web.templating import message, render

STATIC = Path(__file__).resolve().parent / "static"
LANG_COOKIE = "wayhome_lang"


def create_app(settings: Settings | None = None, wayhome: Wayhome | None = None) -> FastAPI:
    """Build the application for one installation (opened at start-up unless given)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = wayhome is None
        app.state.wayhome = wayhome or open_wayhome(settings)
        yield
        if owned:
            app.state.wayhome.close()

    app = FastAPI(
        title="wayhome",
        version=__version__,
        description="Registry of displaced persons and households, linked by place. "
        "Authenticate with `Authorization: Bearer <API token>`.",
        lifespan=lifespan,
        docs_url=None,  # served below from vendored assets: the default page loads them from a CDN
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        swagger_ui_parameters={"tryItOutEnabled": False},
    )
    if wayhome is not None:
        app.state.wayhome = wayhome

    @app.middleware("http")
    async def language(request: Request, call_next: Any) -> Response:
        chosen = request.query_params.get("lang")
        # An explicit choice, then the remembered one, then the account's, then the browser's.
        locale = (
            chosen
            or request.cookies.get(LANG_COOKIE)
            or request.session.get("locale")
            or i18n.negotiate(request.headers.get("accept-language"), settings.default_locale)
        )
        i18n.set_locale(locale)
        response: Response = await call_next(request)
        if chosen in i18n.LANGUAGES:
            response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret_key(),
        session_cookie="wayhome_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> Response:
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="wayhome API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/img/favicon.svg",
            swagger_ui_parameters={"tryItOutEnabled": False},
        )

    app.include_router(api.router)
    app.include_router(ui.router)
    _install_error_handlers(app)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ValidationFailed)
    async def _invalid(request: Request, exc: ValidationFailed) -> Response:
        detail = [
            {
                "loc": list(e.loc) if e.loc and e.loc[0] in ("query", "path") else ["body", *e.loc],
                "msg": e.text(),
                "type": "value_error",
            }
            for e in exc.errors
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422)

    def _simple(code: int, title: str, explanation: str):  # type: ignore[no-untyped-def]
        async def handler(request: Request, exc: Exception) -> Response:
            if _is_api(request):
                return JSONResponse({"detail": str(exc)}, status_code=code)
            context = {
                "code": code,
                "title": i18n.gettext(title),
                "explanation": i18n.gettext(explanation),
                "message": message(exc) if isinstance(exc, WayhomeError) else str(exc),
            }
            return render(request, "error.html", context, code)

        return handler

    app.add_exception_handler(
        NotFound,
        _simple(404, N_("Not found"), N_("The record does not exist, or you may not see it.")),
    )
    app.add_exception_handler(
        PermissionDenied,
        _simple(403, N_("Not allowed"), N_("Your role does not allow this.")),
    )
    app.add_exception_handler(
        Conflict,
        _simple(
            409,
            N_("Conflict"),
            N_("The record could not be saved as it is. Nothing was changed."),
        ),
    )
    app.add_exception_handler(
        RateLimited,
        _simple(429, N_("Too many attempts"), N_("Wait a few minutes and try again.")),
    )

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(CSRFFailed)
    async def _csrf(request: Request, exc: CSRFFailed) -> Response:
        return render(
            request,
            "error.html",
            {
                "code": 403,
                "title": i18n.gettext(N_("Form expired")),
                "explanation": i18n.gettext(
                    N_(
                        "The form was sent without a valid security token. "
                        "Reload the page and try again."
                    )
                ),
            },
            403,
        )
