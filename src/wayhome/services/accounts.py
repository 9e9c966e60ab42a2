"""Organisations, users, passwords (argon2), login with rate limiting, and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from wayhome.core.errors import Conflict, FieldError, NotFound, RateLimited, ValidationFailed
from wayhome.core.messages import N_, Terms
from wayhome.core.vocab import Role
from wayhome.services import audit
from wayhome.services.context import Actor, Wayhome
from wayhome.services.permissions import require
from wayhome.store.tables import ApiToken, AuditEvent, Organisation, User
from wayhome.store.types import utcnow

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a failed login costs the same either way.
_DUMMY_HASH = _hasher.hash("wayhome-dummy-password")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return _hasher.hash(password)


def actor_for(user: User, ip: str | None = None) -> Actor:
    """Return the actor a logged-in user acts as."""
    return Actor(user.id, user.username, user.full_name, Role(user.role), user.organisation_id, ip)


def ensure_organisation(wayhome: Wayhome, name: str, code: str) -> Organisation:
    """Return the organisation with this code, creating it if needed."""
    with wayhome.transaction() as session:
        org = session.scalar(select(Organisation).where(Organisation.code == code))
        if org is None:
            org = Organisation(name=name, code=code, origin_instance=wayhome.instance_id)
            session.add(org)
        return org


def list_organisations(wayhome: Wayhome) -> list[Organisation]:
    """Return every organisation, by name."""
    with wayhome.read() as session:
        return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def validate_user(username: str, full_name: str, password: str | None, role: str) -> None:
    """Check a new account's fields, raising ValidationFailed with every problem."""
    errors = []
    if not USERNAME.fullmatch(username):
        errors.append(
            FieldError(
                ("username",),
                N_("use 2–64 lower-case letters, digits, dots, dashes or underscores"),
            )
        )
    if not full_name.strip():
        errors.append(FieldError(("full_name",), N_("is required")))
    if password is not None and len(password) < MIN_PASSWORD:
        errors.append(
            FieldError(
                ("password",),
                N_("must be at least %(min)d characters"),
                {"min": MIN_PASSWORD},
            )
        )
    if role not in {r.value for r in Role}:
        errors.append(
            FieldError(
                ("role",),
                N_("must be one of %(choices)s"),
                {"choices": Terms(r.value for r in Role)},
            )
        )
    if errors:
        raise ValidationFailed(errors)


def create_user(
    wayhome: Wayhome,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    password: str,
    role: str,
    organisation_id: str,
    locale: str | None = None,
) -> User:
    """Create an account; administrators may create accounts only in their own organisation."""
    require(actor, "user.manage")
    if actor.user_id is not None and organisation_id != actor.organisation_id:
        raise ValidationFailed(
            [
                FieldError(
                    ("organisation_id",),
                    N_("administrators create accounts in their own organisation"),
                )
            ]
        )
    username = username.strip().lower()
    validate_user(username, full_name, password, role)
    with wayhome.transaction() as session:
        if session.get(Organisation, organisation_id) is None:
            raise ValidationFailed([FieldError(("organisation_id",), N_("no such organisation"))])
        if session.scalar(select(User.id).where(User.username == username)):
            raise Conflict(N_("the username '%(username)s' is taken"), {"username": username})
        user = User(
            username=username,
            full_name=full_name.strip(),
            password_hash=hash_password(password),
            role=role,
            organisation_id=organisation_id,
            locale=locale,
            origin_instance=wayhome.instance_id,
        )
        session.add(user)
        session.flush()
        audit.log(
            session, actor, "user.create", "user", user.id, {"username": username, "role": role}
        )
        return user


def list_users(wayhome: Wayhome, actor: Actor) -> list[User]:
    """Return the accounts of the actor's organisation."""
    require(actor, "user.manage")
    with wayhome.read() as session:
        return list(
            session.scalars(
                select(User)
                .where(User.organisation_id == actor.organisation_id)
                .order_by(User.username)
            )
        )


def get_user(wayhome: Wayhome, user_id: str) -> User | None:
    """Return an active user by id, or None."""
    with wayhome.read() as session:
        user = session.get(User, user_id)
        return user if user is not None and user.is_active else None


def _recent_failures(session: Session, wayhome: Wayhome, username: str, ip: str | None) -> int:
    since = utcnow() - timedelta(seconds=wayhome.settings.login_window_seconds)
    who = [AuditEvent.username == username]
    if ip:
        who.append(AuditEvent.ip == ip)
    return (
        session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "login.failed", AuditEvent.at >= since, or_(*who)
            )
        )
        or 0
    )


def authenticate(wayhome: Wayhome, username: str, password: str, ip: str | None) -> User | None:
    """Check a username and password; failures are audited and rate-limited by account and address."""
    username = username.strip().lower()
    with wayhome.transaction() as session:
        if _recent_failures(session, wayhome, username, ip) >= wayhome.settings.login_max_failures:
            raise RateLimited(N_("too many failed logins; wait a few minutes and try again"))
        user = session.scalar(select(User).where(User.username == username))
        try:
            _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
            ok = user is not None and user.is_active
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or user is None:
            who = Actor(None, username[:64], username[:64], Role.VIEWER, None, ip)
            audit.log(session, who, "login.failed")
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = utcnow()
        audit.log(session, actor_for(user, ip), "login")
        return user


def create_token(wayhome: Wayhome, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create an API token for the actor; the secret is returned once and only its hash is kept."""
    if not name.strip():
        raise ValidationFailed([FieldError(("name",), N_("is required"))])
    secret = "wh_" + secrets.token_urlsafe(32)
    with wayhome.transaction() as session:
        token = ApiToken(
            user_id=actor.user_id,
            name=name.strip()[:100],
            token_hash=hashlib.sha256(secret.encode()).hexdigest(),
            prefix=secret[:10],
        )
        session.add(token)
        session.flush()
        audit.log(session, actor, "token.create", "api_token", token.id, {"name": token.name})
        return token, secret


def user_for_token(wayhome: Wayhome, secret: str) -> User | None:
    """Return the active user owning a valid, unrevoked token."""
    digest = hashlib.sha256(secret.encode()).hexdigest()
    with wayhome.transaction() as session:
        token = session.scalar(
            select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
        )
        if token is None:
            return None
        user = session.get(User, token.user_id)
        if user is None or not user.is_active:
            return None
        now = utcnow()
        # Writing on every request would serialise API reads on SQLite; a minute's precision is enough.
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            token.last_used_at = now
        return user


def list_tokens(wayhome: Wayhome, actor: Actor) -> list[ApiToken]:
    """Return the actor's own tokens, newest first."""
    with wayhome.read() as session:
        return list(
            session.scalars(
                select(ApiToken)
                .where(ApiToken.user_id == actor.user_id)
                .order_by(ApiToken.created_at.desc())
            )
        )


def revoke_token(wayhome: Wayhome, actor: Actor, token_id: str) -> None:
    """Revoke one of the actor's own tokens."""
    with wayhome.transaction() as session:
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != actor.user_id:
            raise NotFound(N_("no such token"))
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            audit.log(session, actor, "token.revoke", "api_token", token.id)
