"""Accounts: argon2id passwords, username rules, login with rate limiting, API tokens."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD
from wayhome.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from wayhome.core.vocab import Role
from wayhome.services import accounts
from wayhome.services.context import system_actor
from wayhome.store.tables import ApiToken, AuditEvent, Organisation, User
from wayhome.store.types import utcnow


def stored_hash(wayhome, user_id: str) -> str:
    with wayhome.read() as session:
        return session.get(User, user_id).password_hash


def set_active(wayhome, user_id: str, active: bool) -> None:
    with wayhome.transaction() as session:
        session.execute(update(User).where(User.id == user_id).values(is_active=active))


def audit_count(wayhome, action: str) -> int:
    with wayhome.read() as session:
        return session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


def test_passwords_are_argon2id_and_salted(wayhome, make):
    first = accounts.hash_password(PASSWORD)
    second = accounts.hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert first != second  # salted
    assert PASSWORD not in first
    user = make.user(Role.VIEWER)
    assert stored_hash(wayhome, user.id).startswith("$argon2id$")
    assert user.password_hash != PASSWORD


def test_authenticate(wayhome, make):
    user = make.user(Role.CASEWORKER, username="field.worker")
    found = accounts.authenticate(wayhome, "field.worker", PASSWORD, "10.0.0.1")
    assert found is not None and found.id == user.id
    assert found.last_login_at is not None
    assert accounts.authenticate(wayhome, "  Field.Worker ", PASSWORD, None).id == user.id
    assert accounts.authenticate(wayhome, "field.worker", PASSWORD.upper(), None) is None
    assert accounts.authenticate(wayhome, "field.worker", PASSWORD + " ", None) is None
    assert accounts.authenticate(wayhome, "field.worker", "", None) is None
    assert accounts.authenticate(wayhome, "nobody", PASSWORD, None) is None
    assert audit_count(wayhome, "login") == 2
    assert audit_count(wayhome, "login.failed") == 4
    with wayhome.read() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "login"))
    assert (event.username, event.ip, event.user_id) == ("field.worker", "10.0.0.1", user.id)


def test_inactive_user_cannot_log_in(wayhome, make):
    user = make.user(Role.ADMIN, username="gone")
    set_active(wayhome, user.id, False)
    assert accounts.authenticate(wayhome, "gone", PASSWORD, None) is None
    assert accounts.get_user(wayhome, user.id) is None
    _token, secret = accounts.create_token(wayhome, accounts.actor_for(user), "old")
    assert accounts.user_for_token(wayhome, secret) is None
    set_active(wayhome, user.id, True)
    assert accounts.authenticate(wayhome, "gone", PASSWORD, None) is not None
    assert accounts.user_for_token(wayhome, secret).id == user.id


def test_outdated_hash_is_upgraded_on_login(wayhome, make):
    user = make.user(Role.VIEWER, username="legacy")
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with wayhome.transaction() as session:
        session.execute(update(User).where(User.id == user.id).values(password_hash=weak))
    assert accounts.authenticate(wayhome, "legacy", PASSWORD, None) is not None
    upgraded = stored_hash(wayhome, user.id)
    assert upgraded != weak and upgraded.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(upgraded)


def test_rate_limit_by_account(wayhome, make):
    make.user(Role.VIEWER, username="target")
    for i in range(5):
        assert accounts.authenticate(wayhome, "target", "guess", f"10.0.0.{i}") is None
    with pytest.raises(RateLimited):
        accounts.authenticate(wayhome, "target", PASSWORD, "10.0.0.99")  # right password too
    assert audit_count(wayhome, "login.failed") == 5  # refused attempts are not counted again
    make.user(Role.VIEWER, username="bystander")
    assert accounts.authenticate(wayhome, "bystander", PASSWORD, "10.0.0.100") is not None


def test_rate_limit_by_address(wayhome, make):
    make.user(Role.VIEWER, username="someone")
    for i in range(5):
        assert accounts.authenticate(wayhome, f"guess{i}", "guess", "192.0.2.7") is None
    with pytest.raises(RateLimited):
        accounts.authenticate(wayhome, "someone", PASSWORD, "192.0.2.7")
    assert accounts.authenticate(wayhome, "someone", PASSWORD, "192.0.2.8") is not None


def test_rate_limit_window_passes(wayhome, make):
    make.user(Role.VIEWER, username="patient")
    for _ in range(5):
        accounts.authenticate(wayhome, "patient", "guess", None)
    with pytest.raises(RateLimited):
        accounts.authenticate(wayhome, "patient", PASSWORD, None)
    window = timedelta(seconds=wayhome.settings.login_window_seconds + 1)
    with wayhome.transaction() as session:
        session.execute(update(AuditEvent).values(at=utcnow() - window))
    assert accounts.authenticate(wayhome, "patient", PASSWORD, None) is not None


@pytest.mark.parametrize(
    "username", ["ab", "nina", "field.worker", "a-b_c.d", "0day", "x" * 64, "r2d2"]
)
def test_good_usernames(username):
    accounts.validate_user(username, "Full Name", "long enough pw", "viewer")


@pytest.mark.parametrize(
    "username",
    ["", "a", "x" * 65, "-ab", ".ab", "_ab", "a b", "ab!", "ab@org", "Ab", "nína", "имя", "ab\n"],
)
def test_bad_usernames(username):
    with pytest.raises(ValidationFailed) as failed:
        accounts.validate_user(username, "Full Name", "long enough pw", "viewer")
    assert [e.loc for e in failed.value.errors] == [("username",)]
    assert "lower-case letters" in failed.value.errors[0].msg


def test_other_account_rules_are_reported_together():
    with pytest.raises(ValidationFailed) as failed:
        accounts.validate_user("ok", "  ", "short", "superuser")
    assert [e.loc for e in failed.value.errors] == [("full_name",), ("password",), ("role",)]
    assert failed.value.for_field("password") == "must be at least 10 characters"
    accounts.validate_user("ok", "Ok", None, "viewer")  # no password: not checked


def test_create_user(wayhome, make):
    org = make.org("ORG1")
    admin = make.actor(Role.ADMIN, "ORG1")
    user = accounts.create_user(
        wayhome,
        admin,
        username="  New.Person ",
        full_name=" Нина Петрова ",
        password="a long password",
        role="registrar",
        organisation_id=org,
    )
    assert (user.username, user.full_name, user.role) == ("new.person", "Нина Петрова", "registrar")
    assert user.origin_instance == wayhome.instance_id and user.is_active
    with pytest.raises(Conflict, match="taken"):
        accounts.create_user(
            wayhome,
            admin,
            username="NEW.PERSON",
            full_name="Someone",
            password="a long password",
            role="viewer",
            organisation_id=org,
        )
    with pytest.raises(ValidationFailed) as failed:
        accounts.create_user(
            wayhome,
            admin,
            username="elsewhere",
            full_name="Someone",
            password="a long password",
            role="viewer",
            organisation_id=make.org("ORG2"),
        )
    assert failed.value.for_field("organisation_id") is not None
    with pytest.raises(PermissionDenied):
        accounts.create_user(
            wayhome,
            make.actor(Role.REGISTRAR, "ORG1"),
            username="sneaky",
            full_name="Someone",
            password="a long password",
            role="admin",
            organisation_id=org,
        )
    with pytest.raises(ValidationFailed) as failed:
        accounts.create_user(
            wayhome,
            system_actor(),
            username="orphan",
            full_name="Someone",
            password="a long password",
            role="viewer",
            organisation_id="no-such-org",
        )
    assert failed.value.for_field("organisation_id") == "no such organisation"
    assert audit_count(wayhome, "user.create") == 3  # make.actor's two users and new.person
    listed = [u.username for u in accounts.list_users(wayhome, admin)]
    assert "new.person" in listed and "elsewhere" not in listed
    with pytest.raises(PermissionDenied):
        accounts.list_users(wayhome, make.actor(Role.VIEWER))


def test_organisations(wayhome):
    first = accounts.ensure_organisation(wayhome, "Red Crescent", "RC")
    again = accounts.ensure_organisation(wayhome, "Ignored on second call", "RC")
    assert first.id == again.id and again.name == "Red Crescent"
    with wayhome.read() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1
    assert [o.code for o in accounts.list_organisations(wayhome)] == ["RC"]


def test_tokens(wayhome, make):
    user = make.user(Role.ANALYST)
    actor = accounts.actor_for(user)
    token, secret = accounts.create_token(wayhome, actor, "  laptop  ")
    assert secret.startswith("wh_") and len(secret) > 40
    assert token.name == "laptop" and token.prefix == secret[:10]
    with wayhome.read() as session:
        row = session.get(ApiToken, token.id)
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (row.token_hash, row.prefix, row.name)
        assert row.last_used_at is None
    assert accounts.user_for_token(wayhome, secret).id == user.id
    with wayhome.read() as session:
        assert session.get(ApiToken, token.id).last_used_at is not None
    assert accounts.user_for_token(wayhome, secret + "x") is None
    assert accounts.user_for_token(wayhome, "") is None
    assert [t.id for t in accounts.list_tokens(wayhome, actor)] == [token.id]

    other = make.actor(Role.ADMIN)
    with pytest.raises(NotFound):
        accounts.revoke_token(wayhome, other, token.id)  # not even an admin revokes others'
    assert accounts.list_tokens(wayhome, other) == []
    accounts.revoke_token(wayhome, actor, token.id)
    accounts.revoke_token(wayhome, actor, token.id)  # twice is harmless
    assert accounts.user_for_token(wayhome, secret) is None
    assert audit_count(wayhome, "token.revoke") == 1
    with pytest.raises(ValidationFailed):
        accounts.create_token(wayhome, actor, "   ")
