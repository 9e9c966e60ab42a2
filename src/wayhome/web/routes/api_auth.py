"""API authentication: exchange a username and password for a bearer token."""

from fastapi import APIRouter, HTTPException, Request, status

from wayhome.services import accounts
from wayhome.web.deps import WayhomeDep, client_ip
from wayhome.web.schemas import TokenOut, TokenRequest

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenOut, status_code=201)
def create_token(body: TokenRequest, request: Request, wayhome: WayhomeDep) -> TokenOut:
    """Log in and receive a new API token (rate-limited like the login page)."""
    user = accounts.authenticate(wayhome, body.username, body.password, client_ip(request))
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong username or password")
    token, secret = accounts.create_token(wayhome, accounts.actor_for(user), body.name)
    return TokenOut(token=secret, name=token.name)
