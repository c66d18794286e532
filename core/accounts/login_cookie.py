"""The login cookie: its name and life, the key that signs it, and who a cookie names.

The cookie is a JWT (HS256) with `username` and `exp_date`, the format streamlit-authenticator
wrote before the sign-in page wrote it itself, so cookies issued then stay valid. It is made and
read here, so that the UI and plain HTTP routes (media, uploads) agree on who is signed in.
"""

from __future__ import annotations

import secrets
import time

import jwt
from sqlmodel import Session

from core.accounts import users
from core.config import get_settings
from core.db import forget_shared_secrets, get_engine, shared_secret
from core.models import User

COOKIE_NAME = "campaign_studio_auth"
COOKIE_DAYS = 7


COOKIE_KEY_NAME = "login_cookie_key"


def cookie_signing_key() -> str:
    """The key that signs login cookies: from settings/secrets, else made once and kept in the
    database, so every app server of an install signs and accepts the same cookies.

    Never the login library's built-in default, which is public. A key an earlier version kept
    in the data dir (`cookie_key`) is carried over, so signed-in browsers stay signed in.
    """
    configured = get_settings().studio_cookie_key
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    return shared_secret(COOKIE_KEY_NAME, _candidate_key)


def _candidate_key() -> str:
    old_file = get_settings().data_dir / "cookie_key"
    return old_file.read_text().strip() if old_file.exists() else secrets.token_urlsafe(48)


def forget_keys() -> None:
    """Read the key again next time (tests: another test's database)."""
    forget_shared_secrets()


def issue_cookie(username: str) -> tuple[str, float]:
    """A login cookie for `username`: its value and when it expires (Unix time)."""
    expires = time.time() + COOKIE_DAYS * 86400
    claims = {"username": username, "exp_date": expires}
    return jwt.encode(claims, cookie_signing_key(), algorithm="HS256"), expires


def cookie_claims(token: str | None) -> tuple[str, float] | None:
    """(username, when it was issued) of a login cookie we signed that has not expired."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, cookie_signing_key(), algorithms=["HS256"])
        expires = float(claims.get("exp_date", 0))
    except (jwt.PyJWTError, TypeError, ValueError):
        return None
    if expires < time.time() or not claims.get("username"):
        return None
    # The library writes only the expiry: the cookie was issued its lifetime before it.
    return str(claims["username"]), expires - COOKIE_DAYS * 86400


def cookie_username(token: str | None) -> str | None:
    """The username a login cookie names, if we signed it and it has not expired."""
    claims = cookie_claims(token)
    return claims[0] if claims else None


def user_from_cookie(token: str | None) -> User | None:
    """The active user a valid login cookie names, unless their sign-ins were ended since it was
    issued (sign-out, a password reset, a role change, deactivation)."""
    claims = cookie_claims(token)
    if claims is None:
        return None
    username, issued_at = claims
    with Session(get_engine(), expire_on_commit=False) as session:
        user = users.get_by_username(session=session, username=username)
    if user is None or not user.active or user.signed_in_before_end_of_sessions(issued_at):
        return None
    return user
