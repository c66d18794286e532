"""The login cookie: its name and life, the key that signs it, and who a cookie names.

The cookie itself is written by streamlit-authenticator (a JWT, HS256, with `username` and
`exp_date`); it is read here with the same rules so that the UI and plain HTTP routes (media,
uploads) agree on who is signed in.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time

import jwt
from sqlmodel import Session

from core.accounts import users
from core.config import get_settings, private_data_dir
from core.db import get_engine
from core.models import User

COOKIE_NAME = "campaign_studio_auth"
COOKIE_DAYS = 7


def cookie_signing_key() -> str:
    """The key that signs login cookies: from settings/secrets, else made once in the data dir.

    Never the login library's built-in default, which is public.
    """
    configured = get_settings().studio_cookie_key
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    path = get_settings().data_dir / "cookie_key"
    if not path.exists():
        private_data_dir()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".cookie_key.{os.getpid()}")
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        # link() is atomic and refuses to replace: two servers starting at once agree on one key.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink()
    return path.read_text().strip()


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
